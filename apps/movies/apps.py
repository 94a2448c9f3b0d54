from django.apps import AppConfig


class MoviesConfig(AppConfig):
    name = "apps.movies"
    label = "movies"
    verbose_name = "Movies & reviews"

    def ready(self):
        from apps.core.registry import ml_model_register

        data = "../shared/data"
        ml_model_register(
            "movies-sentiment-en",
            "apps.movies.scoring._loader",
            format=1,
            train=f"python manage.py train_sentiment --lang en --data {data}/imdb_reviews/train.tsv.gz "
            f"--sst2 {data}/sst2/train.tsv",
        )
        ml_model_register(
            "movies-sentiment-ko",
            "apps.movies.scoring._loader",
            format=1,
            train=f"python manage.py train_sentiment --lang ko --data {data}/nsmc/reviews.tsv.gz",
        )
        ml_model_register(
            "movies-opinion",
            "apps.movies.scoring._opinion_loader",
            format=1,
            train=f"python manage.py train_opinion --data {data}",
        )
