"""Admin for genre experiments and suggestions, and the "Suggest genres" action, which this app adds
to the movie admin from its own side (the movies app does not know about genres)."""

from django.contrib import admin, messages

from apps.core.admin import ServiceAdmin
from apps.core.errors import ApplicationError
from apps.genres.models import Experiment, GenreSuggestion
from apps.genres.services import removal
from apps.genres.services import suggestions as genre_services
from apps.movies.models import Movie


@admin.action(description="Suggest genres (deployed genre model; one ml job per movie)")
def suggest_genres(modeladmin, request, queryset):
    try:
        jobs = genre_services.genre_suggest_many(movies=list(queryset[:500]), user=request.user)
    except ApplicationError as exc:
        modeladmin.message_user(request, exc.message, level=messages.ERROR)
        return
    modeladmin.message_user(request, f"{len(jobs)} genre suggestion job(s) queued on the ml queue.")


def movie_admin_extend(site=admin.site) -> None:
    """Add "Suggest genres" to the registered movie admin (called once, from GenresConfig.ready)."""
    movie_admin = site.get_model_admin(Movie)
    movie_admin.actions = [*(movie_admin.actions or []), suggest_genres]


class ResultAdmin(ServiceAdmin):
    """Rows the genre jobs write: admins look and delete (through the removal services, so their files
    go too), never add or edit; experiments start from the research page, suggestions are decided by
    the accept / reject actions (their services)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Experiment)
class ExperimentAdmin(ResultAdmin):
    list_display = ["pk", "name", "status", "created_by", "created_at"]
    list_select_related = ["job", "created_by"]
    list_filter = ["job__status"]  # the state is the job's
    search_fields = ["name"]
    readonly_fields = [
        "job",
        "status",
        "error",
        "config",
        "dataset",
        "metrics",
        "per_genre",
        "artifacts",
        "summary",
        "examples",
    ]

    def service_delete(self, request, experiment):
        removal.experiment_delete(experiment=experiment)


def _decide(modeladmin, request, queryset, service, verb):
    done = 0
    for suggestion in queryset.filter(status=GenreSuggestion.Status.PENDING):
        try:
            service(suggestion=suggestion, user=request.user)
            done += 1
        except ApplicationError as exc:
            modeladmin.message_user(request, f"{suggestion}: {exc.message}", level=messages.ERROR)
    modeladmin.message_user(request, f"{done} suggestion(s) {verb}.")


@admin.action(description="Accept (add the genre to the movie)")
def accept_suggestions(modeladmin, request, queryset):
    _decide(modeladmin, request, queryset, genre_services.genre_suggestion_accept, "accepted")


@admin.action(description="Reject")
def reject_suggestions(modeladmin, request, queryset):
    _decide(modeladmin, request, queryset, genre_services.genre_suggestion_reject, "rejected")


@admin.register(GenreSuggestion)
class GenreSuggestionAdmin(ResultAdmin):
    list_display = ["movie", "genre_name", "score", "above_threshold", "status", "model_version", "created_at"]
    list_filter = ["status", "above_threshold", "genre_name"]
    search_fields = ["movie__title", "genre_name"]
    raw_id_fields = ["movie", "job"]
    readonly_fields = ["explanation", "decided_by", "decided_at"]
    actions = [accept_suggestions, reject_suggestions]

    def service_delete(self, request, suggestion):
        removal.genre_suggestion_delete(suggestion=suggestion)
