from django.contrib.auth.models import AbstractUser
from django.db import models, transaction


class User(AbstractUser):
    """The project's user from the first migration, so fields can be added without pain."""

    email = models.EmailField("email address", blank=True)
    display_name = models.CharField(max_length=100, blank=True)

    def __str__(self):
        return self.display_name or self.username

    def save(self, *args, **kwargs):
        """Saving a new password (``set_password``: the change and reset pages, the admin,
        ``manage.py changepassword``) also revokes the API token: whoever held the old password
        may have taken the token too. The user asks for a new one on their profile."""
        password_changed = self._password is not None and self.pk is not None
        with transaction.atomic():
            super().save(*args, **kwargs)
            if password_changed:
                from rest_framework.authtoken.models import Token

                Token.objects.filter(user=self).delete()
