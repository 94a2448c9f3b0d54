import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from apps.accounts.selectors import user_is_curator


@pytest.mark.django_db
def test_the_curator_group_exists_from_the_migrations():
    assert Group.objects.filter(name="curator").exists()


@pytest.mark.django_db
def test_curators_are_recognised(user, curator):
    assert user_is_curator(curator) and not user_is_curator(user)


@pytest.mark.django_db
def test_sign_up_page_creates_a_user_and_logs_them_in(client):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "erin",
            "email": "",
            "password1": "a-long-passphrase",
            "password2": "a-long-passphrase",
        },
    )
    assert response.status_code == 302
    assert get_user_model().objects.filter(username="erin").exists()
    assert client.get("/jobs/").status_code == 200


@pytest.mark.django_db
def test_sign_up_with_mismatched_passwords_shows_the_error_and_creates_nobody(client):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "erin",
            "password1": "a-long-passphrase",
            "password2": "another-passphrase",
        },
    )
    assert response.status_code == 200
    assert b"didn" in response.content  # "The two password fields didn't match."
    assert not get_user_model().objects.filter(username="erin").exists()


@pytest.mark.django_db
def test_log_in_and_log_out(client, user):
    from tests.factories import DEFAULT_PASSWORD

    response = client.post("/accounts/login/", {"username": "alice", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert client.get("/accounts/profile/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/accounts/profile/").status_code == 302


@pytest.mark.django_db
def test_a_new_api_token_is_shown_once(client_user, user):
    client_user.post("/accounts/profile/token/")
    first = client_user.get("/accounts/profile/")
    assert user.auth_token.key.encode() in first.content
    second = client_user.get("/accounts/profile/")
    assert user.auth_token.key.encode() not in second.content


@pytest.mark.django_db
def test_curator_add_makes_a_user_a_curator_with_admin_access(user):
    from django.core.management import CommandError, call_command

    call_command("curator_add", "alice")
    user.refresh_from_db()
    assert user_is_curator(user) and user.is_staff
    with pytest.raises(CommandError, match="No user named"):
        call_command("curator_add", "nobody")
