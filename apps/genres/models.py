"""Genre research and suggestions: experiment runs comparing genre models, and per-movie suggestions
from the deployed model that curators accept or reject."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from apps.core.models import BaseModel, JobState
from apps.movies.models.catalog import Genre, Movie


class Experiment(JobState, BaseModel):
    """One run of ``genres_experiment``: config in, metrics / per-genre table / artifacts out.
    Its status and error are its job's (`JobState`); an import gets a job that has succeeded."""

    name = models.CharField(max_length=120)
    config = models.JSONField(default=dict, blank=True)
    # Data set: path as given, vocabulary, split sizes per modality pattern.
    dataset = models.JSONField(default=dict, blank=True)
    # {kind: {subset: {metric: value}}}; subsets: val, val_both, test_all, test_both, test_image.
    metrics = models.JSONField(default=dict, blank=True)
    # {kind: {genre: {"f1", "support", "ap", "predicted"}}} on test movies with both modalities.
    per_genre = models.JSONField(default=dict, blank=True)
    # {kind: {"path", "sha256", "version", "params", "train_seconds", "epochs_run"}}.
    artifacts = models.JSONField(default=dict, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    # Explanation examples: [{"movie", "truth", "kind", "explain": {...}, "images": {genre: storage name}}].
    examples = models.JSONField(default=list, blank=True)
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="genre_experiments"
    )

    class Meta:
        db_table = "movies_experiment"  # made by the movies app before genres had its own
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("genres:experiment", args=[self.pk])

    def status_without_job(self) -> str:
        # The job went with its user's account: stored results mean the run finished.
        return self.Status.SUCCEEDED if self.metrics else self.Status.FAILED


class GenreSuggestion(BaseModel):
    """A genre the deployed model suggests for a movie, with its confidence and explanation."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="genre_suggestions")
    genre_name = models.CharField(max_length=60)
    genre = models.ForeignKey(Genre, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    score = models.FloatField(validators=[MinValueValidator(0.0), MaxValueValidator(1.0)])
    # True when the score passed the model's tuned threshold for this genre (else: a runner-up).
    above_threshold = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    model_version = models.CharField(max_length=100)
    # {"words": [{"word", "score"}], "modality_weights": {...}, "pattern": "both|text|image|none"}
    explanation = models.JSONField(default=dict, blank=True)
    heatmap = models.FileField(upload_to="movies/genres/heatmaps/", blank=True, default="")
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "movies_genresuggestion"  # made by the movies app before genres had its own
        ordering = ["movie", "-score"]
        constraints = [
            models.UniqueConstraint(
                fields=["movie", "genre_name", "model_version"], name="movies_genresuggestion_once_per_model"
            ),
        ]
        indexes = [models.Index(fields=["movie", "status"])]

    def __str__(self):
        return f"{self.genre_name} for {self.movie} ({self.score:.2f})"
