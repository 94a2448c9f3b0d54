"""Background jobs for genre suggestions and experiments (auto-imported by apps.core)."""

from apps.core.jobs import job_handler
from apps.genres.services.experiments import JOB_KIND as EXPERIMENT
from apps.genres.services.experiments import experiment_execute, experiment_finished


@job_handler("movies.genres_suggest", queue="ml", timeout=600, label="Genre suggestion")
def genres_suggest_job(job, progress):
    """Predict genres for the target movie with the deployed model and store pending suggestions
    (with Grad-CAM images and word attributions). The job fails when no model is deployed."""
    from apps.genres.services.suggestions import genre_suggestions_generate

    return genre_suggestions_generate(movie=job.target, job=job, progress=progress)


@job_handler(EXPERIMENT, queue="ml", timeout=4 * 3600, on_finish=experiment_finished, label="Genre model experiment")
def genres_experiment_job(job, progress):
    """Run the target Experiment (features, training of each head, evaluation, examples) and store
    its metrics. The job fails when its data cannot be read; experiment_finished cleans up."""
    return experiment_execute(experiment=job.target, progress=progress)
