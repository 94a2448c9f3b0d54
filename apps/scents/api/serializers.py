from django.urls import reverse
from rest_framework import serializers

from apps.core.api.serializers import InputSerializer
from apps.movies.models import Movie
from apps.scents.ml.scene_check import NOT_A_SCENE
from apps.scents.models import Feedback, Ingredient, Recipe, RecipeIngredient, Scene
from apps.scents.services.ingredients import INGREDIENT_FIELDS

# Why CharField (not ChoiceField) for the vocabularies: the service validates them and its message
# lists the allowed values, the same for pages, API and the batch command.


class SceneInputSerializer(InputSerializer):
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField(allow_blank=True, trim_whitespace=False)
    genre = serializers.CharField(required=False, allow_blank=True, default="")
    mood = serializers.CharField(required=False, allow_blank=True, default="")
    time_of_day = serializers.CharField(required=False, allow_blank=True, default="")
    weather = serializers.CharField(required=False, allow_blank=True, default="")
    season = serializers.CharField(required=False, allow_blank=True, default="")
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    is_private = serializers.BooleanField(
        required=False,
        default=True,
        help_text="Private (the default): only you see the scene and its " "recipes; false shares them with everyone.",
    )
    movie = serializers.PrimaryKeyRelatedField(
        queryset=Movie.objects.all(), required=False, allow_null=True, default=None
    )


class SceneUpdateSerializer(SceneInputSerializer):
    description = serializers.CharField(allow_blank=True, trim_whitespace=False, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
            field.default = serializers.empty


class ComposeInputSerializer(InputSerializer):
    """Either an existing scene (`scene`) or scene fields to compose without saving."""

    scene = serializers.IntegerField(required=False)
    description = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    genre = serializers.CharField(required=False, allow_blank=True, default="")
    mood = serializers.CharField(required=False, allow_blank=True, default="")
    time_of_day = serializers.CharField(required=False, allow_blank=True, default="")
    weather = serializers.CharField(required=False, allow_blank=True, default="")
    season = serializers.CharField(required=False, allow_blank=True, default="")
    place = serializers.CharField(required=False, allow_blank=True, default="")


class MovieMomentInputSerializer(InputSerializer):
    movie = serializers.PrimaryKeyRelatedField(queryset=Movie.objects.all())
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="A moment of the film (what we see, hear and smell); empty: the film "
        "as a whole. Its genres and plot are added.",
    )


class FeedbackInputSerializer(InputSerializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    liked = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    disliked = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class BatchInputSerializer(InputSerializer):
    scene_ids = serializers.ListField(child=serializers.IntegerField(), required=False, default=list, max_length=2000)
    movie = serializers.PrimaryKeyRelatedField(queryset=Movie.objects.all(), required=False, default=None)


class VersionLineSerializer(InputSerializer):
    name = serializers.CharField(help_text="A material of the ingredient master, by name.")
    percent = serializers.DecimalField(max_digits=6, decimal_places=2, help_text="Percent of the concentrate.")


class VersionInputSerializer(InputSerializer):
    """The whole edited formula; it must total 100.00 % and keep every hard constraint."""

    lines = serializers.ListField(child=VersionLineSerializer(), min_length=1, max_length=40)
    concentration = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class FormulaCheckInputSerializer(InputSerializer):
    lines = serializers.ListField(child=VersionLineSerializer(), min_length=1, max_length=40)


class WeighoutInputSerializer(InputSerializer):
    recipe = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=50)
    volume_ml = serializers.FloatField(required=False, default=50)
    concentration = serializers.CharField(required=False, allow_blank=True, default="")


class IngredientSerializer(serializers.ModelSerializer):
    class Meta:
        model = Ingredient
        fields = ["id", *INGREDIENT_FIELDS, "active"]


class SceneSerializer(serializers.ModelSerializer):
    owner = serializers.StringRelatedField()
    source = serializers.SerializerMethodField(
        help_text="The film moment the scene was composed from, for its "
        "owner only: {kind: shot, shot, keyframe_url} or {kind: "
        "moodboard, moodboard, url}; null otherwise."
    )

    class Meta:
        model = Scene
        fields = [
            "id",
            "movie",
            "title",
            "description",
            "genre",
            "mood",
            "time_of_day",
            "weather",
            "season",
            "place",
            "is_private",
            "owner",
            "source",
            "embedding_model",
            "created_at",
            "updated_at",
        ]

    def get_source(self, scene) -> dict | None:
        request = self.context.get("request")
        if request is None or scene.owner_id != request.user.pk:
            return None
        if scene.source_shot_id:
            return {
                "kind": "shot",
                "shot": scene.source_shot_id,
                "keyframe_url": reverse("adstudio-api:shot_keyframe", args=[scene.source_shot_id]),
            }
        if scene.source_moodboard_id:
            return {
                "kind": "moodboard",
                "moodboard": scene.source_moodboard_id,
                "url": reverse("adstudio-api:moodboard_detail", args=[scene.source_moodboard_id]),
            }
        return None


class SimilarSceneSerializer(SceneSerializer):
    distance = serializers.FloatField()

    class Meta(SceneSerializer.Meta):
        fields = SceneSerializer.Meta.fields + ["distance"]


class RecipeLineSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="ingredient.name")
    cas = serializers.CharField(source="ingredient.cas")
    family = serializers.CharField(source="ingredient.family")
    max_percent = serializers.DecimalField(source="ingredient.max_percent", max_digits=5, decimal_places=2)

    class Meta:
        model = RecipeIngredient
        fields = ["name", "cas", "family", "tier", "percent", "max_percent"]


class RecipeSerializer(serializers.ModelSerializer):
    ingredients = RecipeLineSerializer(source="lines", many=True)
    created_by = serializers.StringRelatedField()
    cost_per_kg = serializers.SerializerMethodField(
        help_text="Cost of one kg of concentrate at the curators' " "prices per cost tier; null until they are set."
    )
    impact = serializers.SerializerMethodField(help_text="Families by estimated odour impact (dose / typical dose).")
    notice = serializers.SerializerMethodField(
        help_text="What to add when the description did not read as a " "scene (`understood` false); empty otherwise."
    )

    class Meta:
        model = Recipe
        fields = [
            "id",
            "scene",
            "ingredients",
            "families",
            "impact",
            "profile",
            "concentration",
            "longevity_hours",
            "season",
            "confidence",
            "understood",
            "notice",
            "model_version",
            "explanation",
            "version",
            "original",
            "parent",
            "note",
            "created_by",
            "cost_per_kg",
            "created_at",
        ]

    def get_impact(self, recipe) -> dict:
        from apps.scents.presenters import recipe_context

        return {f: round(v, 4) for f, v in recipe_context(recipe)["impact"].items()}

    def get_notice(self, recipe) -> str:
        return "" if recipe.understood else NOT_A_SCENE

    def get_cost_per_kg(self, recipe) -> dict:
        from django.conf import settings

        from apps.scents.compliance import cost_per_kg
        from apps.scents.selectors import cost_prices, recipe_formula

        if "cost_prices" not in self.context:  # one query for a whole list
            self.context["cost_prices"] = cost_prices()
        return cost_per_kg(recipe_formula(recipe), self.context["cost_prices"], settings.SCENTS_CURRENCY)


class FeedbackSerializer(serializers.ModelSerializer):
    liked = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    disliked = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = Feedback
        fields = ["id", "recipe", "rating", "liked", "disliked", "comment", "created_at", "updated_at"]
