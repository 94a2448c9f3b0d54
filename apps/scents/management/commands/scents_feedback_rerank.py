"""python manage.py scents_feedback_rerank: rebuild material preferences from all feedback."""

import json

from django.core.management.base import BaseCommand

from apps.scents.services import preferences_rebuild


class Command(BaseCommand):
    help = "Recompute ingredient preferences from collected feedback; later recipes use them."

    def handle(self, *args, **opts):
        entry = preferences_rebuild()
        self.stdout.write(json.dumps({"version": entry["version"], **entry["metrics"]}))
