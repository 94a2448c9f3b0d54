from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """The project's user from the first migration, so fields can be added without pain."""

    email = models.EmailField("email address", blank=True)
    display_name = models.CharField(max_length=100, blank=True)

    def __str__(self):
        return self.display_name or self.username
