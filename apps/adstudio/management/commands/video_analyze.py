"""Run the whole analysis pipeline for a user, in this process, and print the analysis id."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError

from apps.adstudio import services
from apps.adstudio.models import Analysis, Provider
from apps.core.errors import ApplicationError
from apps.core.jobs import job_run


class Command(BaseCommand):
    help = "Analyse a video file or URL for USERNAME now (same job as the site) and print its id."

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="a video file path or an http(s) URL")
        parser.add_argument("--user", required=True, help="owner's username")
        parser.add_argument("--provider", default=Provider.LOCAL, choices=Provider.values)
        parser.add_argument("--title", default="")

    def handle(self, *args, input, user, provider, title, **options):
        owner = get_user_model().objects.filter(username=user).first()
        if owner is None:
            raise CommandError(f"No user named {user!r}.")
        try:
            video = self._video(owner, input, title)
            analysis = services.analysis_start(owner=owner, video=video, provider=provider)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        # The job row is queued for the workers too; running it here claims it first, so a
        # worker that picks it up later skips it (job_run's conditional claim).
        job_run(analysis.job_id)
        analysis.refresh_from_db()
        if analysis.status != Analysis.Status.SUCCEEDED:
            raise CommandError(f"Analysis {analysis.pk} failed: {analysis.error}")
        self.stderr.write(f"{analysis.shots.count()} shots, {analysis.scenes.count()} scenes")
        self.stdout.write(str(analysis.pk))

    def _video(self, owner, source: str, title: str):
        if source.startswith(("http://", "https://")):
            return services.video_create_from_url(owner=owner, url=source, title=title)
        path = Path(source)
        if not path.is_file():
            raise CommandError(f"{source} is not a file.")
        upload = SimpleUploadedFile(path.name, path.read_bytes())
        return services.video_create_from_upload(owner=owner, upload=upload, title=title or path.stem)
