from django.contrib import admin
from django.db import models

from apps.adstudio import services
from apps.adstudio.models import (Analysis, Moodboard, MoodboardItem, NotionExport,
                                  NotionSettings, SceneGroup, Shot, Tag, Video)


URL_FIELDS_HTTPS = {models.URLField: {"assume_scheme": "https"}}  # Django 6's default, said now


@admin.register(Video)
class VideoAdmin(admin.ModelAdmin):
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


class ShotInline(admin.TabularInline):
    model = Shot
    fields = ("index", "first_frame", "last_frame", "cut_in", "motion")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Analysis)
class AnalysisAdmin(admin.ModelAdmin):
    list_display = ("id", "video", "owner", "provider", "status", "created_at")
    list_select_related = ("video", "owner", "job")
    list_filter = ("job__status", "provider")  # the state is the job's
    readonly_fields = ("job", "status", "error", "reused_from", "model_version", "summary")
    inlines = [ShotInline]


@admin.register(SceneGroup)
class SceneGroupAdmin(admin.ModelAdmin):
    list_display = ("id", "analysis", "index", "start", "end")
    exclude = ("embedding",)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "source", "confidence", "analysis")
    list_filter = ("kind", "source")
    search_fields = ("name",)


class ItemInline(admin.TabularInline):
    model = MoodboardItem
    extra = 0


@admin.register(Moodboard)
class MoodboardAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "shared", "updated_at")
    list_filter = (("share_token", admin.EmptyFieldListFilter),)
    inlines = [ItemInline]
    actions = ["revoke_share_links"]

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
class NotionSettingsAdmin(admin.ModelAdmin):
    list_display = ("user", "database_id", "token_hint")
    exclude = ("token",)  # admins see the hint, never the token


@admin.register(NotionExport)
class NotionExportAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS_HTTPS
    list_display = ("id", "owner", "analysis", "moodboard", "status", "exported_at")
    list_select_related = ("owner", "analysis__video", "moodboard", "job")
    list_filter = ("job__status",)
    readonly_fields = ("job", "status", "error")
