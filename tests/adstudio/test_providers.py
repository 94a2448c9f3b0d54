import base64
import json
import time

import pytest

from apps.adstudio.providers import ProviderError, providers_enabled, scene_read
from apps.adstudio.providers.base import HttpConfig, reading_validate
from tests.adstudio.fakes import FakeServer


@pytest.fixture(autouse=True)
def loopback_allowed(settings):
    settings.NET_ALLOW_LOOPBACK = True  # the fake servers listen on 127.0.0.1


FAST = HttpConfig(timeout=1.0, attempts=3, backoff=0.01, max_wait=0.05)
READING = {
    "mood": "warm, nostalgic",
    "style": "handheld 16mm",
    "setting": "beach at dusk",
    "objects": ["surfboard", "dog"],
    "colours": ["orange", "teal"],
    "copy_ideas": ["Golden hour, every hour."],
    "description": "A dog runs on a beach.",
}
SCENE = {"keyframes": [b"\xff\xd8jpeg-one", b"\xff\xd8jpeg-two"], "duration": 4.5, "shot_count": 2, "local": {}}


def openai_reply(content):
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "model": "gpt-4o-mini",
        "choices": [
            {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content, "refusal": None}}
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
    }


def anthropic_reply(text):
    return {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-4-5",
        "content": [{"type": "text", "text": text}],
        "stop_reason": "end_turn",
        "usage": {"input_tokens": 10, "output_tokens": 10},
    }


def gemini_reply(text):
    return {
        "candidates": [{"content": {"role": "model", "parts": [{"text": text}]}, "finishReason": "STOP"}],
        "usageMetadata": {"promptTokenCount": 10, "candidatesTokenCount": 10},
    }


PROVIDERS = {
    "openai": ("/v1/chat/completions", openai_reply),
    "anthropic": ("/v1/messages", anthropic_reply),
    "gemini": ("/v1beta/models/gemini-2.0-flash:generateContent", gemini_reply),
}


def config_for(name, server):
    return {name: {"api_key": "sk-test", "base_url": server.url}}


def replies(*items):
    """A handler that answers with the given (status, headers, body) in turn."""
    queue = list(items)

    def handler(request):
        item = queue.pop(0) if len(queue) > 1 else queue[0]
        if callable(item):
            return item(request)
        return item

    return handler


@pytest.mark.parametrize("name", list(PROVIDERS))
def test_each_provider_speaks_its_api_and_returns_a_validated_reading(name):
    path, reply = PROVIDERS[name]
    with FakeServer(replies((200, {}, reply(json.dumps(READING))))) as server:
        reading = scene_read(name, SCENE, config=config_for(name, server), http=FAST)
    assert reading == READING
    request = server.requests[0]
    assert request["method"] == "POST" and request["path"] == path
    body, headers = request["json"], request["headers"]
    images = [base64.b64encode(k).decode() for k in SCENE["keyframes"]]
    if name == "openai":
        assert headers["authorization"] == "Bearer sk-test"
        parts = body["messages"][0]["content"]
        assert [p["image_url"]["url"].split(",")[1] for p in parts[1:]] == images
        assert body["response_format"]["type"] == "json_schema"
    elif name == "anthropic":
        assert headers["x-api-key"] == "sk-test" and headers["anthropic-version"]
        blocks = body["messages"][0]["content"]
        assert [b["source"]["data"] for b in blocks if b["type"] == "image"] == images
        assert body["max_tokens"] > 0
    else:
        assert headers["x-goog-api-key"] == "sk-test"
        parts = body["contents"][0]["parts"]
        assert [p["inline_data"]["data"] for p in parts[1:]] == images
        assert body["generationConfig"]["responseMimeType"] == "application/json"


@pytest.mark.parametrize("name", list(PROVIDERS))
def test_it_retries_after_a_rate_limit_honouring_retry_after(name):
    _, reply = PROVIDERS[name]
    limited = (429, {"Retry-After": "0"}, {"error": {"message": "rate limited"}})
    with FakeServer(replies(limited, limited, (200, {}, reply(json.dumps(READING))))) as server:
        assert scene_read(name, SCENE, config=config_for(name, server), http=FAST) == READING
    assert len(server.requests) == 3


@pytest.mark.parametrize("name", list(PROVIDERS))
def test_it_retries_after_a_timeout(name):
    _, reply = PROVIDERS[name]

    def slow(request):
        time.sleep(1.2)
        return 200, {}, reply(json.dumps(READING))

    quick = HttpConfig(timeout=0.5, attempts=3, backoff=0.01, max_wait=0.05)
    with FakeServer(replies(slow, (200, {}, reply(json.dumps(READING))))) as server:
        assert scene_read(name, SCENE, config=config_for(name, server), http=quick) == READING
    assert len(server.requests) == 2


@pytest.mark.parametrize("name", list(PROVIDERS))
def test_a_refused_key_fails_at_once_with_a_clear_message(name):
    refused = (401, {}, {"error": {"message": "invalid x-api-key"}})
    with FakeServer(replies(refused)) as server:
        with pytest.raises(ProviderError, match="refused the API key"):
            scene_read(name, SCENE, config=config_for(name, server), http=FAST)
    assert len(server.requests) == 1


@pytest.mark.parametrize("name", list(PROVIDERS))
def test_it_gives_up_after_repeated_rate_limits(name):
    limited = (429, {"Retry-After": "0"}, {"error": {"message": "slow down"}})
    with FakeServer(replies(limited)) as server:
        with pytest.raises(ProviderError, match="kept failing after 3 attempts"):
            scene_read(name, SCENE, config=config_for(name, server), http=FAST)


@pytest.mark.parametrize("name", list(PROVIDERS))
def test_a_reply_that_is_not_the_promised_json_is_an_error(name):
    _, reply = PROVIDERS[name]
    with FakeServer(replies((200, {}, reply("Sure! Here are some thoughts...")))) as server:
        with pytest.raises(ProviderError, match="not valid JSON"):
            scene_read(name, SCENE, config=config_for(name, server), http=FAST)
    broken = dict(READING, objects="dog")
    with FakeServer(replies((200, {}, reply(json.dumps(broken))))) as server:
        with pytest.raises(ProviderError, match="objects"):
            scene_read(name, SCENE, config=config_for(name, server), http=FAST)


def test_remote_providers_are_enabled_only_with_a_key():
    assert providers_enabled({}) == ["local"]
    assert providers_enabled({"gemini": {"api_key": "k"}, "openai": {"api_key": ""}}) == ["local", "gemini"]
    with pytest.raises(ProviderError, match="not configured"):
        scene_read("openai", SCENE, config={})


def test_validation_trims_lists_and_accepts_fenced_json():
    long = dict(READING, objects=[f"thing {i}" for i in range(30)])
    text = "```json\n" + json.dumps(long) + "\n```"
    assert len(reading_validate(text, provider="X")["objects"]) == 10


def test_the_local_provider_describes_a_scene_from_measurements():
    scene = {
        "keyframes": [],
        "duration": 3.0,
        "shot_count": 2,
        "local": {
            "labels": [("water", 0.9), ("sky", 0.6), ("seashore", 0.4)],
            "palette": [{"hex": "#1060c0", "share": 0.5}, {"hex": "#f0e0c0", "share": 0.3}],
            "metrics": {"brightness": 0.7, "saturation": 0.6, "contrast": 0.3, "motion": 0.05, "faces": 1},
        },
    }
    reading = scene_read("local", scene, config={})
    assert reading["objects"] == ["water", "sky"]
    assert reading["colours"][0] == "blue"
    assert "bright" in reading["mood"] and "1 face" in reading["description"]
