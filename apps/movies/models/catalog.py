"""Catalog models: genres, movies and reviews with their AI sentiment."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from apps.core.models import BaseModel


class Genre(BaseModel):
    """One genre of the one list the catalog, the filters, the API and the suggestions share."""

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        alias = (
            GenreAlias.objects.filter(name__iexact=self.name).exclude(genre_id=self.pk).select_related("genre").first()
        )
        if alias:
            raise ValidationError({"name": f"“{self.name}” is already an alias of {alias.genre}."})


class GenreAlias(BaseModel):
    """Another spelling of a genre, e.g. the suggestion model's IMDb "Sci-Fi" for the catalog's TMDB
    "Science Fiction": looking a name up finds the genre, never makes a second one."""

    genre = models.ForeignKey(Genre, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="movies_genrealias_name_once",
                violation_error_message="This alias already belongs to a genre.",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if Genre.objects.filter(name__iexact=self.name).exists():
            raise ValidationError(
                {
                    "name": f"“{self.name}” is already the name of a genre; merge the two "
                    "genres instead (admin action “Merge”)."
                }
            )


class Movie(BaseModel):
    title = models.CharField(max_length=200)
    original_title = models.CharField(max_length=200, blank=True, default="")
    release_date = models.DateField(null=True, blank=True)
    director = models.CharField(max_length=200, blank=True, default="")
    runtime_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    tagline = models.CharField(max_length=300, blank=True, default="")
    plot = models.TextField(blank=True, default="")
    # ISO 639-1 code of the language the film was made in ("en", "ko"); TMDB's "xx" = no language.
    original_language = models.CharField(
        max_length=3,
        blank=True,
        default="",
        validators=[RegexValidator(r"^[a-z]{2,3}$", "Give a language code of 2 or 3 small letters, e.g. en or ko.")],
    )
    production_companies = ArrayField(models.CharField(max_length=200), size=30, blank=True, default=list)
    genres = models.ManyToManyField(Genre, blank=True, related_name="movies")
    poster = models.ImageField(upload_to="movies/posters/", blank=True, default="")
    # Where the poster came from when it was given as a URL (fetched by the poster job).
    poster_url = models.URLField(max_length=1000, blank=True, default="")
    # Source id of demo / imported movies (TMDB), so loading the demo twice adds nothing.
    tmdb_id = models.PositiveIntegerField(null=True, blank=True, unique=True)
    # TMDB users' average score and number of votes (source data of demo / imported movies).
    tmdb_vote_average = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    tmdb_vote_count = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="movies_created",
    )

    class Meta:
        ordering = ["title", "pk"]
        indexes = [
            models.Index(Lower("title"), name="movies_movie_title_lower"),
            models.Index(fields=["release_date"]),
        ]

    def __str__(self):
        return f"{self.title} ({self.release_date.year})" if self.release_date else self.title

    @property
    def year(self):
        return self.release_date.year if self.release_date else None

    def get_absolute_url(self):
        return reverse("movies:detail", args=[self.pk])


class Review(BaseModel):
    class Sentiment(models.TextChoices):
        POSITIVE = "positive", "Positive"
        NEGATIVE = "negative", "Negative"
        # The text states no readable opinion (gibberish, a fact, off-topic): no rating either.
        NONE = "none", "No opinion found"

    class Language(models.TextChoices):
        KOREAN = "ko", "Korean"
        ENGLISH = "en", "English"

    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="reviews")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews")
    text = models.TextField()
    language = models.CharField(max_length=2, choices=Language.choices, blank=True, default="")
    # AI output; empty/null until scored (the model may be missing right after a fresh clone).
    sentiment = models.CharField(max_length=10, choices=Sentiment.choices, blank=True, default="")
    p_positive = models.FloatField(null=True, blank=True, validators=[MinValueValidator(0.0), MaxValueValidator(1.0)])
    ai_rating = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    # P(the text states an opinion) from the "no opinion" detector; null when none was deployed.
    p_opinion = models.FloatField(null=True, blank=True, validators=[MinValueValidator(0.0), MaxValueValidator(1.0)])
    model_version = models.CharField(max_length=100, blank=True, default="")
    scored_at = models.DateTimeField(null=True, blank=True)
    # The reviewer's own rating, beside the AI's (optional).
    user_rating = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["movie", "author"], name="movies_review_one_per_user"),
        ]
        indexes = [models.Index(fields=["movie", "-created_at"])]

    def __str__(self):
        return f"{self.author} on {self.movie}"

    @property
    def is_scored(self) -> bool:
        return bool(self.model_version)

    @property
    def has_no_opinion(self) -> bool:
        return self.sentiment == self.Sentiment.NONE
