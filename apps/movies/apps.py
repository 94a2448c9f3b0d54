from django.apps import AppConfig


class MoviesConfig(AppConfig):
    name = "apps.movies"
    label = "movies"
    verbose_name = "Movies & reviews"

    def ready(self):
        from apps.core.registry import ml_model_register
        from apps.movies.ml.opinion import load as opinion
        from apps.movies.ml.sentiment import load as sentiment

        for lang, name in sentiment.NAMES.items():
            ml_model_register(
                name, "apps.movies.ml.sentiment.load.load", format=sentiment.FORMAT, train=sentiment.TRAIN[lang]
            )
        ml_model_register(opinion.NAME, "apps.movies.ml.opinion.load.load", format=opinion.FORMAT, train=opinion.TRAIN)
