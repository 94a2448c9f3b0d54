"""Admin for curators: the ingredient master (with incompatibilities), scenes, recipes, feedback."""

from django.contrib import admin

from apps.core.admin import ServiceAdmin
from apps.scents import services
from apps.scents.models import (
    CostTier,
    Feedback,
    Ingredient,
    IngredientIncompatibility,
    Recipe,
    RecipeIngredient,
    Scene,
)


class IncompatibilityInline(admin.TabularInline):
    model = IngredientIncompatibility
    fk_name = "first"
    extra = 0
    autocomplete_fields = ["second"]


@admin.register(Ingredient)
class IngredientAdmin(ServiceAdmin):
    """Saves through the ingredient services: a material is held to the master's rules, the
    ingredient page shows the change at once and the composer uses it from the next recipe."""

    list_display = [
        "name",
        "cas",
        "family",
        "tier",
        "typical_percent",
        "max_percent",
        "allergen",
        "cost_tier",
        "active",
    ]
    list_filter = ["family", "tier", "allergen", "natural", "active", "cost_tier"]
    list_editable = ["active"]
    search_fields = ["name", "cas", "notes"]
    inlines = [IncompatibilityInline]

    def service_save(self, request, form, stored):
        if stored:  # what the curator changed (a list edit's form also holds the row's id)
            changes = {name: form.cleaned_data[name] for name in form.changed_data}
            return services.ingredient_update(ingredient=stored, **changes)
        return services.ingredient_create(**form.cleaned_data)

    def service_delete(self, request, ingredient):
        services.ingredient_delete(ingredient=ingredient)

    def inline_add(self, request, ingredient, inline):
        data = inline.cleaned_data
        return services.ingredient_incompatibility_create(
            first=ingredient, second=data["second"], reason=data["reason"]
        )

    def inline_change(self, request, pair, inline):
        data = inline.cleaned_data
        return services.ingredient_incompatibility_update(pair=pair, second=data["second"], reason=data["reason"])

    def inline_delete(self, request, pair):
        services.ingredient_incompatibility_delete(pair=pair)


@admin.register(IngredientIncompatibility)
class IngredientIncompatibilityAdmin(ServiceAdmin):
    list_display = ["first", "second", "reason"]
    autocomplete_fields = ["first", "second"]

    def service_save(self, request, form, stored):
        if stored:
            return services.ingredient_incompatibility_update(pair=stored, **form.cleaned_data)
        return services.ingredient_incompatibility_create(**form.cleaned_data)

    def service_delete(self, request, pair):
        services.ingredient_incompatibility_delete(pair=pair)


class SourceFilter(admin.SimpleListFilter):
    title = "composed from"
    parameter_name = "source"

    def lookups(self, request, model_admin):
        return [
            ("shot", "an ad studio shot"),
            ("moodboard", "a moodboard"),
            ("movie", "a catalog film"),
            ("text", "words alone"),
        ]

    def queryset(self, request, queryset):
        return {
            "shot": queryset.filter(source_shot__isnull=False),
            "moodboard": queryset.filter(source_moodboard__isnull=False),
            "movie": queryset.filter(movie__isnull=False),
            "text": queryset.filter(source_shot=None, source_moodboard=None, movie=None),
        }.get(self.value(), queryset)


@admin.register(Scene)
class SceneAdmin(ServiceAdmin):
    """Saves through scene_create / scene_update, so a changed text is validated and embedded again."""

    list_display = ["title", "owner", "genre", "mood", "is_private", "created_at"]
    list_filter = ["genre", "mood", "is_private", SourceFilter]
    search_fields = ["title", "description"]
    # The film moment is set by the composer for the owner: an admin never points a scene at
    # someone's private shot or board.
    readonly_fields = ["source_shot", "source_moodboard", "embedding_model", "created_at", "updated_at"]
    exclude = ["embedding"]
    raw_id_fields = ["owner"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *(["owner"] if obj else [])]

    def service_save(self, request, form, stored):
        data = dict(form.cleaned_data)  # the scene's words, title, privacy and film (+ owner when adding)
        if stored:
            return services.scene_update(scene=stored, user=request.user, **data)
        return services.scene_create(**data)

    def service_delete(self, request, scene):
        services.scene_delete(scene=scene, user=request.user)


class RecipeIngredientInline(admin.TabularInline):
    model = RecipeIngredient
    extra = 0
    readonly_fields = ["ingredient", "tier", "percent", "position"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Recipe)
class RecipeAdmin(ServiceAdmin):
    """View and delete (through recipe_delete): recipes come from the composer, and versions from the
    recipe editor, which both guarantee the hard constraints."""

    list_display = ["scene", "version", "concentration", "confidence", "understood", "model_version", "created_at"]
    list_filter = ["understood", "concentration", "model_version"]
    inlines = [RecipeIngredientInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def service_delete(self, request, recipe):
        services.recipe_delete(recipe=recipe, user=request.user)


@admin.register(CostTier)
class CostTierAdmin(ServiceAdmin):
    """Curators' buying prices per cost tier: recipes show their cost per kg from these. The five
    tiers are fixed (an empty price leaves a tier unpriced): priced, never added or deleted."""

    list_display = ["tier", "price_per_kg", "updated_at"]
    list_editable = ["price_per_kg"]
    readonly_fields = ["tier"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def service_save(self, request, form, stored):
        return services.cost_tier_price_set(cost_tier=stored, price_per_kg=form.cleaned_data["price_per_kg"])


@admin.register(Feedback)
class FeedbackAdmin(ServiceAdmin):
    """Saves through feedback_submit on the user's behalf (a recipe they can see, materials of that
    recipe, the comment limit), deletes through feedback_delete."""

    list_display = ["recipe", "user", "rating", "created_at"]
    list_filter = ["rating"]
    raw_id_fields = ["recipe", "user"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *(["recipe", "user"] if obj else [])]

    def service_save(self, request, form, stored):
        data = form.cleaned_data
        return services.feedback_submit(
            recipe=stored.recipe if stored else data["recipe"],
            user=stored.user if stored else data["user"],
            rating=data["rating"],
            liked=data["liked"],
            disliked=data["disliked"],
            comment=data["comment"],
        )

    def service_delete(self, request, feedback):
        services.feedback_delete(feedback=feedback)
