from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from apps.accounts.services import user_make_curator


class Command(BaseCommand):
    help = "Make an existing user a curator (curator group + admin access)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}. Create it first (sign up or createsuperuser).")
        user_make_curator(user=user)
        self.stdout.write(f"{username} is now a curator.")
