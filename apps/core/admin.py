from django.contrib import admin

from apps.core.models import Job, JobLog


class JobLogInline(admin.TabularInline):
    model = JobLog
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "level", "message"]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "status", "queue", "user", "percent", "created_at", "finished_at"]
    list_filter = ["status", "queue", "kind"]
    search_fields = ["kind", "error", "user__username"]
    readonly_fields = [f.name for f in Job._meta.fields]
    inlines = [JobLogInline]

    def has_add_permission(self, request):
        return False  # jobs are created by job_enqueue, never by hand
