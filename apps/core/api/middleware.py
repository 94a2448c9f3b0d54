"""Input no view should have to parse, refused before a parser or the CSRF check reads the body
(Django's own DATA_UPLOAD_MAX_MEMORY_SIZE check would answer a bare HTML 400)."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render


class InputGuardMiddleware:
    """413 for a body over its limit, 400 for a NUL character in the query string.

    API routes answer `{"error": ..., "detail": ...}`. Their body limit is API_MAX_BODY_BYTES
    whatever the content type; a view that takes uploads names its file limit's setting in
    `upload_limit_setting`, and its multipart bodies may be that much larger (its upload handler
    keeps the exact per-file limit). Pages answer a 413 page for a form body over
    DATA_UPLOAD_MAX_MEMORY_SIZE; their multipart uploads keep their own handlers' limits.
    NUL: PostgreSQL can neither store nor compare it, so every filter on it would fail.
    Put it before CsrfViewMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        api = request.path_info.startswith("/api/")
        length, limit = _declared_length(request), _body_limit(request, view_func, api)
        if limit is not None and length > limit:
            detail = f"The request body is {length} bytes; the limit is {limit}."
            if api:
                return JsonResponse({"error": "payload_too_large", "detail": detail}, status=413)
            return render(request, "413.html", {"limit_mb": limit / 2**20}, status=413)
        if any("\x00" in text for key, values in request.GET.lists() for text in (key, *values)):
            detail = "Query parameters may not contain NUL characters."
            if api:
                return JsonResponse({"error": "parse_error", "detail": detail}, status=400)
            return render(request, "400.html", status=400)
        return None


def _declared_length(request) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0  # Django reads no body then either


def _body_limit(request, view_func, api: bool) -> int | None:
    if not api:
        urlencoded = request.content_type == "application/x-www-form-urlencoded"
        return settings.DATA_UPLOAD_MAX_MEMORY_SIZE if urlencoded else None
    setting = getattr(getattr(view_func, "cls", None), "upload_limit_setting", "")
    if setting and request.content_type == "multipart/form-data":
        return settings.API_MAX_BODY_BYTES + getattr(settings, setting)
    return settings.API_MAX_BODY_BYTES
