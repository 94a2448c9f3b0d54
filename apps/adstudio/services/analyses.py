"""Analyses: start one (a job on the ``video`` queue), run it, store what it found.

The analysis's state is its job's: the job body raises for bad input, `analysis_finished` (the
job's on_finish) removes what a run that did not succeed left behind.
"""

from collections import Counter

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from apps.adstudio.integrations.ytdlp import DownloadFailed
from apps.adstudio.ml.vision import image_model_get, model_version
from apps.adstudio.ml.vocabulary import KIND as VOCABULARY_KIND
from apps.adstudio.models import Analysis, Provider, SceneGroup, Shot, Tag, Video
from apps.adstudio.pipeline import STAGES, PipelineOptions, video_analyse
from apps.adstudio.providers import ProviderError, providers_enabled
from apps.adstudio.services.search import scene_embeddings_update
from apps.adstudio.services.storage import local_path, stored_files, workspace
from apps.adstudio.services.videos import video_create_from_upload, video_fetch
from apps.adstudio.video.probe import VideoRejected
from apps.core.errors import ApplicationError
from apps.core.files import atomic_with_files
from apps.core.jobs import JobFailed, job_enqueue, job_recover_dead
from apps.core.models import Job

JOB_KIND = "adstudio.analyse"
# Stages the user watches: fetch + the pipeline's stages + save.
TOTAL_STAGES = len(STAGES) + 2
# Bad input, with a message for the user (ApplicationError fails the job by itself).
USER_ERRORS = (VideoRejected, DownloadFailed, ProviderError)


def provider_config() -> dict:
    return settings.ADSTUDIO_PROVIDERS


@transaction.atomic
def analysis_start(*, owner, video: Video, provider: str = Provider.LOCAL) -> Analysis:
    """Create a queued analysis of ``video`` and enqueue its job on the ``video`` queue.

    Raises ApplicationError when the video is not the owner's or the provider is not enabled.
    """
    if video.owner_id != owner.pk:
        raise ApplicationError("Video not found.", code="not_found", status=404)
    if provider not in providers_enabled(provider_config()):
        raise ApplicationError(
            f"The {provider!r} provider is not available (no API key set).", code="provider_unavailable"
        )
    analysis = Analysis(owner=owner, video=video, provider=provider)
    analysis.full_clean()
    analysis.save()
    analysis.job = job_enqueue(kind=JOB_KIND, user=owner, target=analysis, params={"provider": provider})
    analysis.save(update_fields=["job", "updated_at"])
    return analysis


def analysis_start_from_upload(*, owner, upload, title: str = "", provider: str = Provider.LOCAL) -> Analysis:
    """Store ``upload`` as a new video and queue its analysis, all or nothing: when either step
    raises (a bad file, a provider that is not available...), no video, analysis or stored file
    is left. Raises what video_create_from_upload and analysis_start raise."""
    with atomic_with_files() as stored:
        video = video_create_from_upload(owner=owner, upload=upload, title=title)
        stored.append(video.file.name)
        return analysis_start(owner=owner, video=video, provider=provider)


def analysis_run(*, analysis: Analysis, progress) -> dict:
    """The job body: fetch the source, reuse or compute the analysis, store the results.

    Bad input (not a video, truncated, empty, private URL, 404, provider refusal) raises
    JobFailed or ApplicationError with the reason; the video and its file are kept.
    """
    try:
        progress(0, TOTAL_STAGES, "Fetching the video")
        video_fetch(video=analysis.video, progress=progress)
        source = _reusable(analysis)
        if source is not None:
            progress(TOTAL_STAGES - 1, TOTAL_STAGES, f"Same file as analysis {source.pk}: reusing its results")
            _copy_results(source, analysis)
        else:
            result = _compute(analysis, progress)
            progress(TOTAL_STAGES - 1, TOTAL_STAGES, "Saving shots, scenes and tags")
            _save_results(analysis, result)
        scene_embeddings_update(analysis=analysis, stale_only=True)  # copied ones are kept if current
    except USER_ERRORS as exc:
        raise JobFailed(str(exc)) from exc
    progress(TOTAL_STAGES, TOTAL_STAGES, "Done")
    return {
        "analysis": analysis.pk,
        "shots": analysis.shots.count(),
        "scenes": analysis.scenes.count(),
        "reused_from": analysis.reused_from_id,
    }


def analysis_finished(job: Job) -> None:
    """The analysis job's on_finish: a run that did not succeed (failed, errored, dead worker,
    cancelled) keeps no partial results: no rows, no keyframes written before their rows."""
    analysis = job.target
    if analysis is None or job.status == Job.Status.SUCCEEDED:
        return
    with transaction.atomic():
        Shot.objects.filter(analysis=analysis).delete()
        SceneGroup.objects.filter(analysis=analysis).delete()  # and their tags
        Analysis.objects.filter(pk=analysis.pk).update(
            reused_from=None, model_version="", frames=None, fps=None, summary={}
        )
    # Only this analysis's own folder: a reused analysis points at its source's keyframes.
    for name in stored_files(workspace(analysis.owner_id, "analyses", str(analysis.pk))):
        default_storage.delete(name)


def analyses_recover(*, owner) -> int:
    """Record the ending of the owner's analysis jobs whose worker died (their on_finish runs),
    so pages and the API show such an analysis as failed at once, never as running."""
    return job_recover_dead(queryset=Job.objects.filter(user=owner, kind=JOB_KIND))


def _reusable(analysis: Analysis) -> Analysis | None:
    """A finished analysis of the same file (content hash) by the same owner and provider."""
    digest = analysis.video.content_hash
    if not digest:
        return None
    return (
        Analysis.objects.filter(
            owner_id=analysis.owner_id,
            provider=analysis.provider,
            job__status=Job.Status.SUCCEEDED,
            video__content_hash=digest,
        )
        .exclude(pk=analysis.pk)
        .order_by("-created_at")
        .first()
    )


def _compute(analysis: Analysis, progress) -> dict:
    def staged(done, total, note=""):
        progress(1 + done, TOTAL_STAGES, note)

    options = PipelineOptions(
        provider=analysis.provider, provider_config=provider_config(), max_seconds=settings.ADSTUDIO_MAX_SECONDS
    )
    with local_path(analysis.video.file.name) as path:
        return video_analyse(path, model=image_model_get(), options=options, progress=staged)


def _save_results(analysis: Analysis, result: dict) -> None:
    video, info = analysis.video, result["info"]
    video.duration, video.fps = info["duration"], info["fps"]
    video.width, video.height, video.codec = info["width"], info["height"], info["codec"]
    video.save(update_fields=["duration", "fps", "width", "height", "codec", "updated_at"])
    # Keyframes are written before the rows that point at them, outside the transaction:
    # a crash leaves orphan JPEGs at worst, never rows without files.
    names = [
        default_storage.save(
            workspace(analysis.owner_id, "analyses", str(analysis.pk), f"shot-{s['index']:04d}.jpg"),
            ContentFile(s["keyframe_jpeg"]),
        )
        for s in result["shots"]
    ]
    with transaction.atomic():
        scenes = _scenes_create(analysis, result["scenes"])
        scene_of = {i: scenes[k] for k, sc in enumerate(result["scenes"]) for i in sc["shots"]}
        Shot.objects.bulk_create(
            [_shot_row(analysis, s, name, scene_of.get(s["index"])) for s, name in zip(result["shots"], names)]
        )
        Tag.objects.bulk_create(_tag_rows(analysis, scenes, result["scenes"]))
        analysis.frames, analysis.fps = result["frames"], result["fps"]
        analysis.model_version = model_version()
        analysis.summary = _summary(result)
        analysis.save(update_fields=["frames", "fps", "model_version", "summary", "updated_at"])


def _scenes_create(analysis, scenes: list[dict]) -> list[SceneGroup]:
    return SceneGroup.objects.bulk_create(
        [
            SceneGroup(
                analysis=analysis,
                index=sc["index"],
                start=sc["start"],
                end=sc["end"],
                palette=sc["palette"],
                metrics=sc["metrics"],
                reading=sc["reading"],
                description=sc["reading"].get("description", ""),
                embedding=sc["embedding"].tolist(),
            )
            for sc in scenes
        ]
    )


def _shot_row(analysis, s: dict, name: str, scene) -> Shot:
    return Shot(
        analysis=analysis,
        scene=scene,
        index=s["index"],
        first_frame=s["first"],
        last_frame=s["last"],
        start=s["start"],
        end=s["end"],
        cut_in=s["cut_in"],
        keyframe_frame=s["keyframe"],
        keyframe=name,
        motion=s["motion"],
        labels=[[n, round(p, 4)] for n, p in s["labels"]],
        attributes=s["attributes"],
        embedding=s["embedding"].tolist(),
    )


def _tag_rows(analysis, scenes: list[SceneGroup], data: list[dict]) -> list[Tag]:
    rows = []
    for scene, sc in zip(scenes, data):
        seen = set()

        def add(name, kind, source, confidence=None):
            name = (name or "").strip()[:120]
            if name and (name.lower(), kind) not in seen:
                seen.add((name.lower(), kind))
                rows.append(
                    Tag(analysis=analysis, scene=scene, name=name, kind=kind, source=source, confidence=confidence)
                )

        for name, p in sc["labels"]:  # vocabulary tags, already past their thresholds
            add(name, VOCABULARY_KIND[name], Provider.LOCAL, round(p, 4))
        reading, source = sc["reading"], analysis.provider
        for name in reading.get("objects", []):
            add(name, Tag.Kind.OBJECT, source)
        for kind in (Tag.Kind.MOOD, Tag.Kind.STYLE, Tag.Kind.SETTING):
            add(reading.get(kind, ""), kind, source)
        for name in reading.get("colours", []):
            add(name, Tag.Kind.COLOUR, source)
    return rows


TOP_TAGS = 12  # the summary's top tags: each vocabulary tag at its best confidence over the scenes


def _summary(result: dict) -> dict:
    tags: dict[str, float] = {}
    for sc in result["scenes"]:
        for name, p in sc["labels"]:
            tags[name] = max(tags.get(name, 0.0), p)
    top = sorted(tags.items(), key=lambda kv: -kv[1])[:TOP_TAGS]
    first = result["scenes"][0] if result["scenes"] else {}
    return {
        "shots": len(result["shots"]),
        "scenes": len(result["scenes"]),
        "top_tags": [n for n, _ in top],
        "palette": [c["hex"] for c in first.get("palette", [])],
        "shot_scales": dict(Counter(s["attributes"]["scale"] for s in result["shots"])),
        "camera": dict(Counter(s["attributes"]["camera"] for s in result["shots"])),
    }


@transaction.atomic
def _copy_results(source: Analysis, target: Analysis) -> None:
    """Copy a finished analysis's rows (same owner: the keyframe files are shared)."""
    scenes = {}
    for scene in source.scenes.all():
        old = scene.pk
        scene.pk, scene.analysis = None, target
        scene.save()
        scenes[old] = scene
    shots = []
    for shot in source.shots.all():
        shot.pk, shot.analysis = None, target
        shot.scene = scenes.get(shot.scene_id)
        shots.append(shot)
    Shot.objects.bulk_create(shots)
    tags = []
    for tag in source.tags.all():
        tag.pk, tag.analysis, tag.scene = None, target, scenes[tag.scene_id]
        tags.append(tag)
    Tag.objects.bulk_create(tags)
    target.reused_from = source
    target.frames, target.fps = source.frames, source.fps
    target.model_version, target.summary = source.model_version, source.summary
    target.save(update_fields=["reused_from", "frames", "fps", "model_version", "summary", "updated_at"])
    video, src = target.video, source.video
    video.duration, video.fps, video.width = src.duration, src.fps, src.width
    video.height, video.codec = src.height, src.codec
    video.save(update_fields=["duration", "fps", "width", "height", "codec", "updated_at"])
