from django.apps import AppConfig


class ScentsConfig(AppConfig):
    name = "apps.scents"
    label = "scents"
    verbose_name = "Scents"

    def ready(self):
        from apps.core.registry import ml_model_register

        ml_model_register(
            "scents-profile",
            "apps.scents.engine.profile_loader",
            format=1,
            train="python manage.py train_scents --distil-data ../shared/data",
        )
        ml_model_register(
            "scents-preferences",
            "apps.scents.engine.preferences_loader",
            format=1,
            train="python manage.py scents_feedback_rerank",
        )
