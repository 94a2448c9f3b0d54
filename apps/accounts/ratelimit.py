"""Rate limits on log-in, sign-up, password reset and the heavy writes (django-ratelimit).

Counters live in the default cache (Redis). An action has one budget whichever door is used: the
page decorator `ratelimited(action)` and the API throttle `action_throttle(action)` share its
counters. Over a limit: a 429 page or `{"error": "throttled", "detail": ...}`, both with
Retry-After. With the cache down nothing is counted and the request goes through (logged): a
Redis outage must not lock everybody out of log-in.
"""

import logging
from dataclasses import dataclass
from functools import cache, wraps

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import get_usage
from redis.exceptions import RedisError
from rest_framework.throttling import BaseThrottle

logger = logging.getLogger(__name__)


def _username(group, request) -> str:
    """The username a log-in names (form field or API body), case-folded."""
    data = request.data if hasattr(request, "data") else request.POST  # DRF's parsed body, or the form
    value = data.get("username", "") if hasattr(data, "get") else ""
    return str(value).strip().casefold()


@dataclass(frozen=True)
class Action:
    counted: str  # what is limited, for the message ("log-in attempts")
    limits: tuple  # (django-ratelimit key, name of the rate setting), checked in this order


ACTIONS = {
    "login": Action("log-in attempts", (("ip", "RATELIMIT_LOGIN_IP"), (_username, "RATELIMIT_LOGIN_USERNAME"))),
    "signup": Action("sign-ups", (("ip", "RATELIMIT_SIGNUP_IP"),)),
    "password_reset": Action("password-reset requests", (("ip", "RATELIMIT_PASSWORD_RESET_IP"),)),
    "compose": Action("scent compositions", (("user_or_ip", "RATELIMIT_COMPOSE"),)),
    "compose_preview": Action("recipe previews", (("user_or_ip", "RATELIMIT_COMPOSE_PREVIEW"),)),
    "analyse": Action("video analyses", (("user_or_ip", "RATELIMIT_ANALYSE"),)),
    "suggest": Action("genre suggestion requests", (("user_or_ip", "RATELIMIT_SUGGEST"),)),
}


def ratelimit_hit(request, action: str) -> int | None:
    """Counts one POST towards `action`; returns the seconds to wait if it is over a limit.

    Counting stops at the first limit exceeded, so a client over its address limit adds nothing
    to the username's count (one address cannot lock somebody else out). Other methods are free.
    """
    for key, setting in ACTIONS[action].limits:
        try:
            usage = get_usage(
                request,
                group=f"{action}:{setting}",
                key=key,
                rate=getattr(settings, setting),
                method="POST",
                increment=True,
            )
        except (RedisError, OSError):
            logger.warning("Rate limit %s not checked: the cache is unavailable", action, exc_info=True)
            return None
        if usage and usage["should_limit"]:
            logger.warning("Rate limit %s exceeded (%s) from %s", action, setting, request.META.get("REMOTE_ADDR"))
            # The window still holds during the second its end falls in: round up, not down.
            return usage["time_left"] + 1
    return None


def _wait_text(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} second{'' if seconds == 1 else 's'}"
    return f"{round(seconds / 60)} minutes"


def ratelimited(action: str):
    """View decorator: POSTs over the action's limits get the 429 page with Retry-After."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            wait = ratelimit_hit(request, action)
            if wait is None:
                return view(request, *args, **kwargs)
            # htmx swaps the short notice into the panel that asked (see base.html's htmx-config).
            template = "partials/ratelimited.html" if request.headers.get("HX-Request") else "429.html"
            response = render(
                request, template, {"counted": ACTIONS[action].counted, "wait": _wait_text(wait)}, status=429
            )
            response["Retry-After"] = str(wait)
            return response

        return wrapped

    return decorator


class ActionThrottle(BaseThrottle):
    """DRF throttle on the same counters as the pages; `action_throttle(name)` makes one."""

    action = ""
    seconds = None

    def allow_request(self, request, view):
        self.seconds = ratelimit_hit(request, self.action)
        return self.seconds is None

    def wait(self):
        return self.seconds


@cache
def action_throttle(action: str) -> type[ActionThrottle]:
    """The throttle class for an API view: `throttle_classes = [action_throttle("compose")]`."""
    if action not in ACTIONS:
        raise KeyError(f"unknown rate-limit action {action!r}")
    return type(f"{action.title().replace('_', '')}Throttle", (ActionThrottle,), {"action": action})
