from apps.core.permissions import user_is_curator


def site(request):
    return {"site_name": "CineScent", "user_is_curator": user_is_curator(request.user)}
