"""Read caches: shared data and page fragments in the default cache (Redis), keyed by versions.

Each kind of data has named versions ("movies", "movies:movie:12", "scents:ingredients"). A write
bumps the names it changes (``cache_bump``, called by the services); a value is stored with the
versions it was built at and is used only while they are still current, so a bump makes every
value built before it stale at once; nothing is scanned or deleted. A version is the time of its
last bump (ns), which also gives the API its Last-Modified.

The caches only save time: while Redis is down every read is built afresh and a bump is logged
and lost, so ``READ_CACHE_SECONDS`` bounds how long a value cached before an outage can outlive
a write made during it. ``READ_CACHE=false`` turns the read caches off (bumps still happen).
Never cache what differs per user (a CSRF token, "my review", curator controls): fragments
here are rendered without the request's context processors, so they cannot read ``user``.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Versions:
    tag: str  # the versions joined: part of every key and ETag built on them
    modified: int  # Unix time (s) of the latest bump among them
    names: tuple[str, ...] = ()  # the version names they are of


def _version_key(name: str) -> str:
    return f"read:v:{name}"


def _versions(keys: list[str], found: dict) -> Versions | None:
    """The versions of ``keys`` from ``found`` (one read); a name never bumped (or evicted)
    starts now. Raises RedisError."""
    missing = [k for k in keys if k not in found]
    if missing:
        now = time.time_ns()
        for key in missing:  # add: processes starting a version at once agree on one
            cache.add(key, now, None)
        found.update(cache.get_many(missing))
    if any(k not in found for k in keys):
        return None
    values = [int(found[k]) for k in keys]
    return Versions(
        tag=".".join(f"{v:x}" for v in values),
        modified=max(values) // 10**9,
        names=tuple(k.removeprefix(_version_key("")) for k in keys),
    )


def _bump(names: tuple[str, ...]) -> None:
    try:
        cache.set_many({_version_key(n): time.time_ns() for n in names}, None)
    except RedisError:
        logger.warning("read cache unavailable: versions %s not bumped", ", ".join(names))


def cache_bump(*names: str) -> None:
    """New versions for ``names``: now (this transaction's own later reads) and again after the
    commit (a reader may have cached the old rows between the two)."""
    names = tuple(dict.fromkeys(names))
    if names:
        _bump(names)
        transaction.on_commit(lambda: _bump(names))


def cached(name: str, version_names, parts, build):
    """``(value, versions)``: ``build()``'s value (never None) from the cache when it was stored
    under ``name`` and ``parts`` (what else the value depends on: filters, page, host) at the
    current versions of ``version_names``, built and stored otherwise; the versions and the value
    come in one round trip. Built, with versions None, when the caches are off or Redis is down."""
    if not settings.READ_CACHE:
        return build(), None
    keys = [_version_key(n) for n in version_names]
    key = f"read:{name}:{hashlib.sha1(repr(parts).encode()).hexdigest()[:24]}"
    try:
        found = cache.get_many([*keys, key])
        versions = _versions(keys, found)
    except RedisError:
        logger.warning("read cache unavailable: building %s afresh", name)
        return build(), None
    stored = found.get(key)
    if versions is not None and stored is not None and stored[0] == versions.tag:
        return stored[1], versions
    value = build()
    if versions is not None:
        try:  # a value built from older rows may overwrite a newer one: the next read rebuilds
            cache.set(key, (versions.tag, value), settings.READ_CACHE_SECONDS)
        except RedisError:
            logger.warning("read cache unavailable: %s not stored", name)
    return value, versions


def etag_for(versions: Versions, parts) -> str:
    return '"%s"' % hashlib.sha1(repr((versions.tag, parts)).encode()).hexdigest()[:27]


def not_modified(request, versions: Versions | None, parts):
    """A 304 when the client's copy (If-None-Match / If-Modified-Since) is current, else None."""
    if versions is None:
        return None
    return get_conditional_response(request, etag=etag_for(versions, parts), last_modified=versions.modified)


def validators_set(response, versions: Versions | None, parts):
    """ETag and Last-Modified on ``response``; clients and proxies must ask again each time."""
    if versions is not None:
        response["ETag"] = etag_for(versions, parts)
        response["Last-Modified"] = http_date(versions.modified)
        response["Cache-Control"] = "no-cache"
    return response
