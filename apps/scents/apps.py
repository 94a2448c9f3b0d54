from django.apps import AppConfig


class ScentsConfig(AppConfig):
    name = "apps.scents"
    label = "scents"
    verbose_name = "Scents"

    def ready(self):
        from apps.core.registry import ml_model_register
        from apps.scents.ml.profile.load import FORMAT

        ml_model_register(
            "scents-profile",
            "apps.scents.ml.profile.load.load",
            format=FORMAT,
            train="python manage.py train_scents --distil-data ../shared/data",
        )
        ml_model_register(
            "scents-preferences",
            "apps.scents.ml.feedback.preferences_load",
            format=1,
            train="python manage.py scents_feedback_rerank",
        )
