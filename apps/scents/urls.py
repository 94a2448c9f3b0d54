from django.urls import path

from apps.scents import views

app_name = "scents"
urlpatterns = [
    path("", views.index, name="index"),
    path("compose/", views.compose, name="compose"),
    path("compose/preview/", views.compose_preview, name="compose_preview"),
    path("batch/", views.batch_compose, name="batch_compose"),
    path("movies/<int:pk>/compose/", views.movie_compose, name="movie_compose"),
    path("scenes/<int:pk>/", views.scene_detail, name="scene_detail"),
    path("scenes/<int:pk>/compose/", views.scene_compose, name="scene_compose"),
    path("scenes/<int:pk>/delete/", views.scene_delete, name="scene_delete"),
    path("scenes/<int:pk>/share/", views.scene_share, name="scene_share"),
    path("recipes/<int:pk>/", views.recipe_detail, name="recipe_detail"),
    path("recipes/<int:pk>/feedback/", views.feedback, name="feedback"),
    path("recipes/<int:pk>/production/", views.production, name="production"),
    path("recipes/<int:pk>/edit/", views.recipe_edit, name="recipe_edit"),
    path("recipes/<int:pk>/compare/<int:other>/", views.recipe_compare, name="recipe_compare"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("weighout/", views.weighout, name="weighout"),
    path("ingredients/", views.ingredient_list, name="ingredient_list"),
]
