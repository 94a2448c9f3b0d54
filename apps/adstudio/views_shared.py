"""A moodboard's read-only share link: the only ad studio pages that need no login.

The token in the URL is the whole permission: every request looks the board up by it, so a
revoked link (token cleared) is a 404 for the page and each keyframe alike. Keyframes are sent
by a view that checks the token, never by a media URL. The answers tell browsers not to keep or
pass on the link (no Referer, no indexing, no caching), so revoking it takes effect at once.
"""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from apps.adstudio import selectors
from apps.core.errors import ApplicationError
from apps.core.files import file_response


def _private_link(response):
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def moodboard_shared(request, token):
    try:
        board = selectors.moodboard_shared_get(token=token)
    except ApplicationError as exc:
        raise Http404(exc.message) from exc
    return _private_link(
        render(
            request,
            "adstudio/moodboard_shared.html",
            {"board": board, "items": selectors.moodboard_items(moodboard=board), "token": token},
        )
    )


@require_safe
def moodboard_shared_keyframe(request, token, pk):
    try:
        item = selectors.moodboard_shared_item(token=token, pk=pk)
    except ApplicationError as exc:
        raise Http404(exc.message) from exc
    return _private_link(file_response(request, item.shot.keyframe.name, private=True, content_type="image/jpeg"))
