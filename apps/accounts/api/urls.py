from django.urls import path

from apps.accounts.api import views

app_name = "accounts-api"
urlpatterns = [
    path("users/", views.SignUpApi.as_view(), name="signup"),
    path("me/", views.MeApi.as_view(), name="me"),
    path("token/", views.TokenApi.as_view(), name="token"),
]
