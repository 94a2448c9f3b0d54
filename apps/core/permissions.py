"""Who may do what, for every app: core's pages and API read it here, so core needs no other app."""

from django.conf import settings


def user_is_curator(user) -> bool:
    """Curators (the `curator` group) and superusers may edit any catalog entry."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_is_curator_cache", None)
    if cached is None:
        cached = user.is_superuser or user.groups.filter(name=settings.CURATOR_GROUP).exists()
        user._is_curator_cache = cached
    return cached
