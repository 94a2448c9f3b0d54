from django.urls import reverse
from rest_framework import serializers

from apps.adstudio.models import (
    Analysis,
    Moodboard,
    MoodboardItem,
    NotionExport,
    Provider,
    SceneGroup,
    Shot,
    Tag,
    Video,
)
from apps.adstudio.services.moodboards import DESCRIPTION_MAX_CHARS, NOTE_MAX_CHARS
from apps.core.api.serializers import InputSerializer, JobOutputSerializer


class AdVideoSerializer(serializers.ModelSerializer):
    class Meta:
        model = Video
        fields = [
            "id",
            "title",
            "source_url",
            "content_hash",
            "size_bytes",
            "duration",
            "fps",
            "width",
            "height",
            "codec",
            "created_at",
        ]


class AdAnalysisSerializer(serializers.ModelSerializer):
    video = AdVideoSerializer(read_only=True)
    status = serializers.ChoiceField(
        choices=Analysis.Status.choices,
        read_only=True,
        help_text="The analysis job's state: queued, running, succeeded, failed (bad input, a "
        "crash, a timeout or a worker that died), or cancelled (the job was cancelled before "
        "it started).",
    )
    error = serializers.CharField(read_only=True, help_text="Why it failed, for the user.")
    job = JobOutputSerializer(read_only=True)

    class Meta:
        model = Analysis
        fields = [
            "id",
            "video",
            "provider",
            "status",
            "error",
            "reused_from",
            "model_version",
            "frames",
            "fps",
            "summary",
            "job",
            "created_at",
        ]


class AdShotSerializer(serializers.ModelSerializer):
    keyframe_url = serializers.SerializerMethodField(help_text="The keyframe as analysed (JPEG, at most 640 px wide).")
    frame_url = serializers.SerializerMethodField(
        help_text="The same frame at the video's own resolution (PNG, decoded from the source on the " "first request)."
    )
    distance = serializers.FloatField(read_only=True, required=False)
    labels = serializers.JSONField(
        read_only=True,
        help_text="Vocabulary tags of the keyframe with their confidence, "
        'best first: [["people", 0.71], ["sky", 0.55]].',
    )
    attributes = serializers.JSONField(
        read_only=True,
        help_text="Measured without a classifier: scale (close-up, medium, "
        "wide), camera (static, pan, tilt, zoom, handheld) and camera_detail, faces, "
        "brightness (0-1), light (day, night, dark), palette ([{hex, share, name}]).",
    )

    class Meta:
        model = Shot
        fields = [
            "id",
            "analysis",
            "scene",
            "index",
            "first_frame",
            "last_frame",
            "start",
            "end",
            "cut_in",
            "keyframe_frame",
            "keyframe_url",
            "frame_url",
            "motion",
            "labels",
            "attributes",
            "distance",
        ]

    def get_keyframe_url(self, shot) -> str:
        return reverse("adstudio-api:shot_keyframe", args=[shot.pk])

    def get_frame_url(self, shot) -> str:
        return reverse("adstudio-api:shot_frame", args=[shot.pk])


class AdSimilarQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=50, default=12, help_text="How many similar shots (1-50).")


class AdTagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["name", "kind", "source", "confidence"]


class AdSceneSerializer(serializers.ModelSerializer):
    tags = AdTagSerializer(many=True, read_only=True)
    shots = serializers.SerializerMethodField()

    class Meta:
        model = SceneGroup
        fields = [
            "id",
            "analysis",
            "index",
            "start",
            "end",
            "palette",
            "metrics",
            "reading",
            "description",
            "tags",
            "shots",
        ]

    def get_shots(self, scene) -> list[int]:
        return [s.pk for s in scene.shots.all()]


class AdAnalysisInputSerializer(InputSerializer):
    video = serializers.IntegerField(required=False)
    url = serializers.URLField(required=False, max_length=2000)
    upload = serializers.FileField(required=False)
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    provider = serializers.ChoiceField(choices=Provider.choices, default=Provider.LOCAL)

    def validate(self, data):
        given = [k for k in ("video", "url", "upload") if data.get(k)]
        if len(given) != 1:
            raise serializers.ValidationError("Give exactly one of video, url or upload.")
        return data


class AdMoodboardItemSerializer(serializers.ModelSerializer):
    shot = AdShotSerializer(read_only=True)

    class Meta:
        model = MoodboardItem
        fields = ["id", "position", "note", "shot"]


class AdMoodboardSerializer(serializers.ModelSerializer):
    items = AdMoodboardItemSerializer(many=True, read_only=True)
    share_url = serializers.SerializerMethodField(
        help_text="Path of the read-only share link (anyone holding it sees the board); null when "
        "the board is not shared."
    )

    class Meta:
        model = Moodboard
        fields = ["id", "title", "description", "items", "share_url", "created_at", "updated_at"]

    def get_share_url(self, board) -> str | None:
        return board.share_token and reverse("adstudio:moodboard_shared", args=[board.share_token])


class AdShareOutputSerializer(serializers.Serializer):
    share_url = serializers.CharField(help_text="Path of the read-only share link.")


class AdScentOutputSerializer(serializers.Serializer):
    """The recipe composed from a shot or a board (details: ``recipe_api_url``)."""

    recipe = serializers.IntegerField(source="pk")
    scene = serializers.IntegerField(source="scene_id")
    title = serializers.CharField(source="scene.title")
    url = serializers.CharField(source="get_absolute_url", help_text="The recipe page.")
    recipe_api_url = serializers.SerializerMethodField()

    def get_recipe_api_url(self, recipe) -> str:
        return reverse("scents-api:recipe_detail", args=[recipe.pk])


class AdMoodboardInputSerializer(InputSerializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=DESCRIPTION_MAX_CHARS)


class AdMoodboardUpdateSerializer(InputSerializer):
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=DESCRIPTION_MAX_CHARS)


class AdItemInputSerializer(InputSerializer):
    shot = serializers.IntegerField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE_MAX_CHARS)


class AdItemUpdateSerializer(InputSerializer):
    note = serializers.CharField(allow_blank=True, max_length=NOTE_MAX_CHARS)


class AdOrderInputSerializer(InputSerializer):
    items = serializers.ListField(child=serializers.IntegerField(), max_length=500)


class AdExportSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(
        choices=NotionExport.Status.choices,
        read_only=True,
        help_text="The export job's state: queued (also while it runs), succeeded, failed, or "
        "cancelled (the job was cancelled before it started).",
    )
    error = serializers.CharField(read_only=True, help_text="Why it failed, for the user.")
    job = JobOutputSerializer(read_only=True)

    class Meta:
        model = NotionExport
        fields = ["id", "analysis", "moodboard", "status", "error", "page_id", "url", "exported_at", "job"]


class AdExportInputSerializer(InputSerializer):
    analysis = serializers.IntegerField(required=False)
    moodboard = serializers.IntegerField(required=False)

    def validate(self, data):
        if bool(data.get("analysis")) == bool(data.get("moodboard")):
            raise serializers.ValidationError("Give exactly one of analysis or moodboard.")
        return data


class AdNotionSettingsInputSerializer(InputSerializer):
    token = serializers.CharField(required=False, allow_blank=True, max_length=300, write_only=True)
    database_id = serializers.CharField(max_length=100)


class AdNotionSettingsOutputSerializer(serializers.Serializer):
    configured = serializers.BooleanField()
    database_id = serializers.CharField()
    token_hint = serializers.CharField()
