from django.urls import path

from apps.adstudio import views

app_name = "adstudio"
urlpatterns = [
    path("", views.placeholder, name="index"),
]
