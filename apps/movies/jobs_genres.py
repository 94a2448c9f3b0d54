"""Background jobs for genre suggestions and experiments (imported by ``apps/movies/jobs.py``)."""

from apps.core.errors import ApplicationError
from apps.core.jobs import JobFailed, job_handler
from apps.movies.models import Experiment, Movie


@job_handler("movies.genres_suggest", queue="ml", timeout=600)
def genres_suggest_job(job, progress):
    """Predict genres for the target movie with the deployed model and store pending suggestions
    (with Grad-CAM images and word attributions). JobFailed when the movie is gone or no model."""
    movie = Movie.objects.filter(pk=job.target_id).first()
    if movie is None:
        raise JobFailed("The movie was deleted before genres could be suggested.")
    from apps.movies.services.genres import genre_suggestions_generate

    try:
        return genre_suggestions_generate(movie=movie, job=job, progress=progress)
    except ApplicationError as exc:
        raise JobFailed(exc.message) from exc


@job_handler("movies.genres_experiment", queue="ml", timeout=4 * 3600)
def genres_experiment_job(job, progress):
    """Run the target Experiment (features, training of each head, evaluation, examples) and store
    its metrics. JobFailed when the experiment is gone or its data cannot be read."""
    experiment = Experiment.objects.filter(pk=job.target_id).first()
    if experiment is None:
        raise JobFailed("The experiment was deleted before it could run.")
    from apps.movies.services.genres_experiments import experiment_execute

    try:
        return experiment_execute(experiment=experiment, progress=progress)
    except ApplicationError as exc:
        raise JobFailed(exc.message) from exc
