from django.urls import path

from apps.core.api import views

app_name = "core-api"
urlpatterns = [
    path("jobs/", views.JobListApi.as_view(), name="job_list"),
    path("jobs/system-check/", views.SystemCheckApi.as_view(), name="system_check"),
    path("jobs/<int:pk>/", views.JobDetailApi.as_view(), name="job_detail"),
    path("jobs/<int:pk>/cancel/", views.JobCancelApi.as_view(), name="job_cancel"),
]
