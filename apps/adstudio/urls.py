from django.urls import path

from apps.adstudio import views, views_shared

app_name = "adstudio"
urlpatterns = [
    path("", views.index, name="index"),
    path("analyses/<int:pk>/", views.analysis_detail, name="analysis_detail"),
    path("analyses/<int:pk>/status/", views.analysis_status, name="analysis_status"),
    path("shots/<int:pk>/keyframe.jpg", views.keyframe, name="keyframe"),
    path("shots/<int:pk>/frame.png", views.keyframe_full, name="keyframe_full"),
    path("shots/<int:pk>/scent/", views.shot_scent, name="shot_scent"),
    path("videos/<int:pk>/source", views.video_source, name="video_source"),
    path("shots/<int:pk>/similar/", views.shot_similar, name="shot_similar"),
    path("search/", views.search, name="search"),
    path("moodboards/", views.moodboard_list, name="moodboard_list"),
    path("moodboards/add/", views.moodboard_add, name="moodboard_add"),
    path("moodboards/<int:pk>/", views.moodboard_detail, name="moodboard_detail"),
    path("moodboards/<int:pk>/collage.png", views.moodboard_collage, name="moodboard_collage"),
    path("moodboards/<int:pk>/delete/", views.moodboard_delete, name="moodboard_delete"),
    path("moodboards/<int:pk>/order/", views.moodboard_order, name="moodboard_order"),
    path("moodboards/<int:pk>/share/", views.moodboard_share, name="moodboard_share"),
    path("moodboards/<int:pk>/board.pdf", views.moodboard_pdf, name="moodboard_pdf"),
    path("moodboards/<int:pk>/scent/", views.moodboard_scent, name="moodboard_scent"),
    path("shared/<slug:token>/", views_shared.moodboard_shared, name="moodboard_shared"),
    path(
        "shared/<slug:token>/items/<int:pk>/keyframe.jpg",
        views_shared.moodboard_shared_keyframe,
        name="shared_keyframe",
    ),
    path("moodboard-items/<int:pk>/move/", views.moodboard_item_move, name="item_move"),
    path("moodboard-items/<int:pk>/note/", views.moodboard_item_note, name="item_note"),
    path("moodboard-items/<int:pk>/remove/", views.moodboard_item_remove, name="item_remove"),
    path("notion/", views.notion_settings, name="notion_settings"),
    path("notion/export/", views.notion_export, name="notion_export"),
]
