"""Demo accounts: a curator to try curator-only actions (idempotent)."""

from django.contrib.auth import get_user_model

from apps.accounts.services import user_make_curator

DEMO_CURATOR = "curator"


def load(*, stdout) -> None:
    User = get_user_model()
    user, created = User.objects.get_or_create(username=DEMO_CURATOR, defaults={"display_name": "Demo curator"})
    if created:
        user.set_unusable_password()
        user.save()
    user_make_curator(user=user)
    stdout.write(
        f"  curator account: {DEMO_CURATOR} ({'created' if created else 'exists'}; "
        "set a password in the admin to log in as it)"
    )
