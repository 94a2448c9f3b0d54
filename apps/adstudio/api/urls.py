from django.urls import path

from apps.adstudio.api import views

app_name = "adstudio-api"
urlpatterns = [
    path("videos/", views.VideoListApi.as_view(), name="video_list"),
    path("videos/<int:pk>/", views.VideoDetailApi.as_view(), name="video_detail"),
    path("analyses/", views.AnalysisListCreateApi.as_view(), name="analysis_list"),
    path("analyses/<int:pk>/", views.AnalysisDetailApi.as_view(), name="analysis_detail"),
    path("analyses/<int:pk>/shots/", views.AnalysisShotsApi.as_view(), name="analysis_shots"),
    path("analyses/<int:pk>/scenes/", views.AnalysisScenesApi.as_view(), name="analysis_scenes"),
    path("shots/<int:pk>/similar/", views.ShotSimilarApi.as_view(), name="shot_similar"),
    path("shots/<int:pk>/keyframe.jpg", views.ShotKeyframeApi.as_view(), name="shot_keyframe"),
    path("shots/<int:pk>/frame.png", views.ShotFrameApi.as_view(), name="shot_frame"),
    path("shots/<int:pk>/scent/", views.ShotScentApi.as_view(), name="shot_scent"),
    path("moodboards/<int:pk>/board.pdf", views.MoodboardPdfApi.as_view(), name="moodboard_pdf"),
    path("moodboards/<int:pk>/share/", views.MoodboardShareApi.as_view(), name="moodboard_share"),
    path("moodboards/<int:pk>/scent/", views.MoodboardScentApi.as_view(), name="moodboard_scent"),
    path("moodboards/<int:pk>/collage.png", views.MoodboardCollageApi.as_view(), name="moodboard_collage"),
    path("search/", views.SceneSearchApi.as_view(), name="search"),
    path("moodboards/", views.MoodboardListCreateApi.as_view(), name="moodboard_list"),
    path("moodboards/<int:pk>/", views.MoodboardDetailApi.as_view(), name="moodboard_detail"),
    path("moodboards/<int:pk>/items/", views.MoodboardItemsApi.as_view(), name="item_add"),
    path("moodboards/<int:pk>/order/", views.MoodboardOrderApi.as_view(), name="order"),
    path("moodboard-items/<int:pk>/", views.MoodboardItemDetailApi.as_view(), name="item_detail"),
    path("exports/", views.ExportListCreateApi.as_view(), name="export_list"),
    path("notion/", views.NotionSettingsApi.as_view(), name="notion_settings"),
]
