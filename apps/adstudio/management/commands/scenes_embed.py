"""Embed the words of finished analyses' scenes for search by meaning (backfill).

Without ``--all`` it embeds the stale scenes: those with no vector, or with one made another way
(``SceneGroup.text_version`` other than ``services/search.py:TEXT_VERSION``). A release that changes
a scene's words or how they are embedded raises TEXT_VERSION, and this command (run after
``migrate`` by the compose file's `migrate` service and by `runstack`) brings every library to it.
``--all`` re-embeds every scene (after a change to the vocabulary's names in ``ml/``, say).
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from apps.adstudio.models import Analysis, SceneGroup
from apps.adstudio.services.search import STALE, scene_embeddings_update
from apps.core.models import Job


class Command(BaseCommand):
    help = (
        "Store the text embedding of every scene of finished analyses that has none or one made "
        "another way (an older TEXT_VERSION; --all: recompute them all), optionally for one user's "
        "analyses only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--user", help="only this username's analyses")
        parser.add_argument("--all", action="store_true", help="recompute existing vectors too")

    def handle(self, *args, user=None, all=False, **options):
        analyses = Analysis.objects.filter(job__status=Job.Status.SUCCEEDED).order_by("pk")
        if user is not None:
            if not get_user_model().objects.filter(username=user).exists():
                raise CommandError(f"No user named {user!r}.")
            analyses = analyses.filter(owner__username=user)
        if not all:  # one query when nothing is stale: runstack and the compose file run this at every start
            analyses = analyses.filter(pk__in=SceneGroup.objects.filter(STALE).values("analysis_id"))
        total = 0
        for analysis in analyses.iterator():
            total += scene_embeddings_update(analysis=analysis, stale_only=not all)
        self.stdout.write(f"{total} scene{'s' if total != 1 else ''} embedded " f"in {analyses.count()} analyses.")
