from django.urls import path

from apps.scents.api import views

app_name = "scents-api"
urlpatterns = [
    path("ingredients/", views.IngredientListApi.as_view(), name="ingredient_list"),
    path("ingredients/<int:pk>/", views.IngredientDetailApi.as_view(), name="ingredient_detail"),
    path("scenes/", views.SceneListCreateApi.as_view(), name="scene_list"),
    path("scenes/<int:pk>/", views.SceneDetailApi.as_view(), name="scene_detail"),
    path("scenes/<int:pk>/similar/", views.SceneSimilarApi.as_view(), name="scene_similar"),
    path("compose/", views.ComposeApi.as_view(), name="compose"),
    path("compose/batch/", views.BatchComposeApi.as_view(), name="compose_batch"),
    path("compose/movie/", views.MovieComposeApi.as_view(), name="compose_movie"),
    path("recipes/", views.RecipeListApi.as_view(), name="recipe_list"),
    path("recipes/<int:pk>/", views.RecipeDetailApi.as_view(), name="recipe_detail"),
    path("recipes/<int:pk>/feedback/", views.FeedbackApi.as_view(), name="feedback"),
    path("recipes/<int:pk>/versions/", views.RecipeVersionsApi.as_view(), name="recipe_versions"),
    path("recipes/<int:pk>/compare/<int:other>/", views.RecipeCompareApi.as_view(), name="recipe_compare"),
    path("recipes/<int:pk>/compliance/", views.RecipeComplianceApi.as_view(), name="recipe_compliance"),
    path("formula/check/", views.FormulaCheckApi.as_view(), name="formula_check"),
    path("weighout/", views.WeighoutApi.as_view(), name="weighout"),
    path("compose/batch/<int:pk>/", views.BatchResultApi.as_view(), name="compose_batch_result"),
]
