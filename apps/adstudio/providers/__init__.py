"""Scene-analysis providers: ``local`` (always on) and the remote LLMs, on when keyed.

``config`` is a plain dict built from settings by the caller, e.g.
``{"openai": {"api_key": "...", "model": "gpt-4o-mini", "base_url": "https://..."}, ...}``;
a remote provider without an ``api_key`` is not enabled.
"""

from __future__ import annotations

from . import anthropic, gemini, local, openai
from .base import HttpConfig, ProviderError

PROVIDERS = {m.NAME: m for m in (local, openai, anthropic, gemini)}
LABELS = {"local": "Local (offline)", "openai": "OpenAI", "anthropic": "Anthropic Claude", "gemini": "Google Gemini"}

__all__ = ["PROVIDERS", "ProviderError", "providers_enabled", "scene_read"]


def providers_enabled(config: dict) -> list[str]:
    return ["local"] + [n for n in ("openai", "anthropic", "gemini") if (config.get(n) or {}).get("api_key")]


def scene_read(name: str, scene: dict, *, config: dict, http: HttpConfig | None = None) -> dict:
    """Ask provider ``name`` to read one scene; returns the validated reading dict."""
    if name not in PROVIDERS:
        raise ProviderError(f"Unknown provider {name!r}.")
    if name not in providers_enabled(config):
        raise ProviderError(f"The {LABELS[name]} provider is not configured (no API key).")
    if name == "local":
        return local.analyse(scene)
    opts = {k: v for k, v in (config.get(name) or {}).items() if k in ("api_key", "model", "base_url") and v}
    return PROVIDERS[name].analyse(scene, http=http or HttpConfig(), **opts)
