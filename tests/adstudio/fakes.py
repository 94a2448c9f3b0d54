"""A local HTTP server in a thread, for fake remote APIs (LLM providers, Notion, video hosts).

``FakeServer(handler)`` calls ``handler(request) -> (status, headers, body)`` for every request,
where ``request`` is a dict with method, path, headers, body (bytes) and json (decoded or None);
``body`` may be bytes, str or a JSON-able object. Every request is kept in ``server.requests``.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeServer:
    def __init__(self, handler):
        self.handler = handler
        self.requests: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _any(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                try:
                    data = json.loads(body) if body else None
                except ValueError:
                    data = None
                request = {
                    "method": self.command,
                    "path": self.path,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "body": body,
                    "json": data,
                }
                outer.requests.append(request)
                status, headers, payload = outer.handler(request)
                if isinstance(payload, (dict, list)):
                    payload = json.dumps(payload).encode()
                    headers = {"Content-Type": "application/json", **headers}
                elif isinstance(payload, str):
                    payload = payload.encode()
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            do_GET = do_POST = do_PATCH = do_DELETE = do_HEAD = do_PUT = _any

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> "FakeServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def file_server(files: dict[str, bytes]):
    """A server that serves ``files`` by path (GET/HEAD, Range ignored) and 404s the rest."""

    def handler(request):
        path = request["path"].split("?")[0]
        if path in files:
            return 200, {"Content-Type": "video/mp4"}, files[path]
        return 404, {"Content-Type": "text/plain"}, "not found"

    return FakeServer(handler)
