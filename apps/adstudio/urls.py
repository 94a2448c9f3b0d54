from django.urls import path

from apps.adstudio import views

app_name = "adstudio"
urlpatterns = [
    path("", views.index, name="index"),
    path("analyses/<int:pk>/", views.analysis_detail, name="analysis_detail"),
    path("analyses/<int:pk>/status/", views.analysis_status, name="analysis_status"),
    path("shots/<int:pk>/keyframe.jpg", views.keyframe, name="keyframe"),
    path("videos/<int:pk>/source", views.video_source, name="video_source"),
    path("shots/<int:pk>/similar/", views.shot_similar, name="shot_similar"),
    path("search/", views.search, name="search"),
    path("moodboards/", views.moodboard_list, name="moodboard_list"),
    path("moodboards/add/", views.moodboard_add, name="moodboard_add"),
    path("moodboards/<int:pk>/", views.moodboard_detail, name="moodboard_detail"),
    path("moodboards/<int:pk>/collage.png", views.moodboard_collage, name="moodboard_collage"),
    path("moodboards/<int:pk>/delete/", views.moodboard_delete, name="moodboard_delete"),
    path("moodboard-items/<int:pk>/move/", views.moodboard_item_move, name="item_move"),
    path("moodboard-items/<int:pk>/note/", views.moodboard_item_note, name="item_note"),
    path("moodboard-items/<int:pk>/remove/", views.moodboard_item_remove, name="item_remove"),
    path("notion/", views.notion_settings, name="notion_settings"),
    path("notion/export/", views.notion_export, name="notion_export"),
]
