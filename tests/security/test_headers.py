"""Low finding: no HSTS or CSP with debug off (`manage.py check --deploy`: security.W004, W008).

Settings are read once per process, so the debug-off cases start a fresh Python with a
production-like environment (the test run's own database and Redis addresses, nothing served).
"""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

HOST = "cinescent.example"
_HEADERS_SCRIPT = """
import json, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="cinescent.example")
secure = client.get("/accounts/login/", secure=True)
plain = client.get("/accounts/login/")
print(json.dumps({"secure": [secure.status_code, dict(secure.headers)],
                  "plain": [plain.status_code, dict(plain.headers)]}))
"""


def _production(**extra) -> dict:
    """A deployment's environment: none of the test run's own variables."""
    env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "TMPDIR") if name in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="cinescent.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="a-production-like-secret-key-of-sufficient-length-0123456789",
        DJANGO_ALLOWED_HOSTS=HOST,
        DATABASE_URL=settings.DATABASE_URL,
        REDIS_URL=settings.REDIS_URL,
        **extra,
    )
    return env


def _run(args, env) -> str:
    result = subprocess.run(
        [sys.executable, *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout + result.stderr


def test_with_debug_off_pages_carry_a_strict_csp_and_hsts_and_plain_http_is_redirected():
    out = json.loads(_run(["-c", _HEADERS_SCRIPT], _production()).strip().splitlines()[-1])
    status, headers = out["secure"]
    assert status == 200
    csp = {part.split()[0]: part.split()[1:] for part in headers["Content-Security-Policy"].split("; ")}
    assert csp["default-src"] == ["'self'"] and csp["script-src"] == ["'self'"]
    assert csp["style-src-elem"] == ["'self'"] and csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert not any("unsafe-eval" in values for values in csp.values())
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"

    status, headers = out["plain"]
    assert status == 301 and headers["Location"] == f"https://{HOST}/accounts/login/"


def test_hsts_and_csp_follow_the_environment():
    env = _production(DJANGO_HSTS_SECONDS="600", DJANGO_HSTS_PRELOAD="true", DJANGO_CSP="false")
    status, headers = json.loads(_run(["-c", _HEADERS_SCRIPT], env).strip().splitlines()[-1])["secure"]
    assert headers["Strict-Transport-Security"] == "max-age=600; includeSubDomains; preload"
    assert "Content-Security-Policy" not in headers


def test_check_deploy_with_a_production_environment_has_no_hsts_or_ssl_redirect_warning():
    out = _run(["manage.py", "check", "--deploy"], _production())
    assert "security.W004" not in out and "security.W008" not in out, out
    assert "ERRORS" not in out, out


def test_health_checks_over_plain_http_are_not_redirected(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/accounts/login/").status_code == 301
    assert client.get("/healthz").status_code in (200, 503)  # answered, not redirected


def test_the_csp_setting_switches_the_header_on_in_process(client, settings):
    assert "Content-Security-Policy" not in client.get("/accounts/login/").headers  # debug-style default here
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": settings.CSP_DIRECTIVES}
    assert "script-src 'self'" in client.get("/accounts/login/")["Content-Security-Policy"]
