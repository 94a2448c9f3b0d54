from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from rest_framework.authtoken.models import Token


@transaction.atomic
def user_create(*, username: str, password: str, email: str = "", display_name: str = ""):
    """Creates an active, non-staff user. Raises ValidationError for a taken name or weak password."""
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": ["That username is taken."]})
    user = User(username=username, email=email, display_name=display_name)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def user_update(*, user, **fields):
    """Updates profile fields (email, display_name, first_name, last_name)."""
    allowed = {"email", "display_name", "first_name", "last_name"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError({name: ["This field cannot be changed here."] for name in unknown})
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean()
    user.save(update_fields=list(fields) or None)
    return user


def token_get_or_create(*, user) -> Token:
    """The user's API token, made on first request (the same one until it is regenerated)."""
    return Token.objects.get_or_create(user=user)[0]


@transaction.atomic
def token_regenerate(*, user) -> Token:
    """Replaces the user's API token (the old one stops working at once)."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


def curator_group_sync_permissions() -> None:
    """Gives the curator group every permission on the apps listed in CURATOR_APPS."""
    group, _ = Group.objects.get_or_create(name=settings.CURATOR_GROUP)
    permissions = Permission.objects.filter(content_type__app_label__in=settings.CURATOR_APPS)
    group.permissions.add(*permissions)


@transaction.atomic
def user_make_curator(*, user):
    """Adds the user to the curator group and lets them into the admin (is_staff)."""
    group, _ = Group.objects.get_or_create(name=settings.CURATOR_GROUP)
    user.groups.add(group)
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user
