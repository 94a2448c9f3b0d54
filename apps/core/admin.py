from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect

from apps.core.errors import ApplicationError
from apps.core.models import Job, JobLog


class ServiceAdmin(admin.ModelAdmin):
    """A ModelAdmin whose writes go through services, as the pages' and the API's do: the subclass's
    ``service_save(request, form, stored)`` returns the object it saved (``stored``: the row as in the
    database, None when adding), ``service_delete(request, obj)`` deletes one, and inlines go through
    ``inline_change`` / ``inline_delete``. An ApplicationError from any of them undoes the whole
    change and shows the form again with the message on the field it names.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ApplicationError as exc:
            # Django ran the save in a transaction that the error rolled back; showing the form
            # again with the error added keeps what the curator typed.
            request.admin_refusal = exc
            return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except ApplicationError as exc:  # a list edit refused: Django rolled back every row of the page
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, "admin_refusal", None)
        return form if refusal is None else _refused_form(form, refusal)

    def save_model(self, request, obj, form, change):
        # The service gets the row as stored: ``obj`` already holds the form's values, so it could
        # not tell what changed (a new text to score, a new poster URL to fetch).
        stored = type(obj)._default_manager.get(pk=obj.pk) if change else None
        obj.pk = self.service_save(request, form, stored).pk
        obj.refresh_from_db()  # the admin goes on (log, redirect, inlines) with what was stored

    def save_related(self, request, form, formsets, change):
        for formset in formsets:  # no form.save_m2m(): the service has set the relations
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        """Each inline row filled in through ``inline_add(request, parent, inline_form)``, each changed
        one through ``inline_change(request, stored, inline_form)`` (both return the object saved),
        each deleted one through ``inline_delete(request, stored)``; ``stored`` is the row as in the
        database."""
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline in formset.forms:
            if inline.instance.pk is None:  # an empty row, or one filled in to add
                if inline.has_changed() and inline not in formset.deleted_forms:
                    formset.new_objects.append(self.inline_add(request, form.instance, inline))
                continue
            stored = type(inline.instance)._default_manager.get(pk=inline.instance.pk)
            if inline in formset.deleted_forms:
                self.inline_delete(request, stored)
                formset.deleted_objects.append(stored)
            elif inline.has_changed():
                formset.changed_objects.append((self.inline_change(request, stored, inline), inline.changed_data))

    def delete_model(self, request, obj):
        try:
            self.service_delete(request, obj)
        except ApplicationError as exc:
            raise PermissionDenied(exc.message) from exc

    def delete_queryset(self, request, queryset):
        with transaction.atomic():  # all the selected objects, or none
            for obj in queryset:
                self.delete_model(request, obj)


def _refused_form(form_class, error: ApplicationError):
    """``form_class`` showing ``error``: on the fields it names that the form has, else above the form."""

    class Refused(form_class):
        def clean(self):
            cleaned = super().clean()
            named = dict(error.extra.get("fields") or {})
            if error.extra.get("field"):
                named.setdefault(error.extra["field"], [error.message])
            shown = [(name, message) for name, messages in named.items() if name in self.fields for message in messages]
            for name, message in shown or [(None, error.message)]:
                self.add_error(name, message)
            return cleaned

    return Refused


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
