from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from pgvector.django import HnswIndex, VectorField

from apps.core.models import BaseModel
from apps.scents.ml.vocab import CONCENTRATIONS, FAMILIES, GENRES, MOODS, SEASONS, TIERS, TIMES_OF_DAY, WEATHERS

EMBEDDING_DIM = 384


def _choices(values):
    return [(v, v.capitalize()) for v in values]


class Ingredient(BaseModel):
    """One perfumery material of the curated master (loaded from data/ingredients.json)."""

    name = models.CharField(max_length=120, unique=True)
    cas = models.CharField("CAS number", max_length=20)
    family = models.CharField(max_length=20, choices=[(f, f) for f in FAMILIES], db_index=True)
    tier = models.CharField(max_length=10, choices=_choices(TIERS), db_index=True)
    descriptors = models.JSONField(default=list, help_text="Odour descriptors, most telling first.")
    volatility_hours = models.FloatField(help_text="Approximate life on a smelling strip, hours.")
    typical_percent = models.DecimalField(
        max_digits=5, decimal_places=2, help_text="Usual dose in the concentrate, percent."
    )
    max_percent = models.DecimalField(
        max_digits=5, decimal_places=2, help_text="Ceiling in the concentrate the composer respects, percent."
    )
    max_source = models.TextField(help_text="Where the ceiling comes from (IFRA standard or practice).")
    ifra = models.JSONField(null=True, blank=True, help_text="IFRA Category 4 restriction, if any.")
    allergen = models.BooleanField(default=False, help_text="Contains EU-declarable allergens.")
    allergens = models.JSONField(default=list, blank=True)
    cost_tier = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    natural = models.BooleanField(default=False)
    notes = models.TextField(blank=True, default="")
    active = models.BooleanField(default=True, help_text="Inactive materials are never composed.")

    class Meta:
        ordering = ["family", "name"]

    def __str__(self):
        return self.name


class IngredientIncompatibility(BaseModel):
    """A pair the composer never puts together (chemistry or style), with the reason."""

    first = models.ForeignKey(Ingredient, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Ingredient, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=300)

    class Meta:
        verbose_name_plural = "ingredient incompatibilities"
        constraints = [models.UniqueConstraint(fields=["first", "second"], name="scents_incompat_unique")]

    def __str__(self):
        return f"{self.first} / {self.second}"


class Scene(BaseModel):
    """A film scene described by a user; its embedding powers the similar-scenes search."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scenes")
    movie = models.ForeignKey(
        "movies.Movie",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="scent_scenes",
        help_text="The film this scene is from, if any.",
    )
    title = models.CharField(max_length=200)
    description = models.TextField()
    genre = models.CharField(max_length=30, blank=True, default="", choices=_choices(GENRES))
    mood = models.CharField(max_length=30, blank=True, default="", choices=_choices(MOODS))
    time_of_day = models.CharField(max_length=20, blank=True, default="", choices=_choices(TIMES_OF_DAY))
    weather = models.CharField(max_length=20, blank=True, default="", choices=_choices(WEATHERS))
    season = models.CharField(max_length=20, blank=True, default="", choices=_choices(SEASONS))
    place = models.CharField(max_length=200, blank=True, default="")
    is_private = models.BooleanField(
        default=True,
        help_text="Private (the default): only the owner sees the scene " "and its recipes. Shared: everyone does.",
    )
    # The film moment the scene was composed from (apps/scents/moments.py): one shot of an ad
    # studio analysis, or a whole moodboard (one blended recipe). Plain FKs, not a generic
    # relation: the database keeps them valid (a deleted video clears the link, never leaves a
    # dangling id) and "the shot's recipes" is an indexed join.
    source_shot = models.ForeignKey(
        "adstudio.Shot",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="scent_scenes",
        help_text="The ad studio shot this scene was " "composed from, if any.",
    )
    source_moodboard = models.ForeignKey(
        "adstudio.Moodboard",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="scent_scenes",
        help_text="The moodboard this scene " "blends, if any.",
    )
    embedding = VectorField(dimensions=EMBEDDING_DIM, null=True, blank=True)
    embedding_model = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            HnswIndex(
                name="scents_scene_embedding_hnsw",
                fields=["embedding"],
                m=16,
                ef_construction=64,
                opclasses=["vector_cosine_ops"],
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source_shot__isnull=True) | models.Q(source_moodboard__isnull=True),
                name="scents_scene_one_source",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("scents:scene_detail", args=[self.pk])


class Recipe(BaseModel):
    """A composed formula for a scene, as produced by one model version."""

    scene = models.ForeignKey(Scene, on_delete=models.CASCADE, related_name="recipes")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recipes")
    input_key = models.CharField(
        max_length=64, db_index=True, help_text="sha256 of the normalised scene input and the model version."
    )
    model_version = models.CharField(max_length=120)
    concentration = models.CharField(max_length=30, choices=[(c, c) for c in CONCENTRATIONS])
    longevity_hours = models.FloatField()
    season = models.CharField(max_length=20, choices=_choices(SEASONS))
    confidence = models.FloatField(validators=[MinValueValidator(0), MaxValueValidator(1)])
    understood = models.BooleanField(
        default=True,
        help_text="False: the description did not read as a scene "
        "(gibberish, off-topic text); the recipe is a guess.",
    )
    profile = models.JSONField(default=dict, help_text="Predicted share of each family.")
    families = models.JSONField(default=dict, help_text="Share of each family in the formula.")
    explanation = models.JSONField(default=dict, blank=True)
    original = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="versions",
        help_text="The composed recipe this version was edited from (empty: composed).",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The version this one was edited from.",
    )
    version = models.PositiveSmallIntegerField(default=1, help_text="1 = as composed; 2, 3... = edits.")
    note = models.CharField(max_length=300, blank=True, default="", help_text="What the edit changed, in words.")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["scene", "input_key"], name="scents_recipe_scene_input"),
            models.UniqueConstraint(
                fields=["original", "version"],
                condition=models.Q(original__isnull=False),
                name="scents_recipe_version_unique",
            ),
        ]

    def __str__(self):
        return f"Recipe for {self.scene}" + (f" (version {self.version})" if self.version > 1 else "")

    def get_absolute_url(self):
        return reverse("scents:recipe_detail", args=[self.pk])


class RecipeIngredient(models.Model):
    recipe = models.ForeignKey(Recipe, on_delete=models.CASCADE, related_name="lines")
    ingredient = models.ForeignKey(Ingredient, on_delete=models.PROTECT, related_name="+")
    tier = models.CharField(max_length=10, choices=_choices(TIERS))
    percent = models.DecimalField(max_digits=5, decimal_places=2)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["recipe", "ingredient"], name="scents_line_unique")]

    def __str__(self):
        return f"{self.ingredient} {self.percent} %"


class CostTier(BaseModel):
    """The price per kg a curator sets for one cost tier of the master (1 = cheapest, 5 = dearest);
    recipe costs per kg come from these prices and each material's tier."""

    tier = models.PositiveSmallIntegerField(unique=True, validators=[MinValueValidator(1), MaxValueValidator(5)])
    price_per_kg = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Your buying price per kg for materials of this tier; "
        "empty: not priced (costs that need it are not shown).",
    )

    class Meta:
        ordering = ["tier"]

    def __str__(self):
        return f"Cost tier {self.tier}"


class Feedback(BaseModel):
    """One user's verdict on a recipe (one per user and recipe; sending again updates it)."""

    recipe = models.ForeignKey(Recipe, on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scent_feedback")
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    liked = models.ManyToManyField(Ingredient, blank=True, related_name="+")
    disliked = models.ManyToManyField(Ingredient, blank=True, related_name="+")
    comment = models.TextField(blank=True, default="", max_length=2000)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["recipe", "user"], name="scents_feedback_once")]

    def __str__(self):
        return f"{self.user} rated {self.recipe_id}: {self.rating}"
