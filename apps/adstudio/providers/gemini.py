"""Google Gemini ``generateContent`` as a scene-analysis provider.

Request: ``POST {base}/v1beta/models/{model}:generateContent`` with ``x-goog-api-key``, the prompt
and keyframes as ``parts`` (``inline_data``), and ``generationConfig.responseMimeType`` set to
``application/json`` so the model answers in JSON. Reply: ``candidates[0].content.parts[].text``.
"""

from __future__ import annotations

from .base import HttpConfig, ProviderError, b64, http_post_json, prompt_for, reading_validate

NAME = "gemini"
DEFAULT_MODEL = "gemini-2.0-flash"
DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com"


def request_body(scene: dict) -> dict:
    parts = [{"text": prompt_for(scene)}]
    parts += [{"inline_data": {"mime_type": "image/jpeg", "data": b64(jpeg)}} for jpeg in scene["keyframes"]]
    return {
        "contents": [{"role": "user", "parts": parts}],
        "generationConfig": {"responseMimeType": "application/json", "temperature": 0.4},
    }


def analyse(
    scene: dict,
    *,
    api_key: str,
    model: str = DEFAULT_MODEL,
    base_url: str = DEFAULT_BASE_URL,
    http: HttpConfig = HttpConfig(),
) -> dict:
    """Send one scene's keyframes; return the validated reading (raises ``ProviderError``)."""
    url = f"{base_url.rstrip('/')}/v1beta/models/{model}:generateContent"
    reply = http_post_json(
        url, request_body(scene), headers={"x-goog-api-key": api_key}, provider="Gemini", config=http
    )
    try:
        candidate = reply["candidates"][0]
        parts = candidate["content"]["parts"]
    except (KeyError, IndexError, TypeError) as exc:
        blocked = (reply.get("promptFeedback") or {}).get("blockReason") if isinstance(reply, dict) else None
        raise ProviderError(f"Gemini gave no answer{f' (blocked: {blocked})' if blocked else ''}.") from exc
    text = "".join(p.get("text", "") for p in parts if isinstance(p, dict))
    return reading_validate(text, provider="Gemini")
