from django.apps import AppConfig


class AdstudioConfig(AppConfig):
    name = "apps.adstudio"
    label = "adstudio"
    verbose_name = "Ad studio"
