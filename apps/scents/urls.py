from django.urls import path

from apps.scents import views

app_name = "scents"
urlpatterns = [
    path("", views.placeholder, name="index"),
]
