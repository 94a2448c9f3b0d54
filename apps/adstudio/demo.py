"""Demo data: a synthetic clip analysed for the demo curator (idempotent).

The clip is generated (no download, no bundled media); its analysis is queued as an ordinary
job, so `make run`'s video worker shows the pipeline working on first start.
"""

import tempfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.adstudio import services
from apps.adstudio.models import Video
from apps.adstudio.video.synth import clip_make

DEMO_USER = "curator"
DEMO_TITLE = "Demo: synthetic clip with cuts, dissolves and fades"


def load(*, stdout) -> None:
    owner = get_user_model().objects.filter(username=DEMO_USER).first()
    if owner is None:
        stdout.write("  adstudio: no demo user yet; skipped")
        return
    if Video.objects.filter(owner=owner, title=DEMO_TITLE).exists():
        stdout.write("  adstudio: demo clip exists")
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.mp4"
        clip_make(path, kind="mixed", seed=7, seconds=12, width=320, height=180)
        upload = SimpleUploadedFile("demo.mp4", path.read_bytes(), content_type="video/mp4")
    video = services.video_create_from_upload(owner=owner, upload=upload, title=DEMO_TITLE)
    analysis = services.analysis_start(owner=owner, video=video)
    stdout.write(f"  adstudio: demo clip uploaded, analysis {analysis.pk} queued")
