"""Anthropic Messages API (Claude) as a scene-analysis provider.

Request: ``POST {base}/v1/messages`` with ``x-api-key`` and ``anthropic-version`` headers, the
keyframes as base64 ``image`` blocks before the text prompt (Anthropic's advice for images).
Reply: ``content`` is a list of blocks; the JSON is in the ``text`` blocks.
"""

from __future__ import annotations

from .base import HttpConfig, ProviderError, b64, http_post_json, prompt_for, reading_validate

NAME = "anthropic"
DEFAULT_MODEL = "claude-sonnet-4-5"
DEFAULT_BASE_URL = "https://api.anthropic.com"
API_VERSION = "2023-06-01"


def request_body(scene: dict, *, model: str) -> dict:
    blocks = [
        {"type": "image", "source": {"type": "base64", "media_type": "image/jpeg", "data": b64(jpeg)}}
        for jpeg in scene["keyframes"]
    ]
    blocks.append({"type": "text", "text": prompt_for(scene)})
    return {
        "model": model,
        "max_tokens": 1024,
        "system": "You answer with a single JSON object only.",
        "messages": [{"role": "user", "content": blocks}],
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
    reply = http_post_json(
        f"{base_url.rstrip('/')}/v1/messages",
        request_body(scene, model=model),
        headers={"x-api-key": api_key, "anthropic-version": API_VERSION},
        provider="Anthropic",
        config=http,
    )
    blocks = reply.get("content") if isinstance(reply, dict) else None
    if not isinstance(blocks, list):
        raise ProviderError("Anthropic's reply has no content.")
    text = "".join(b.get("text", "") for b in blocks if isinstance(b, dict) and b.get("type") == "text")
    if not text.strip():
        raise ProviderError(f"Anthropic gave no text (stop reason: {reply.get('stop_reason')}).")
    return reading_validate(text, provider="Anthropic")
