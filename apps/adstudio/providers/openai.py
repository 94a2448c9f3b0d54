"""OpenAI Chat Completions (GPT-4o family) as a scene-analysis provider.

Request: ``POST {base}/v1/chat/completions`` with ``Authorization: Bearer KEY``, the keyframes as
``image_url`` parts (base64 data URLs) and ``response_format`` set to a strict JSON schema.
Reply: ``choices[0].message.content`` holds the JSON text; a ``refusal`` means no reading.
"""

from __future__ import annotations

from .base import REPLY_SCHEMA, HttpConfig, ProviderError, b64, http_post_json, prompt_for, reading_validate

NAME = "openai"
DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_BASE_URL = "https://api.openai.com"


def request_body(scene: dict, *, model: str) -> dict:
    parts = [{"type": "text", "text": prompt_for(scene)}]
    parts += [
        {"type": "image_url", "image_url": {"url": f"data:image/jpeg;base64,{b64(jpeg)}", "detail": "low"}}
        for jpeg in scene["keyframes"]
    ]
    return {
        "model": model,
        "messages": [{"role": "user", "content": parts}],
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "scene_reading", "strict": True, "schema": REPLY_SCHEMA},
        },
        "temperature": 0.4,
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
        f"{base_url.rstrip('/')}/v1/chat/completions",
        request_body(scene, model=model),
        headers={"Authorization": f"Bearer {api_key}"},
        provider="OpenAI",
        config=http,
    )
    try:
        message = reply["choices"][0]["message"]
    except (KeyError, IndexError, TypeError) as exc:
        raise ProviderError("OpenAI's reply has no message.") from exc
    if message.get("refusal"):
        raise ProviderError(f"OpenAI declined: {message['refusal'][:200]}")
    return reading_validate(message.get("content") or "", provider="OpenAI")
