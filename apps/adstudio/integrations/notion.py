"""Notion client: export one document (an analysis or a moodboard) as a page in a database.

The only module that imports ``notion_client``. Plain dicts in and out::

    doc = {"title": str, "kind": "Analysis" | "Moodboard", "source": url or "",
           "duration": seconds or None, "tags": [str], "palette": ["#rrggbb", ...],
           "blocks": [{"type": "heading" | "paragraph" | "bullet", "text": str}
                      | {"type": "image", "jpeg": bytes, "caption": str}]}
    notion_export(config, doc, page_id=None) -> {"page_id", "url", "requests"}

Notion's limits are respected here rather than discovered: requests are paced (about three a
second, ``min_interval``) and 429s are retried after their Retry-After by notion-client itself;
children are appended 100 at a time; rich text is split into 2,000-character items; multi-select
names lose commas and are cut to 100 characters. A re-export updates the same page (properties
replaced, content erased and written again) instead of creating a duplicate; if that page was
deleted in Notion, a new one is created. Keyframes travel through Notion's file-upload API,
so the page does not depend on our (private) media URLs. Every request goes through
``apps.core.net``'s guard: a base URL at a private or local address is refused without a
connection unless ``NET_ALLOW_HOSTS`` names it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
from notion_client import APIErrorCode, APIResponseError, Client
from notion_client.client import ClientOptions, RetryOptions
from notion_client.errors import RequestTimeoutError

from apps.core.net import guarded, refused_by_guard

TEXT_LIMIT = 2000
CHILDREN_LIMIT = 100
SELECT_LIMIT = 100
PROPERTIES = {
    "Kind": {"select": {}},
    "Source": {"url": {}},
    "Duration (s)": {"number": {}},
    "Tags": {"multi_select": {}},
    "Palette": {"rich_text": {}},
}


class NotionError(Exception):
    """The export failed; the message is for the user (never contains the token). ``field``
    names the setting to fix ("token" or "database_id") when Notion's answer says which."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class NotionConfig:
    token: str
    database_id: str
    base_url: str = "https://api.notion.com"
    min_interval: float = 0.34  # seconds between requests: Notion allows ~3 per second
    max_retries: int = 5
    timeout_ms: int = 30_000


class _Paced:
    """Calls the notion-client, never faster than one request per ``min_interval``."""

    def __init__(self, config: NotionConfig):
        self.client = Client(
            options=ClientOptions(
                auth=config.token,
                base_url=config.base_url.rstrip("/"),
                timeout_ms=config.timeout_ms,
                retry=RetryOptions(
                    max_retries=config.max_retries, initial_retry_delay_ms=500, max_retry_delay_ms=30_000
                ),
            )
        )
        self.min_interval = config.min_interval
        self.count = 0
        self._last = 0.0

    def __call__(self, func: Callable, *args, **kwargs):
        wait = self._last + self.min_interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        try:
            with guarded():
                return func(*args, **kwargs)
        finally:
            self._last = time.monotonic()
            self.count += 1


def notion_database_check(config: NotionConfig) -> str:
    """Ask Notion for the configured database (one request); returns its title. Raises
    ``NotionError`` (with ``field``) when the token is refused or the database is not shared."""
    call = _Paced(config)
    with _errors_explained():
        db = call(call.client.databases.retrieve, config.database_id)
    return "".join(part.get("plain_text", "") for part in db.get("title") or []) or "Untitled"


def notion_export(
    config: NotionConfig,
    doc: dict,
    *,
    page_id: str | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> dict:
    """Create or update the document's page; raises ``NotionError`` with a clear reason."""
    call = _Paced(config)
    note = progress or (lambda done, total, text="": None)
    with _errors_explained():
        parent, title_name = _schema(call, config.database_id)
        props = _properties(doc, title_name)
        page = _page_upsert(call, parent, props, page_id)
        children = _blocks(call, doc.get("blocks", []), note)
        for k in range(0, len(children), CHILDREN_LIMIT):
            call(call.client.blocks.children.append, page["id"], children=children[k : k + CHILDREN_LIMIT])
            note(min(k + CHILDREN_LIMIT, len(children)), len(children), "")
    return {"page_id": page["id"], "url": page.get("url", ""), "requests": call.count}


@contextmanager
def _errors_explained():
    """Turn the client's errors into ``NotionError`` with a message a user can act on."""
    try:
        yield
    except APIResponseError as exc:
        raise NotionError(_explain(exc), field=_FIELD_OF.get(exc.code)) from exc
    except RequestTimeoutError as exc:
        raise NotionError("Notion did not answer in time; try again.") from exc
    except httpx.HTTPError as exc:
        if refused_by_guard(exc):
            raise NotionError(
                "Notion's address is private or local, which outbound connections "
                "may not reach; an operator can allow it with NET_ALLOW_HOSTS."
            ) from exc
        raise NotionError(f"Notion could not be reached ({type(exc).__name__}).") from exc


def _schema(call: _Paced, database_id: str) -> tuple[dict, str]:
    """The page parent and the title property's name; adds our properties if missing."""
    db = call(call.client.databases.retrieve, database_id)
    sources = db.get("data_sources") or []
    if sources:  # API 2025-09-03: properties live on the database's data source
        source_id = sources[0]["id"]
        schema = call(call.client.data_sources.retrieve, source_id)
        update = call.client.data_sources.update
        target, parent = source_id, {"type": "data_source_id", "data_source_id": source_id}
    else:
        schema, update = db, call.client.databases.update
        target, parent = database_id, {"type": "database_id", "database_id": database_id}
    props = schema.get("properties", {})
    title_name = next((n for n, p in props.items() if p.get("type") == "title"), "Name")
    missing = {n: spec for n, spec in PROPERTIES.items() if n not in props}
    if missing:
        call(update, target, properties=missing)
    return parent, title_name


def rich_text(text: str) -> list[dict]:
    """Notion rich text, split into items of at most 2,000 characters."""
    text = text or ""
    return [
        {"type": "text", "text": {"content": text[k : k + TEXT_LIMIT]}} for k in range(0, len(text), TEXT_LIMIT)
    ] or []


def _option(name: str) -> str:
    return name.replace(",", " ").strip()[:100]


def _properties(doc: dict, title_name: str) -> dict:
    tags = []
    for tag in doc.get("tags", []):
        name = _option(tag)
        if name and name.lower() not in {t.lower() for t in tags}:
            tags.append(name)
    return {
        title_name: {"title": rich_text(doc.get("title") or "Untitled")[:1]},
        "Kind": {"select": {"name": _option(doc.get("kind", "Analysis"))}},
        "Source": {"url": doc.get("source") or None},
        "Duration (s)": {"number": round(doc["duration"], 2) if doc.get("duration") else None},
        "Tags": {"multi_select": [{"name": t} for t in tags[:SELECT_LIMIT]]},
        "Palette": {"rich_text": rich_text(" ".join(doc.get("palette", [])))},
    }


def _page_upsert(call: _Paced, parent: dict, props: dict, page_id: str | None) -> dict:
    if page_id:
        try:
            page = call(call.client.pages.update, page_id, properties=props, erase_content=True)
            if not (page.get("archived") or page.get("in_trash")):
                return page
        except APIResponseError as exc:
            if exc.code != APIErrorCode.ObjectNotFound:
                raise
    return call(call.client.pages.create, parent=parent, properties=props)


def _blocks(call: _Paced, blocks: list[dict], note) -> list[dict]:
    out = []
    images = sum(1 for b in blocks if b["type"] == "image")
    done = 0
    for block in blocks:
        kind = block["type"]
        if kind == "image":
            upload = _upload(call, block["jpeg"], block.get("name", "keyframe.jpg"))
            done += 1
            note(done, images, "")
            out.append(
                {
                    "object": "block",
                    "type": "image",
                    "image": {
                        "type": "file_upload",
                        "file_upload": {"id": upload},
                        "caption": rich_text(block.get("caption", "")),
                    },
                }
            )
            continue
        notion_type = {"heading": "heading_2", "paragraph": "paragraph", "bullet": "bulleted_list_item"}[kind]
        out.append(
            {"object": "block", "type": notion_type, notion_type: {"rich_text": rich_text(block.get("text", ""))}}
        )
    return out


def _upload(call: _Paced, data: bytes, name: str) -> str:
    created = call(call.client.file_uploads.create, mode="single_part", filename=name, content_type="image/jpeg")
    call(call.client.file_uploads.send, created["id"], file=(name, data, "image/jpeg"))
    return created["id"]


_FIELD_OF = {
    APIErrorCode.Unauthorized: "token",
    APIErrorCode.ObjectNotFound: "database_id",
    APIErrorCode.RestrictedResource: "database_id",
}


def _explain(exc: APIResponseError) -> str:
    code = exc.code
    if code == APIErrorCode.Unauthorized:
        return (
            "Notion refused the integration token (401 unauthorized). Check the token on " "the Notion settings page."
        )
    if code in (APIErrorCode.ObjectNotFound, APIErrorCode.RestrictedResource):
        return (
            "Notion could not find the database (or it is not shared with the "
            "integration). Check the database id and share it with the integration."
        )
    if code == APIErrorCode.RateLimited:
        return "Notion kept rate-limiting the export; try again in a minute."
    if code == APIErrorCode.ValidationError:
        return f"Notion rejected the page: {str(exc)[:300]}"
    return f"Notion answered with an error ({exc.status}): {str(exc)[:300]}"
