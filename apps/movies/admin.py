"""Admin for curators: movies, genres, reviews (filters, search, re-score action)."""

from django import forms
from django.contrib import admin, messages
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models import Count

from apps.core.admin import ServiceAdmin
from apps.core.errors import ApplicationError
from apps.core.jobs import job_enqueue
from apps.movies import services
from apps.movies.forms import LinesField
from apps.movies.models import Genre, GenreAlias, Movie, Review
from apps.movies.selectors import reviews_current
from apps.movies.services.posters import poster_image_check
from apps.movies.versions import review_versions_deployed


class GenreAliasInline(admin.TabularInline):
    model = GenreAlias
    extra = 1
    fields = ["name"]


@admin.action(
    description="Merge the selected genres into the one with the most movies (the others' names " "become its aliases)"
)
def genres_merge(modeladmin, request, queryset):
    names = list(queryset.values_list("name", flat=True))
    try:
        kept = services.genre_merge(genres=list(queryset))
    except ApplicationError as exc:
        modeladmin.message_user(request, exc.message, messages.ERROR)
        return
    merged = ", ".join(n for n in names if n != kept.name)
    modeladmin.message_user(request, f"{merged} merged into {kept}; movies keep their genres.", messages.SUCCESS)


@admin.register(Genre)
class GenreAdmin(ServiceAdmin):
    """The one genre list: each genre with its other spellings (aliases) and its number of movies.
    Saves through genre_create / genre_update and the alias services, so a name is checked against
    every spelling and every page shows the change at once."""

    list_display = ["name", "slug", "alias_names", "movie_count"]
    search_fields = ["name", "aliases__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [GenreAliasInline]
    actions = [genres_merge]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("movies", distinct=True)).prefetch_related("aliases")

    def service_save(self, request, form, stored):
        data = form.cleaned_data
        if stored:
            return services.genre_update(genre=stored, name=data["name"], slug=data["slug"])
        return services.genre_create(name=data["name"], slug=data["slug"])

    def service_delete(self, request, genre):
        services.genre_delete(genre=genre)

    def inline_add(self, request, genre, inline):
        return services.genre_alias_add(genre=genre, name=inline.cleaned_data["name"])

    def inline_change(self, request, alias, inline):
        return services.genre_alias_rename(alias=alias, name=inline.cleaned_data["name"])

    def inline_delete(self, request, alias):
        services.genre_alias_delete(alias=alias)

    @admin.display(description="aliases")
    def alias_names(self, genre):
        return ", ".join(a.name for a in genre.aliases.all())

    @admin.display(description="movies", ordering="n")
    def movie_count(self, genre):
        return genre.n


class ReviewInlineForm(forms.ModelForm):
    def clean_text(self):
        """The site's rules for a review text, shown on the row that breaks them before anything
        on the page is saved (review_moderate checks again)."""
        try:
            return services.review_text_clean(self.cleaned_data["text"])
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message) from exc


class ReviewInline(admin.TabularInline):
    model = Review
    form = ReviewInlineForm
    extra = 0
    fields = ["author", "text", "user_rating", "sentiment", "ai_rating", "p_opinion", "model_version"]
    readonly_fields = ["author", "user_rating", "sentiment", "ai_rating", "p_opinion", "model_version"]
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # a review needs its author: add it on the review admin


class MovieAdminForm(forms.ModelForm):
    production_companies = LinesField(required=False, help_text="One a line.")

    class Meta:
        # No "clear" box: the poster is replaced by a new upload or URL, never removed (as on the site).
        widgets = {"poster": forms.FileInput}

    def clean_poster(self):
        """A newly uploaded poster passes the same check as on the site (type, pixel limit,
        complete image data)."""
        poster = self.cleaned_data.get("poster")
        if isinstance(poster, UploadedFile):
            try:
                poster_image_check(poster, source="The poster file")
            except ApplicationError as exc:
                raise forms.ValidationError(exc.message) from exc
        return poster


@admin.register(Movie)
class MovieAdmin(ServiceAdmin):
    """Saves through movie_create / movie_update (a new poster URL is fetched by the poster job),
    deletes through movie_delete (the poster file goes too); inline review texts are re-scored."""

    form = MovieAdminForm
    # Django 6 changes the default scheme of a URL typed without one; say https now.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "release_date", "runtime_minutes", "original_language", "created_by", "created_at"]
    list_filter = ["genres", "original_language", ("release_date", admin.DateFieldListFilter)]
    search_fields = ["title", "original_title", "director"]
    filter_horizontal = ["genres"]
    autocomplete_fields = ["created_by"]
    date_hierarchy = "release_date"
    inlines = [ReviewInline]

    def get_readonly_fields(self, request, obj=None):
        changing = ["created_by", "tmdb_id", "tmdb_vote_average", "tmdb_vote_count"] if obj else []
        return [*super().get_readonly_fields(request, obj), *changing]

    def service_save(self, request, form, stored):
        data = dict(form.cleaned_data)
        if not isinstance(data.get("poster"), UploadedFile):
            data["poster"] = None  # the stored poster, unchanged
        if stored:
            return services.movie_update(movie=stored, user=request.user, **data)
        data["created_by"] = data.get("created_by") or request.user
        return services.movie_create(**data)

    def service_delete(self, request, movie):
        services.movie_delete(movie=movie, user=request.user)

    def inline_change(self, request, review, inline):
        return services.review_moderate(review=review, user=request.user, text=inline.cleaned_data["text"])

    def inline_delete(self, request, review):
        services.review_delete(review=review, user=request.user)


class ScoredByFilter(admin.SimpleListFilter):
    """Which model a review's AI fields come from, against the manifest's: after a model update,
    "an older model" lists what the re-score action (or the start-up job) has yet to bring up to date."""

    title = "scored by"
    parameter_name = "scored_by"

    def lookups(self, request, model_admin):
        return [("deployed", "the deployed models"), ("older", "an older model"), ("never", "not scored")]

    def queryset(self, request, queryset):
        if self.value() == "never":
            return queryset.filter(model_version="")
        if self.value() not in ("deployed", "older"):
            return queryset  # the unfiltered list does not read the manifest
        current = reviews_current(review_versions_deployed())
        if self.value() == "deployed":
            return queryset.filter(current)
        return queryset.exclude(current).exclude(model_version="")


@admin.register(Review)
class ReviewAdmin(ServiceAdmin):
    """Saves through review_create / review_moderate, so a changed text is scored again."""

    list_display = [
        "movie",
        "author",
        "short_text",
        "language",
        "sentiment",
        "ai_rating",
        "user_rating",
        "model_version",
        "created_at",
    ]
    list_filter = [
        "sentiment",
        "language",
        "user_rating",
        ScoredByFilter,
        "model_version",
        ("created_at", admin.DateFieldListFilter),
    ]
    search_fields = ["text", "movie__title", "author__username"]
    list_select_related = ["movie", "author"]
    autocomplete_fields = ["movie", "author"]
    # sentiment "none" reads "No opinion found" (its own filter choice); its rating stays empty.
    readonly_fields = [
        "language",
        "sentiment",
        "p_positive",
        "ai_rating",
        "p_opinion",
        "model_version",
        "scored_at",
        "user_rating",
    ]  # the reviewer's own; the AI fields are the model's
    actions = ["rescore"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *(["movie", "author"] if obj else [])]

    def service_save(self, request, form, stored):
        data = form.cleaned_data
        if stored:
            return services.review_moderate(review=stored, user=request.user, text=data["text"])
        return services.review_create(movie=data["movie"], author=data["author"], text=data["text"])

    def service_delete(self, request, review):
        services.review_delete(review=review, user=request.user)

    @admin.display(description="text")
    def short_text(self, review):
        return review.text[:80]

    @admin.action(description="Re-score selected reviews with the current model (background job)")
    def rescore(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        try:
            job = job_enqueue(kind="movies.reviews_rescore", user=request.user, params={"review_ids": ids})
        except ApplicationError as exc:  # the queue is down
            self.message_user(request, exc.message, messages.ERROR)
            return
        self.message_user(request, f"Re-scoring {len(ids)} review(s) in job #{job.pk}.", messages.SUCCESS)
