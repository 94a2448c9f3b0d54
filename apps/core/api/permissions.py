from rest_framework import permissions

from apps.core.permissions import user_is_curator


class IsCurator(permissions.BasePermission):
    message = "Only curators may do this."

    def has_permission(self, request, view):
        return user_is_curator(request.user)


class IsOwnerOrCuratorOrReadOnly(permissions.BasePermission):
    """Anyone reads; the object's owner (attribute `owner_field` on the view, default
    `created_by`) or a curator writes."""

    message = "Only the owner or a curator may change this."

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        owner_field = getattr(view, "owner_field", "created_by")
        return getattr(obj, f"{owner_field}_id", None) == request.user.pk or user_is_curator(request.user)
