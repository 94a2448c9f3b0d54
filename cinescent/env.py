"""Strict environment helpers for settings.

A value that is set but malformed is an error at start-up, never a silent default: `DEBUG=flase`
must not quietly become False, and `WORKERS=two` must not become 0.
"""

import os
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
_UNSET = object()

DEV_SECRET_KEY = "dev-insecure-cinescent-key-change-me"


def _raw(name: str):
    value = os.environ.get(name)
    if value is None:
        return _UNSET
    return value.strip()


def env_str(name: str, default: str | None = None) -> str | None:
    value = _raw(name)
    return default if value is _UNSET else value


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = _raw(name)
    if value is _UNSET or value == "":
        return default
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} is not one of {', '.join(choices)}")
    return value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is _UNSET or value == "":
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean; use one of {sorted(_TRUE | _FALSE)}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    return _env_number(name, default, minimum, int, "an integer")


def env_float(name: str, default: float, *, minimum: float | None = None) -> float:
    return _env_number(name, default, minimum, float, "a number")


def _env_number(name, default, minimum, cast, kind):
    value = _raw(name)
    if value is _UNSET or value == "":
        return default
    try:
        number = cast(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not {kind}") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is below the minimum of {minimum}")
    return number


def env_rate(name: str, default: str) -> str:
    """A rate limit such as `10/5m` (10 per 5 minutes; periods s, m, h, d)."""
    value = _raw(name)
    if value is _UNSET or value == "":
        return default
    if not re.fullmatch(r"[1-9]\d*/([1-9]\d*)?[smhd]", value):
        raise ImproperlyConfigured(f"{name}={value!r} is not a rate like 10/5m (count/period, period s, m, h or d)")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is _UNSET:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_path(name: str, default: Path) -> Path:
    value = _raw(name)
    if value is _UNSET or value == "":
        return Path(default)
    return Path(value).expanduser().resolve()


def require_safe_secret(*, debug: bool, secret_key: str) -> None:
    """Refuse to run in production with the development secret key (or none)."""
    if debug:
        return
    if not secret_key or secret_key == DEV_SECRET_KEY:
        raise ImproperlyConfigured(
            "DJANGO_DEBUG is off but DJANGO_SECRET_KEY is unset or the development key; "
            "set DJANGO_SECRET_KEY to a long random value before running in production."
        )
    if len(secret_key) < 32:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 32 characters long.")


def database_from_url(url: str) -> dict:
    """Turn `postgresql://user:pass@host:port/name?host=/socket/dir` into a DATABASES entry."""
    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql", "pgsql"):
        raise ImproperlyConfigured(f"DATABASE_URL must start with postgresql:// (got scheme {parsed.scheme!r})")
    query = parse_qs(parsed.query)
    name = unquote(parsed.path.lstrip("/"))
    if not name:
        raise ImproperlyConfigured("DATABASE_URL has no database name")
    host = unquote(parsed.hostname or "") or query.get("host", [""])[0]
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": host,
        "PORT": str(parsed.port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }
