from apps.core.permissions import user_is_curator

__all__ = ["user_is_curator"]
