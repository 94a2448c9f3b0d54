"""Whole responses for visitors who are not logged in, answered before sessions, CSRF, auth,
URL resolving and templates run.

A view that knows its response, for a visitor, depends on nothing but the URL and some read-cache
versions says so with :func:`page_cacheable` (passing the versions its cached parts were read
at). The middleware then keeps the response under the host, the full path and the ``Accept``
header (the API renders JSON or HTML from it) together with those versions, and answers the next
such request from it while every version is still current: a write bumps a version
(``cache_bump``) and the next read is built afresh, as for the fragments in ``apps.core.cache``.

Only what cannot differ between visitors is kept: GET answers with status 200 to requests that
carry no session or messages cookie, from which no cookie was set (a page that rendered a CSRF
token sets one, so it is never kept), and that no logged-in user received.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe
from redis.exceptions import RedisError

from apps.core.cache import Versions, _version_key, _versions

logger = logging.getLogger(__name__)

_ATTR = "_page_cache_versions"
_NAMES: dict[str, tuple[str, ...]] = {}  # page key -> the version names it was stored with (per process)
_NAMES_KEPT = 10_000
_KEPT_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Vary",
    "ETag",
    "Last-Modified",
    "Cache-Control",
    "X-Frame-Options",
)


def page_cacheable(request, versions: Versions | None) -> None:
    """Declare that this response, for a visitor who is not logged in, is fully determined by the
    URL, the ``Accept`` header and ``versions`` (None: the read cache was not used; keep nothing)."""
    if versions is not None:
        setattr(request, _ATTR, versions)


def _eligible(request) -> bool:
    cookies = request.COOKIES
    return (
        settings.READ_CACHE
        and request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
        and "Authorization" not in request.headers  # the API's token users
    )


def _key(request) -> str:
    parts = (request.get_host(), request.get_full_path(), request.headers.get("Accept", ""))
    return "read:page:" + hashlib.sha1(repr(parts).encode()).hexdigest()[:32]


class AnonymousPageCacheMiddleware:
    """Place it after the security, CSP and static-file middleware (they still answer first and
    add their headers to every response) and before the session middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _eligible(request):
            return self.get_response(request)
        key = _key(request)
        try:
            hit = self._lookup(request, key)
        except (RedisError, OSError):
            logger.warning("read cache unavailable: page built afresh")
            return self.get_response(request)
        if hit is not None:
            return hit
        response = self.get_response(request)
        self._store(request, key, response)
        return response

    @staticmethod
    def _lookup(request, key: str) -> HttpResponse | None:
        # The version names a URL's page depends on do not change between reads, so once a
        # process has seen them the page and its versions come in one round trip.
        names = _NAMES.get(key)
        keys = [_version_key(n) for n in names] if names else []
        found = cache.get_many([key, *keys])
        stored = found.get(key)
        if stored is None:
            return None
        names, tag, status, headers, content = stored
        if len(_NAMES) >= _NAMES_KEPT:
            _NAMES.clear()
        _NAMES[key] = names
        versions = _versions([_version_key(n) for n in names], found)  # reads what was not asked for
        if versions is None or versions.tag != tag:
            return None
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        return get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
            response=response,
        )

    @staticmethod
    def _store(request, key: str, response) -> None:
        versions = getattr(request, _ATTR, None)
        user = getattr(request, "user", None)
        if (
            versions is None
            or response.status_code != 200
            or response.streaming
            or response.cookies
            or (user is not None and user.is_authenticated)
            or "private" in response.get("Cache-Control", "")
        ):
            return
        headers = [(name, response[name]) for name in _KEPT_HEADERS if response.has_header(name)]
        value = (versions.names, versions.tag, response.status_code, headers, response.content)
        try:
            cache.set(key, value, settings.READ_CACHE_SECONDS)
        except RedisError:
            logger.warning("read cache unavailable: page not stored")
