"""A fake Notion API (the endpoints the exporter uses) that enforces Notion's limits.

It checks the bearer token, answers 429 with Retry-After when more than ``per_second``
requests arrive within a second (or when ``force_429`` is set), rejects more than 100 children
per append, rich-text items over 2,000 characters and multi-select names with commas, and keeps
pages, their blocks and file uploads so tests can look at the result.
"""

from __future__ import annotations

import re
import threading
import time
import uuid

from tests.adstudio.fakes import FakeServer

TOKEN = "secret_good"


def _error(status, code, message):
    return status, {}, {"object": "error", "status": status, "code": code, "message": message}


class FakeNotion:
    def __init__(self, *, per_second: int | None = None):
        self.per_second = per_second
        self.token = TOKEN  # the integration secret Notion accepts (a test may revoke it)
        self.force_429 = 0
        self.database_id = "db" + uuid.uuid4().hex[:10]
        self.source_id = "ds" + uuid.uuid4().hex[:10]
        self.schema = {"Name": {"id": "title", "name": "Name", "type": "title", "title": {}}}
        self.pages: dict[str, dict] = {}
        self.uploads: dict[str, str] = {}
        self.times: list[float] = []
        self.rate_limited = 0
        self.lock = threading.Lock()
        self.server = FakeServer(self.handle)

    def __enter__(self):
        self.server.__enter__()
        return self

    def __exit__(self, *exc):
        self.server.__exit__(*exc)

    @property
    def url(self):
        return self.server.url

    def handle(self, request):
        with self.lock:
            now = time.monotonic()
            self.times = [t for t in self.times if now - t < 1.0] + [now]
            if self.force_429 > 0 or (self.per_second and len(self.times) > self.per_second):
                self.force_429 = max(0, self.force_429 - 1)
                self.rate_limited += 1
                status, headers, body = _error(429, "rate_limited", "Rate limited.")
                return status, {"Retry-After": "1"}, body
            if request["headers"].get("authorization") != f"Bearer {self.token}":
                return _error(401, "unauthorized", "API token is invalid.")
            if not request["headers"].get("notion-version"):
                return _error(400, "missing_version", "Notion-Version header missing.")
            return self.route(request["method"], request["path"].split("?")[0], request)

    def route(self, method, path, request):
        body = request["json"] or {}
        routes = [
            ("GET", r"/v1/databases/([\w-]+)$", self.database),
            ("GET", r"/v1/data_sources/([\w-]+)$", self.source),
            ("PATCH", r"/v1/data_sources/([\w-]+)$", self.source_update),
            ("POST", r"/v1/pages$", self.page_create),
            ("PATCH", r"/v1/pages/([\w-]+)$", self.page_update),
            ("PATCH", r"/v1/blocks/([\w-]+)/children$", self.append),
            ("POST", r"/v1/file_uploads$", self.upload_create),
            ("POST", r"/v1/file_uploads/([\w-]+)/send$", self.upload_send),
        ]
        for verb, pattern, func in routes:
            match = re.match(pattern, path)
            if verb == method and match:
                return func(body, *match.groups())
        return _error(400, "invalid_request_url", f"no route {method} {path}")

    def database(self, body, db_id):
        if db_id != self.database_id:
            return _error(404, "object_not_found", "Could not find database.")
        return 200, {}, {"object": "database", "id": db_id, "data_sources": [{"id": self.source_id, "name": "Clips"}]}

    def source(self, body, ds_id):
        return 200, {}, {"object": "data_source", "id": ds_id, "properties": self.schema}

    def source_update(self, body, ds_id):
        for name, spec in body.get("properties", {}).items():
            kind = next(iter(spec))
            self.schema[name] = {"name": name, "type": kind, kind: spec[kind]}
        return self.source(body, ds_id)

    def _check_properties(self, props):
        for name, value in props.items():
            if name not in self.schema:
                return f"{name} is not a property that exists."
            for item in value.get("title", []) + value.get("rich_text", []):
                if len(item["text"]["content"]) > 2000:
                    return "body.properties.rich_text.text.content.length should be ≤ 2000"
            for option in value.get("multi_select", []):
                if "," in option["name"] or len(option["name"]) > 100:
                    return "Invalid multi_select option name."
        return None

    def page_create(self, body, *_):
        parent = body.get("parent", {})
        if parent.get("data_source_id") != self.source_id:
            return _error(404, "object_not_found", "Could not find data source.")
        problem = self._check_properties(body.get("properties", {}))
        if problem:
            return _error(400, "validation_error", problem)
        page_id = str(uuid.uuid4())
        self.pages[page_id] = {"properties": body["properties"], "children": [], "in_trash": False}
        return 200, {}, self._page(page_id)

    def _page(self, page_id):
        page = self.pages[page_id]
        return {
            "object": "page",
            "id": page_id,
            "url": f"https://www.notion.so/{page_id}",
            "in_trash": page["in_trash"],
            "archived": page["in_trash"],
            "properties": page["properties"],
        }

    def page_update(self, body, page_id):
        if page_id not in self.pages:
            return _error(404, "object_not_found", "Could not find page.")
        problem = self._check_properties(body.get("properties", {}))
        if problem:
            return _error(400, "validation_error", problem)
        page = self.pages[page_id]
        page["properties"] = {**page["properties"], **body.get("properties", {})}
        if body.get("erase_content"):
            page["children"] = []
        return 200, {}, self._page(page_id)

    def append(self, body, page_id):
        if page_id not in self.pages:
            return _error(404, "object_not_found", "Could not find block.")
        children = body.get("children", [])
        if len(children) > 100:
            return _error(400, "validation_error", "body.children.length should be ≤ 100")
        for block in children:
            content = block[block["type"]]
            for item in content.get("rich_text", []) + content.get("caption", []):
                if len(item["text"]["content"]) > 2000:
                    return _error(400, "validation_error", "rich_text too long")
            if block["type"] == "image":
                upload = content["file_upload"]["id"]
                if self.uploads.get(upload) != "uploaded":
                    return _error(400, "validation_error", "file upload not uploaded")
        self.pages[page_id]["children"].extend(children)
        return 200, {}, {"object": "list", "results": children}

    def upload_create(self, body, *_):
        upload_id = str(uuid.uuid4())
        self.uploads[upload_id] = "pending"
        return (
            200,
            {},
            {"object": "file_upload", "id": upload_id, "status": "pending", "filename": body.get("filename")},
        )

    def upload_send(self, body, upload_id):
        if self.uploads.get(upload_id) != "pending":
            return _error(400, "validation_error", "upload is not pending")
        self.uploads[upload_id] = "uploaded"
        return 200, {}, {"object": "file_upload", "id": upload_id, "status": "uploaded"}
