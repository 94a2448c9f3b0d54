"""Finding 6: no rate limit. 60 wrong passwords on /api/accounts/token/ in 17.6 s and on
/accounts/login/ in 23.6 s, and the right password still worked right after; sign-up likewise.

Counters are real (django-ratelimit in the test Redis, emptied before every test); limits are
set low per test through the settings, as an operator would through the environment.
"""

import logging
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

ATTACKER, VICTIM_HOME, OTHER = "203.0.113.7", "198.51.100.20", "192.0.2.44"


def _log_in(client, username, password, ip=ATTACKER):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def _token(client, username, password, ip=ATTACKER):
    return client.post(
        "/api/accounts/token/", {"username": username, "password": password}, format="json", REMOTE_ADDR=ip
    )


def _assert_throttled_page(response, counted):
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert f"Too many {counted}".encode() in response.content


def _assert_throttled_json(response):
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    body = response.json()
    assert body["error"] == "throttled" and "available in" in body["detail"]


def test_wrong_passwords_on_the_log_in_page_end_in_429_and_the_right_one_is_refused_too(client, user, settings):
    settings.RATELIMIT_LOGIN_IP = "5/h"
    for _ in range(5):
        assert _log_in(client, "alice", "wrong-guess").status_code == 200  # the form says why
    _assert_throttled_page(_log_in(client, "alice", "wrong-guess"), "log-in attempts")

    response = _log_in(client, "alice", DEFAULT_PASSWORD)
    _assert_throttled_page(response, "log-in attempts")
    assert client.get("/accounts/profile/").status_code == 302  # not logged in


def test_wrong_passwords_on_the_token_api_end_in_429_json_and_the_right_one_is_refused_too(user, settings):
    settings.RATELIMIT_LOGIN_IP = "5/h"
    api = APIClient()
    for _ in range(5):
        assert _token(api, "alice", "wrong-guess").status_code == 401
    _assert_throttled_json(_token(api, "alice", "wrong-guess"))
    response = _token(api, "alice", DEFAULT_PASSWORD)
    _assert_throttled_json(response)
    assert "token" not in response.json()


def test_the_log_in_page_and_the_token_api_share_one_budget(client, user, settings):
    settings.RATELIMIT_LOGIN_IP = "4/h"
    for _ in range(2):
        _log_in(client, "alice", "wrong-guess")
        _token(APIClient(), "alice", "wrong-guess")
    _assert_throttled_json(_token(APIClient(), "alice", "wrong-guess"))
    _assert_throttled_page(_log_in(client, "alice", "wrong-guess"), "log-in attempts")


def test_the_right_password_works_again_once_the_window_has_passed(client, user, settings):
    settings.RATELIMIT_LOGIN_IP = "2/5s"
    for _ in range(3):  # a window ends every 5 s: make sure at least a second of it is left
        for _ in range(10):
            response = _log_in(client, "alice", "wrong-guess")
            if response.status_code == 429:
                break
        wait = int(response["Retry-After"])
        if wait >= 2:
            break
        time.sleep(wait + 0.2)
    assert response.status_code == 429 and 2 <= wait <= 5

    assert _log_in(client, "alice", DEFAULT_PASSWORD).status_code == 429
    time.sleep(wait + 0.2)  # Retry-After is honest: once it has passed, the right password works
    assert _log_in(client, "alice", DEFAULT_PASSWORD).status_code == 302
    assert client.get("/accounts/profile/").status_code == 200


def test_an_attacker_over_the_address_limit_cannot_lock_the_victim_out(client, user, other_user, settings):
    settings.RATELIMIT_LOGIN_IP = "3/h"
    settings.RATELIMIT_LOGIN_USERNAME = "7/h"
    for _ in range(20):  # far past the address limit: refused attempts do not count for the username
        _log_in(client, "alice", "wrong-guess")
    _assert_throttled_page(_log_in(client, "bob", DEFAULT_PASSWORD), "log-in attempts")  # every name from there

    victim = Client()
    assert _log_in(victim, "alice", DEFAULT_PASSWORD, ip=VICTIM_HOME).status_code == 302
    assert victim.get("/accounts/profile/").status_code == 200


def test_many_addresses_guessing_one_username_are_stopped_and_other_users_are_not(client, user, other_user, settings):
    settings.RATELIMIT_LOGIN_IP = "3/h"
    settings.RATELIMIT_LOGIN_USERNAME = "5/h"
    for n in range(1, 4):  # three addresses, two guesses each: none is over its own limit
        for _ in range(2):
            response = _log_in(client, "alice", "wrong-guess", ip=f"203.0.113.{n}")
    _assert_throttled_page(response, "log-in attempts")  # the sixth guess at alice

    assert _log_in(client, "alice", DEFAULT_PASSWORD, ip=OTHER).status_code == 429
    assert _token(APIClient(), "alice", DEFAULT_PASSWORD, ip=OTHER).status_code == 429
    assert _log_in(client, "bob", DEFAULT_PASSWORD, ip=OTHER).status_code == 302


def test_sign_up_is_limited_per_address_on_the_page_and_the_api(client, settings):
    settings.RATELIMIT_SIGNUP_IP = "3/h"
    for n in range(3):
        response = client.post(
            "/accounts/signup/",
            {
                "username": f"spam{n}",
                "password1": "a-long-passphrase",
                "password2": "a-long-passphrase",
            },
            REMOTE_ADDR=ATTACKER,
        )
        assert response.status_code == 302
        client.post("/accounts/logout/")
    response = client.post(
        "/accounts/signup/",
        {
            "username": "spam9",
            "password1": "a-long-passphrase",
            "password2": "a-long-passphrase",
        },
        REMOTE_ADDR=ATTACKER,
    )
    _assert_throttled_page(response, "sign-ups")
    _assert_throttled_json(
        APIClient().post(
            "/api/accounts/users/",
            {"username": "spam10", "password": "a-long-pass"},
            format="json",
            REMOTE_ADDR=ATTACKER,
        )
    )
    assert not get_user_model().objects.filter(username__in=["spam9", "spam10"]).exists()

    response = client.post(
        "/accounts/signup/",
        {
            "username": "neighbour",
            "password1": "a-long-passphrase",
            "password2": "a-long-passphrase",
        },
        REMOTE_ADDR=OTHER,
    )
    assert response.status_code == 302


def test_a_heavy_write_is_throttled_per_user_on_the_page_and_the_api(user, other_user, settings):
    settings.RATELIMIT_ANALYSE = "2/h"
    api = APIClient()
    api.force_authenticate(user)
    for _ in range(2):  # invalid requests count too: each one is work the server was asked for
        assert api.post("/api/adstudio/analyses/", {}, format="json").status_code == 400
    _assert_throttled_json(api.post("/api/adstudio/analyses/", {"url": "https://example.com/v.mp4"}, format="json"))
    assert api.get("/api/adstudio/analyses/").status_code == 200  # reading is not limited

    page = Client()
    page.force_login(user)
    _assert_throttled_page(page.post("/adstudio/", {"url": "https://example.com/v.mp4"}), "video analyses")

    other = APIClient()
    other.force_authenticate(other_user)
    assert other.post("/api/adstudio/analyses/", {}, format="json").status_code == 400


def test_scene_compose_is_throttled_on_the_page_and_the_api(client_user, user, settings):
    settings.RATELIMIT_COMPOSE = "2/h"
    for _ in range(2):
        assert client_user.post("/scents/compose/", {}).status_code == 200  # form errors
    _assert_throttled_page(client_user.post("/scents/compose/", {}), "scent compositions")
    api = APIClient()
    api.force_authenticate(user)
    _assert_throttled_json(api.post("/api/scents/compose/", {"scene": 1}, format="json"))


def test_an_htmx_panel_over_its_limit_gets_a_short_notice_it_can_show(client_user, settings):
    """htmx swaps the 429 into the panel that asked (base.html's responseHandling): a fragment with
    the wait, not a whole page nested in the panel, and nothing at all without the fix."""
    settings.RATELIMIT_COMPOSE_PREVIEW = "1/h"
    client_user.post("/scents/compose/preview/", {}, HTTP_HX_REQUEST="true")
    response = client_user.post("/scents/compose/preview/", {}, HTTP_HX_REQUEST="true")
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    body = response.content.decode()
    assert "Too many recipe previews" in body and "<html" not in body


def test_log_in_still_works_when_the_cache_is_down(client, user, settings, tmp_path, caplog):
    settings.RATELIMIT_LOGIN_IP = "1/h"
    assert _log_in(Client(), "alice", "wrong-guess").status_code == 200
    assert _log_in(Client(), "alice", DEFAULT_PASSWORD).status_code == 429  # the limit holds with Redis up

    settings.CACHES = {
        "default": {  # Redis gone: the counters cannot be read or written
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"unix://{tmp_path}/no-redis-here.sock",
        }
    }
    with caplog.at_level(logging.WARNING, logger="apps.accounts.ratelimit"):
        assert _log_in(client, "alice", "wrong-guess").status_code == 200
        assert _log_in(client, "alice", DEFAULT_PASSWORD).status_code == 302
        assert _token(APIClient(), "alice", DEFAULT_PASSWORD).status_code == 200
    assert client.get("/accounts/profile/").status_code == 200
    assert "the cache is unavailable" in caplog.text


@pytest.mark.parametrize("value", ["ten/m", "10", "0/m", "10/0m", "10/5x", "-1/m"])
def test_a_malformed_rate_stops_start_up_with_a_message(monkeypatch, value):
    from cinescent.env import env_rate

    monkeypatch.setenv("RATELIMIT_LOGIN_IP", value)
    with pytest.raises(ImproperlyConfigured, match="RATELIMIT_LOGIN_IP"):
        env_rate("RATELIMIT_LOGIN_IP", "5/m")


def test_rates_from_the_environment_are_read(monkeypatch):
    from cinescent.env import env_rate

    monkeypatch.setenv("RATELIMIT_LOGIN_IP", "7/15m")
    assert env_rate("RATELIMIT_LOGIN_IP", "5/m") == "7/15m"
    monkeypatch.delenv("RATELIMIT_LOGIN_IP")
    assert env_rate("RATELIMIT_LOGIN_IP", "5/m") == "5/m"
