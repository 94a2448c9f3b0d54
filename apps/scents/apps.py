from django.apps import AppConfig


class ScentsConfig(AppConfig):
    name = "apps.scents"
    label = "scents"
    verbose_name = "Scents"
