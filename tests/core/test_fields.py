import pytest
from django.db import connection

from apps.core.fields import secret_decrypt, secret_encrypt


def test_secrets_round_trip_and_are_not_stored_in_the_clear():
    stored = secret_encrypt("secret_abc123")
    assert stored.startswith("fernet:") and "secret_abc123" not in stored
    assert secret_decrypt(stored) == "secret_abc123"
    assert secret_encrypt("same") != secret_encrypt("same")  # random IV


def test_a_secret_under_another_key_is_refused_clearly(settings):
    stored = secret_encrypt("x")
    settings.FIELD_ENCRYPTION_KEY = "0" * 43 + "="
    with pytest.raises(ValueError, match="FIELD_ENCRYPTION_KEY"):
        secret_decrypt(stored)


@pytest.mark.django_db
def test_the_notion_token_is_encrypted_in_the_database(user):
    from apps.adstudio.models import NotionSettings

    NotionSettings.objects.create(user=user, token="secret_notion_token_value", database_id="a" * 32)
    with connection.cursor() as cursor:
        cursor.execute("select token from adstudio_notionsettings where user_id = %s", [user.pk])
        raw = cursor.fetchone()[0]
    assert "secret_notion_token_value" not in raw
    assert NotionSettings.objects.get(user=user).token == "secret_notion_token_value"
