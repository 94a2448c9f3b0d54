"""Demo accounts: a curator to try curator-only actions (idempotent)."""
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.conf import settings

DEMO_CURATOR = "curator"


def load(*, stdout) -> None:
    User = get_user_model()
    user, created = User.objects.get_or_create(username=DEMO_CURATOR, defaults={"display_name": "Demo curator"})
    if created:
        user.set_unusable_password()
        user.save()
    user.groups.add(Group.objects.get(name=settings.CURATOR_GROUP))
    stdout.write(f"  curator account: {DEMO_CURATOR} ({'created' if created else 'exists'}; "
                 "set a password in the admin to log in as it)")
