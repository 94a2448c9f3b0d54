"""What every scene-analysis provider shares: the prompt, the reply schema and its validation,
and one JSON-over-HTTP call with retries.

Providers take and return plain dicts. Input (``SceneInput``)::

    {"keyframes": [jpeg bytes, ...], "duration": 4.2, "shot_count": 3,
     "local": {"labels": [...], "palette": [...], "metrics": {...}}}

Output (validated ``SceneReading``)::

    {"mood": str, "style": str, "setting": str, "objects": [str], "colours": [str],
     "copy_ideas": [str], "description": str}
"""

from __future__ import annotations

import base64
import json
import random
import re
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from apps.core.net import guarded, refused_by_guard

PROMPT = (
    "You are tagging reference footage for an advertising moodboard. The images are keyframes "
    "of one scene ({shots} shot(s), {duration:.1f} s), in order. Reply with one JSON object and "
    "nothing else, with exactly these keys: "
    '"mood" (a few words), "style" (visual/cinematic style, a few words), '
    '"setting" (where/when, a few words), "objects" (list of up to 10 short nouns you can see), '
    '"colours" (list of up to 5 colour words), "copy_ideas" (list of up to 3 short ad lines '
    'this scene could carry), "description" (one or two sentences).'
)
REPLY_SCHEMA = {
    "type": "object",
    "properties": {
        "mood": {"type": "string"},
        "style": {"type": "string"},
        "setting": {"type": "string"},
        "objects": {"type": "array", "items": {"type": "string"}},
        "colours": {"type": "array", "items": {"type": "string"}},
        "copy_ideas": {"type": "array", "items": {"type": "string"}},
        "description": {"type": "string"},
    },
    "required": ["mood", "style", "setting", "objects", "colours", "copy_ideas", "description"],
    "additionalProperties": False,
}
_LIMITS = {"objects": 10, "colours": 5, "copy_ideas": 3}
RETRY_STATUSES = {408, 429, 500, 502, 503, 504, 529}


class ProviderError(Exception):
    """A provider could not give a usable reading; the message is for the user."""


@dataclass(frozen=True)
class HttpConfig:
    timeout: float = 60.0
    attempts: int = 4
    backoff: float = 1.0  # first wait in seconds; doubles each retry (with jitter)
    max_wait: float = 30.0


def prompt_for(scene: dict) -> str:
    return PROMPT.format(shots=scene.get("shot_count", 1), duration=scene.get("duration", 0.0))


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def reading_validate(raw: object, *, provider: str) -> dict:
    """Check a provider's reply against the schema; trim lists and strings to sane sizes."""
    if isinstance(raw, str):
        raw = _json_from_text(raw, provider=provider)
    if not isinstance(raw, dict):
        raise ProviderError(f"{provider} replied with something other than a JSON object.")
    missing = [k for k in REPLY_SCHEMA["required"] if k not in raw]
    if missing:
        raise ProviderError(f"{provider}'s reply lacks {', '.join(missing)}.")
    out = {}
    for key in ("mood", "style", "setting", "description"):
        if not isinstance(raw[key], str):
            raise ProviderError(f"{provider}'s reply has a non-text {key!r}.")
        out[key] = raw[key].strip()[: 1000 if key == "description" else 120]
    for key, limit in _LIMITS.items():
        value = raw[key]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ProviderError(f"{provider}'s reply has {key!r} that is not a list of texts.")
        out[key] = [v.strip()[:120] for v in value if v.strip()][:limit]
    return out


def _json_from_text(text: str, *, provider: str) -> object:
    # Models sometimes wrap JSON in a ```json fence despite the instruction.
    fenced = re.search(r"```(?:json)?\s*(.*?)```", text, re.S)
    candidate = fenced.group(1) if fenced else text
    try:
        return json.loads(candidate)
    except json.JSONDecodeError:
        start, end = candidate.find("{"), candidate.rfind("}")
        if 0 <= start < end:
            try:
                return json.loads(candidate[start : end + 1])
            except json.JSONDecodeError:
                pass
    raise ProviderError(f"{provider} replied with text that is not valid JSON.")


def http_post_json(url: str, body: dict, *, headers: dict, provider: str, config: HttpConfig = HttpConfig()) -> dict:
    """POST JSON and return the decoded reply, retrying rate limits, overloads and timeouts.

    Honours ``Retry-After`` (seconds) when the server sends it; otherwise waits
    ``backoff * 2**attempt`` with jitter. Other 4xx replies fail at once with the API's message.
    The connection goes through ``apps.core.net``'s guard like any other: a base URL at a
    private or local address is refused unless ``NET_ALLOW_HOSTS`` names it.
    """
    data = json.dumps(body).encode("utf-8")
    last = ""
    for attempt in range(config.attempts):
        req = urllib.request.Request(
            url, data=data, method="POST", headers={"Content-Type": "application/json", **headers}
        )
        try:
            with guarded(), urllib.request.urlopen(req, timeout=config.timeout) as resp:
                return json.loads(resp.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            detail = _error_detail(exc)
            if exc.code not in RETRY_STATUSES:
                raise ProviderError(_refusal(provider, exc.code, detail)) from exc
            last = f"HTTP {exc.code} {detail}".strip()
            wait = _retry_after(exc.headers.get("Retry-After"))
        except (TimeoutError, socket.timeout, urllib.error.URLError) as exc:
            reason = getattr(exc, "reason", exc)
            if refused_by_guard(exc):
                raise ProviderError(
                    f"{provider}'s address is private or local, which outbound connections may "
                    "not reach; an operator can allow it with NET_ALLOW_HOSTS."
                ) from exc
            if not isinstance(reason, (TimeoutError, socket.timeout)) and not isinstance(
                exc, (TimeoutError, socket.timeout)
            ):
                raise ProviderError(f"{provider} could not be reached; try again later.") from exc
            last, wait = "timed out", None
        except json.JSONDecodeError as exc:
            raise ProviderError(f"{provider} sent a reply that is not JSON.") from exc
        if attempt + 1 < config.attempts:
            if wait is None:
                wait = config.backoff * (2**attempt) * (1 + random.random() * 0.25)
            time.sleep(min(wait, config.max_wait))
    raise ProviderError(f"{provider} kept failing after {config.attempts} attempts ({last}).")


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def _error_detail(exc: urllib.error.HTTPError) -> str:
    try:
        payload = json.loads(exc.read().decode("utf-8") or "{}")
    except (json.JSONDecodeError, UnicodeDecodeError, OSError):
        return ""
    err = payload.get("error", payload) if isinstance(payload, dict) else payload
    if isinstance(err, dict):
        return str(err.get("message", ""))[:300]
    return str(err)[:300]


def _refusal(provider: str, status: int, detail: str) -> str:
    if status in (401, 403):
        return f"{provider} refused the API key (HTTP {status}). {detail}".strip()
    return f"{provider} rejected the request (HTTP {status}). {detail}".strip()
