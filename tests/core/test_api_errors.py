import json

import pytest
from django.contrib.auth import get_user_model

from apps.core.models import Job

SIGNUP = "/api/accounts/users/"


def _count_users():
    return get_user_model().objects.count()


@pytest.mark.django_db
def test_malformed_json_is_a_400_with_a_clear_message_and_writes_nothing(api_client):
    before = _count_users()
    response = api_client.post(SIGNUP, data='{"username": "dana", "password": ', content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "parse_error"
    assert "JSON parse error" in body["detail"]
    assert _count_users() == before


@pytest.mark.django_db
def test_wrong_types_are_a_400_naming_the_field(api_client):
    before = _count_users()
    response = api_client.post(SIGNUP, data={"username": ["dana"], "password": 12345678901}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "validation_error"
    assert "username" in body["detail"]
    assert _count_users() == before


@pytest.mark.django_db
def test_unknown_fields_are_rejected_not_ignored(api_client):
    before = _count_users()
    response = api_client.post(
        SIGNUP, data={"username": "dana", "password": "a-long-passphrase", "is_staff": True}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == {"is_staff": ["Unknown field."]}
    assert _count_users() == before


@pytest.mark.django_db
def test_an_oversized_body_is_a_413_and_writes_nothing(api_client, settings):
    settings.API_MAX_BODY_BYTES = 2048
    before = _count_users()
    payload = json.dumps({"username": "dana", "password": "a-long-passphrase", "display_name": "x" * 5000})
    response = api_client.post(SIGNUP, data=payload, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["error"] == "payload_too_large"
    assert _count_users() == before


@pytest.mark.django_db
def test_a_weak_password_is_refused_with_the_validators_message(api_client):
    response = api_client.post(SIGNUP, data={"username": "dana", "password": "password"}, format="json")
    assert response.status_code == 400
    assert "too common" in json.dumps(response.json()["detail"])
    assert not get_user_model().objects.filter(username="dana").exists()


@pytest.mark.django_db
def test_a_valid_sign_up_creates_the_user_and_a_token_can_be_had(api_client):
    response = api_client.post(SIGNUP, data={"username": "dana", "password": "a-long-passphrase"}, format="json")
    assert response.status_code == 201
    assert response.json()["username"] == "dana"
    duplicate = api_client.post(SIGNUP, data={"username": "Dana", "password": "a-long-passphrase"}, format="json")
    assert duplicate.status_code == 400
    assert "taken" in json.dumps(duplicate.json())
    token = api_client.post(
        "/api/accounts/token/", data={"username": "dana", "password": "a-long-passphrase"}, format="json"
    )
    assert token.status_code == 200
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    assert api_client.get("/api/accounts/me/").json()["username"] == "dana"


@pytest.mark.django_db
def test_wrong_credentials_get_a_401_json_error(api_client, user):
    response = api_client.post("/api/accounts/token/", data={"username": "alice", "password": "nope"}, format="json")
    assert response.status_code == 401
    assert response.json() == {"error": "authentication_failed", "detail": "Wrong username or password."}


@pytest.mark.django_db
def test_writes_need_a_user(api_client):
    response = api_client.post("/api/core/jobs/system-check/", data={}, format="json")
    assert response.status_code in (401, 403)
    assert response.json()["error"] in ("not_authenticated", "authentication_failed")
    assert Job.objects.count() == 0


@pytest.mark.django_db
def test_profile_patch_validates_and_saves(api_user, user):
    bad = api_user.patch("/api/accounts/me/", data={"email": "not-an-email"}, format="json")
    assert bad.status_code == 400
    user.refresh_from_db()
    assert user.email == "alice@example.com"
    good = api_user.patch("/api/accounts/me/", data={"display_name": "Alice A."}, format="json")
    assert good.status_code == 200
    user.refresh_from_db()
    assert user.display_name == "Alice A."
