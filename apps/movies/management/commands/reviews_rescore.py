"""python manage.py reviews_rescore [--all]

Queues a re-score job (``movies.reviews_rescore`` on the ``ml`` queue) for the stored reviews
whose AI fields come from another model than the deployed one, or from none: after a release
ships a new sentiment model or "no opinion" detector, earlier reviews would otherwise keep the
old model's labels and ratings beside new ones. `runstack` runs it after ``migrate``
(settings.STARTUP_COMMANDS), as does the compose file's `migrate` service. It loads no model
(it compares versions with the manifest); the job itself goes by the models the worker loads.
Nothing is queued when every review is up to date or such a job is already waiting or running.
When the queue is down it says so on stderr and exits 0, so the site still starts (the reviews
keep their scores until the next start). ``--all`` queues every review instead.
"""

from django.core.management.base import BaseCommand

from apps.core.errors import ApplicationError
from apps.core.jobs import job_enqueue
from apps.core.models import Job
from apps.movies.models import Review
from apps.movies.selectors import reviews_stale
from apps.movies.versions import review_versions_deployed

KIND = "movies.reviews_rescore"


class Command(BaseCommand):
    help = "Queue a job that re-scores the reviews scored by another model than the deployed one (--all: every review)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="re-score every review, not only the stale ones")

    def handle(self, *args, all=False, **options):
        versions = review_versions_deployed()
        if not versions:
            self.stdout.write("No sentiment model is deployed: reviews stay as they are.")
            return
        reviews = Review.objects.all() if all else reviews_stale(versions)
        count = reviews.count()
        what = "review" if count == 1 else "reviews"
        if not count:
            self.stdout.write("Every review is scored by the deployed models." if not all else "No reviews.")
            return
        params = {"all": True} if all else {"stale": True}
        waiting = Job.objects.filter(kind=KIND, params=params, status__in=(Job.Status.QUEUED, Job.Status.RUNNING))
        pending = waiting.order_by("pk").first()
        if pending is not None:
            self.stdout.write(f"{count} {what} to re-score; job #{pending.pk} ({pending.status}) already does it.")
            return
        try:
            job = job_enqueue(kind=KIND, params=params)
        except ApplicationError as exc:  # the queue is down: the site still starts, nothing is lost
            self.stderr.write(
                f"{count} {what} to re-score, but no job could be queued: {exc.message} They keep their "
                "scores until the next start, or until a curator re-scores them."
            )
            return
        self.stdout.write(
            f"{count} {what} "
            + ("" if all else "scored by another model than the deployed one (or never) ")
            + f"to re-score: job #{job.pk} on the ml queue."
        )
