"""Notion: per-user settings (token kept server-side) and exports of analyses/moodboards."""

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from apps.adstudio.integrations.notion import NotionConfig, NotionError, notion_database_check, notion_export
from apps.adstudio.models import Analysis, Moodboard, NotionExport, NotionSettings
from apps.core.errors import ApplicationError
from apps.core.jobs import JobFailed, job_enqueue

JOB_KIND = "adstudio.notion_export"
MAX_KEYFRAMES = 40  # images uploaded per page: Notion pages stay readable, exports stay fast


def notion_settings_save(*, user, token: str = "", database_id: str) -> NotionSettings:
    """Save the user's database id and (when given) a new token; a blank token keeps the old.

    Notion is asked for the database first, so a wrong token or an unshared database is refused
    here (ApplicationError naming the field) instead of failing the first export.
    """
    database_id = (database_id or "").strip().replace("-", "")
    if not database_id.isalnum() or len(database_id) > 64:
        raise ApplicationError(
            "The database id should be the 32 letters and digits from the " "database's link.",
            extra={"field": "database_id"},
        )
    current = NotionSettings.objects.filter(user=user).first()
    token = (token or "").strip()
    if not token and current is None:
        raise ApplicationError("Paste the integration token.", extra={"field": "token"})
    try:
        notion_database_check(_config(token or current.token, database_id))
    except NotionError as exc:
        raise ApplicationError(f"Not saved: {exc}", code="notion_refused", extra={"field": exc.field}) from exc
    with transaction.atomic():
        row = NotionSettings.objects.select_for_update().filter(user=user).first() or NotionSettings(user=user)
        row.database_id = database_id
        if token:
            row.token = token
        row.full_clean()
        row.save()
    return row


def _config(token: str, database_id: str) -> NotionConfig:
    return NotionConfig(
        token=token,
        database_id=database_id,
        base_url=settings.ADSTUDIO_NOTION_BASE_URL,
        min_interval=settings.ADSTUDIO_NOTION_MIN_INTERVAL,
    )


@transaction.atomic
def notion_settings_clear(*, user) -> None:
    NotionSettings.objects.filter(user=user).delete()


@transaction.atomic
def notion_export_start(*, owner, analysis: Analysis | None = None, moodboard: Moodboard | None = None) -> NotionExport:
    """Queue an export of one analysis or moodboard (job on the ``default`` queue).

    Raises ApplicationError if the target is not the owner's, not finished, or Notion is not set.
    """
    target = analysis or moodboard
    if target is None or (analysis and moodboard) or target.owner_id != owner.pk:
        raise ApplicationError("Nothing of yours to export.", code="not_found", status=404)
    if analysis and analysis.status != Analysis.Status.SUCCEEDED:
        raise ApplicationError("Only a finished analysis can be exported.")
    if not NotionSettings.objects.filter(user=owner).exists():
        raise ApplicationError(
            "Set your Notion token and database first (Notion settings).", code="notion_not_configured"
        )
    export, _ = NotionExport.objects.select_for_update().get_or_create(
        owner=owner, analysis=analysis, moodboard=moodboard
    )
    if export.job_id and not export.job.is_finished:
        # One export at a time per page: two running at once could both create a page.
        return export
    export.job = job_enqueue(kind=JOB_KIND, user=owner, target=export)
    export.save()
    return export


def notion_export_run(*, export: NotionExport, progress) -> dict:
    """The job body: build the document, create or update the page, record its id and URL.
    Raises JobFailed when Notion is not set up any more or refuses the export."""
    conf = NotionSettings.objects.filter(user=export.owner).first()
    if conf is None:
        raise JobFailed("Notion is not set up any more (settings were cleared).")
    progress(0, 3, "Preparing the page")
    doc = analysis_document(export.analysis) if export.analysis else moodboard_document(export.moodboard)
    config = _config(conf.token, conf.database_id)
    progress(1, 3, "Sending to Notion")
    try:
        result = notion_export(config, doc, page_id=export.page_id or None)
    except NotionError as exc:
        raise JobFailed(str(exc)) from exc
    NotionExport.objects.filter(pk=export.pk).update(
        page_id=result["page_id"], url=result["url"][:500], exported_at=timezone.now(), updated_at=timezone.now()
    )
    progress(3, 3, f"Exported ({result['requests']} Notion requests)")
    return {"page_id": result["page_id"], "url": result["url"]}


def _jpeg(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def analysis_document(analysis: Analysis) -> dict:
    shots = list(analysis.shots.order_by("index"))
    scenes = list(analysis.scenes.order_by("index"))
    tags = list(dict.fromkeys(t.name for t in analysis.tags.order_by("-confidence", "name")))
    blocks = [{"type": "heading", "text": "Scenes"}]
    for scene in scenes:
        blocks.append(
            {
                "type": "bullet",
                "text": f"Scene {scene.index + 1} " f"({scene.start:.1f}-{scene.end:.1f} s): {scene.description}",
            }
        )
    blocks.append({"type": "heading", "text": "Shots"})
    step = max(1, -(-len(shots) // MAX_KEYFRAMES))
    for shot in shots:
        if shot.index % step == 0:
            blocks.append(
                {
                    "type": "image",
                    "jpeg": _jpeg(shot.keyframe.name),
                    "name": f"shot-{shot.index + 1}.jpg",
                    "caption": f"Shot {shot.index + 1}",
                }
            )
        labels = ", ".join(n for n, _ in shot.labels[:3])
        blocks.append(
            {
                "type": "bullet",
                "text": f"Shot {shot.index + 1}: {shot.start:.2f}-" f"{shot.end:.2f} s ({shot.cut_in}); {labels}",
            }
        )
    video = analysis.video
    return {
        "title": str(video)[:200],
        "kind": "Analysis",
        "source": video.source_url,
        "duration": video.duration,
        "tags": tags[:100],
        "palette": analysis.summary.get("palette", []),
        "blocks": blocks,
    }


def moodboard_document(board: Moodboard) -> dict:
    items = list(board.items.select_related("shot__analysis__video").order_by("position", "id"))
    blocks = [{"type": "paragraph", "text": board.description}] if board.description else []
    palette, tags = [], []
    for item in items[:MAX_KEYFRAMES]:
        shot = item.shot
        blocks.append(
            {
                "type": "image",
                "jpeg": _jpeg(shot.keyframe.name),
                "name": f"item-{item.pk}.jpg",
                "caption": item.note or f"{shot.analysis.video} shot {shot.index + 1}",
            }
        )
        tags += [n for n, _ in shot.labels[:2]]
        if shot.scene and shot.scene.palette:
            palette.append(shot.scene.palette[0]["hex"])
    return {
        "title": board.title,
        "kind": "Moodboard",
        "source": "",
        "duration": None,
        "tags": list(dict.fromkeys(tags))[:100],
        "palette": list(dict.fromkeys(palette))[:8],
        "blocks": blocks,
    }
