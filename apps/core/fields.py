"""Model fields for secrets at rest (third-party tokens such as a user's Notion token)."""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models

_PREFIX = "fernet:"


def _fernet() -> Fernet:
    key = settings.FIELD_ENCRYPTION_KEY
    if not key:
        # Derived from SECRET_KEY so a laptop needs no extra setting; production sets its own
        # key so that rotating SECRET_KEY does not make stored secrets unreadable.
        key = base64.urlsafe_b64encode(hashlib.sha256(f"fields:{settings.SECRET_KEY}".encode()).digest())
    return Fernet(key)


def secret_encrypt(value: str) -> str:
    return _PREFIX + _fernet().encrypt(value.encode()).decode()


def secret_decrypt(value: str) -> str:
    if not value.startswith(_PREFIX):
        return value  # a row written before encryption; the next save encrypts it
    try:
        return _fernet().decrypt(value[len(_PREFIX) :].encode()).decode()
    except InvalidToken:
        raise ValueError("A stored secret cannot be decrypted: FIELD_ENCRYPTION_KEY changed?") from None


class EncryptedCharField(models.CharField):
    """Stored encrypted (Fernet, AES-128-CBC + HMAC); reads back as plain text in Python.

    Not searchable or orderable by its plain value, by design. `max_length` bounds the
    ciphertext, which is about 2.3 × the plain text + 60 characters.
    """

    def from_db_value(self, value, expression, connection):
        return None if value is None else secret_decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return secret_encrypt(value)
