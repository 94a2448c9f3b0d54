from django.contrib import admin
from django.db import models

from apps.adstudio import services
from apps.adstudio.models import (
    Analysis,
    Moodboard,
    MoodboardItem,
    NotionExport,
    NotionSettings,
    SceneGroup,
    Shot,
    Tag,
    Video,
)
from apps.core.admin import ServiceAdmin


URL_FIELDS_HTTPS = {models.URLField: {"assume_scheme": "https"}}  # Django 6's default, said now


class PipelineRecordAdmin(admin.ModelAdmin):
    """Rows that the analysis pipeline, the Notion export and the owner's settings page write: admins
    look (and may delete), never edit, so search, tags and embeddings match the video they came from
    and a Notion database is only set with its token checked."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Video)
class VideoAdmin(PipelineRecordAdmin, ServiceAdmin):
    """Deletes through video_delete: its analyses and its files go too."""

    formfield_overrides = URL_FIELDS_HTTPS
    list_display = ("id", "title", "owner", "duration", "width", "height", "created_at")
    search_fields = ("title", "source_url", "content_hash")
    exclude = ("file",)
    readonly_fields = ("content_hash", "size_bytes", "stored_as")

    @admin.display(description="file")
    def stored_as(self, video):
        """The storage name as text: a link would point at /media/, which serves nothing private
        (the owner watches it on the analysis page)."""
        return video.file.name or "—"

    def service_delete(self, request, video):
        services.video_delete(video=video)


class ShotInline(admin.TabularInline):
    model = Shot
    fields = ("index", "first_frame", "last_frame", "cut_in", "motion")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Analysis)
class AnalysisAdmin(PipelineRecordAdmin, ServiceAdmin):
    """Deletes through analysis_delete: its keyframes and full-size frames go too."""

    list_display = ("id", "video", "owner", "provider", "status", "created_at")
    list_select_related = ("video", "owner", "job")
    list_filter = ("job__status", "provider")  # the state is the job's
    readonly_fields = ("job", "status", "error", "reused_from", "model_version", "summary")
    inlines = [ShotInline]

    def service_delete(self, request, analysis):
        services.analysis_delete(analysis=analysis)


@admin.register(SceneGroup)
class SceneGroupAdmin(PipelineRecordAdmin, ServiceAdmin):
    """Deletes through scene_group_delete: its tags go, its shots stay without a scene."""

    list_display = ("id", "analysis", "index", "start", "end")
    exclude = ("embedding",)

    def service_delete(self, request, scene):
        services.scene_group_delete(scene=scene)


@admin.register(Tag)
class TagAdmin(PipelineRecordAdmin, ServiceAdmin):
    """Deletes through tag_delete: the scene's words are embedded again without the tag."""

    list_display = ("name", "kind", "source", "confidence", "analysis")
    list_filter = ("kind", "source")
    search_fields = ("name",)

    def service_delete(self, request, tag):
        services.tag_delete(tag=tag)


class ItemInline(admin.TabularInline):
    """Notes and removals go through the board services; shots and their order are the owner's."""

    model = MoodboardItem
    extra = 0
    readonly_fields = ("shot", "position")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Moodboard)
class MoodboardAdmin(ServiceAdmin):
    """Saves and deletes through the moodboard services, on the owner's behalf."""

    list_display = ("title", "owner", "shared", "updated_at")
    list_filter = (("share_token", admin.EmptyFieldListFilter),)
    inlines = [ItemInline]
    actions = ["revoke_share_links"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *(["owner"] if obj else [])]

    def service_save(self, request, form, stored):
        data = form.cleaned_data
        if stored:
            return services.moodboard_update(
                owner=stored.owner, moodboard=stored, title=data["title"], description=data["description"]
            )
        return services.moodboard_create(owner=data["owner"], title=data["title"], description=data["description"])

    def service_delete(self, request, board):
        services.moodboard_delete(owner=board.owner, moodboard=board)

    def inline_change(self, request, item, inline):
        return services.moodboard_item_annotate(owner=item.moodboard.owner, item=item, note=inline.cleaned_data["note"])

    def inline_delete(self, request, item):
        services.moodboard_item_remove(owner=item.moodboard.owner, item=item)

    @admin.display(boolean=True, description="share link")
    def shared(self, board):
        return bool(board.share_token)

    @admin.action(description="Revoke the share links of the selected moodboards")
    def revoke_share_links(self, request, queryset):
        boards = list(queryset.exclude(share_token=None).select_related("owner"))
        for board in boards:
            services.moodboard_unshare(owner=board.owner, moodboard=board)
        self.message_user(request, f"{len(boards)} share link(s) revoked.")


@admin.register(NotionSettings)
class NotionSettingsAdmin(PipelineRecordAdmin):
    list_display = ("user", "database_id", "token_hint")
    exclude = ("token",)  # admins see the hint, never the token


@admin.register(NotionExport)
class NotionExportAdmin(PipelineRecordAdmin):
    formfield_overrides = URL_FIELDS_HTTPS
    list_display = ("id", "owner", "analysis", "moodboard", "status", "exported_at")
    list_select_related = ("owner", "analysis__video", "moodboard", "job")
    list_filter = ("job__status",)
    readonly_fields = ("job", "status", "error")
