from django.core.management.base import BaseCommand

from apps.core.jobs import job_recover_dead


class Command(BaseCommand):
    help = "Mark jobs left running by a dead worker as errored."

    def handle(self, *args, **options):
        count = job_recover_dead()
        self.stdout.write(f"{count} job(s) recovered.")
