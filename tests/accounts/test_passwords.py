"""Low finding: no password change or reset. Django's auth views with our pages; the reset mail goes
through Django's email backend (pytest-django's outbox here)."""

import re

import pytest
from django.test import Client

from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase"


def _logs_in(username, password) -> bool:
    response = Client().post("/accounts/login/", {"username": username, "password": password})
    return response.status_code == 302


def test_the_profile_and_log_in_pages_link_to_password_change_and_reset(client_user):
    assert b'href="/accounts/password/change/"' in client_user.get("/accounts/profile/").content
    assert b'href="/accounts/password/reset/"' in Client().get("/accounts/login/").content


def test_a_user_changes_their_password_and_stays_logged_in(client_user, user):
    page = client_user.get("/accounts/password/change/")
    assert page.status_code == 200 and b"Change your password" in page.content
    response = client_user.post(
        "/accounts/password/change/",
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/accounts/profile/"
    assert b"Password changed." in response.content
    assert client_user.get("/accounts/profile/").status_code == 200  # this session kept
    assert _logs_in("alice", NEW_PASSWORD) and not _logs_in("alice", DEFAULT_PASSWORD)


def test_a_wrong_current_password_or_a_weak_new_one_changes_nothing(client_user, user):
    response = client_user.post(
        "/accounts/password/change/",
        {
            "old_password": "not-my-password",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200 and b"Your old password was entered incorrectly" in response.content
    response = client_user.post(
        "/accounts/password/change/",
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": "12345678",
            "new_password2": "12345678",
        },
    )
    assert response.status_code == 200 and b"too common" in response.content
    assert _logs_in("alice", DEFAULT_PASSWORD)


def test_password_change_needs_a_logged_in_user(client):
    response = client.get("/accounts/password/change/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_full_reset_flow_through_the_emailed_link(client, user, mailoutbox):
    response = client.post("/accounts/password/reset/", {"email": "ALICE@example.com"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/sent/"
    assert b"Check your email" in client.get(response["Location"]).content

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["alice@example.com"] and mail.subject == "Reset your CineScent password"
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/\S+/)", mail.body).group(1)

    form = client.get(link, follow=True)  # Django swaps the token for a session marker, then shows the form
    assert b"Choose a new password" in form.content
    set_url = form.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/done/"
    assert b"Your password is set" in client.get(response["Location"]).content
    assert _logs_in("alice", NEW_PASSWORD) and not _logs_in("alice", DEFAULT_PASSWORD)

    used = Client().get(link, follow=True)  # the link works once
    assert b"This link no longer works" in used.content


def test_a_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client, user, mailoutbox):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/sent/"
    assert mailoutbox == []


def test_password_reset_requests_are_limited_per_address(client, user, mailoutbox, settings):
    settings.RATELIMIT_PASSWORD_RESET_IP = "2/h"
    for _ in range(2):
        assert client.post("/accounts/password/reset/", {"email": "alice@example.com"}).status_code == 302
    response = client.post("/accounts/password/reset/", {"email": "alice@example.com"})
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert len(mailoutbox) == 2


def _api_status(key: str) -> int:
    return Client().get("/api/accounts/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code


def test_a_changed_password_revokes_the_api_token(client_user, user):
    from apps.accounts.services import token_get_or_create

    old = token_get_or_create(user=user).key
    assert _api_status(old) == 200
    client_user.post(
        "/accounts/password/change/",
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert _api_status(old) in (401, 403)  # refused (403: the session scheme is listed first)
    assert token_get_or_create(user=user).key != old  # a new one on request


def test_a_reset_password_revokes_the_api_token_and_other_saves_keep_it(client, user, mailoutbox):
    from apps.accounts.services import token_get_or_create

    old = token_get_or_create(user=user).key
    user.display_name = "Alice A."
    user.save()  # no new password: the token stays
    assert _api_status(old) == 200
    client.post("/accounts/password/reset/", {"email": "alice@example.com"})
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/\S+/)", mailoutbox[0].body).group(1)
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert _api_status(old) in (401, 403)  # refused (403: the session scheme is listed first)
