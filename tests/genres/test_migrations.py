"""The data migration that moves experiment state onto the experiment's job keeps every row's
state: written with the old columns, read through the job after migrating forward; the move of the
genre models from movies to their own app keeps their rows."""

import pytest
from django.contrib.contenttypes.models import ContentType

from apps.core.models import Job
from apps.genres.models import Experiment, GenreSuggestion
from tests.migrating import migrate

BEFORE = [("movies", "0002_genres")]


@pytest.mark.django_db(transaction=True)
def test_experiments_without_a_job_keep_their_status_and_error_through_the_migration(curator):
    old = migrate(BEFORE)
    try:
        experiments = old.get_model("movies", "Experiment").objects
        imported = experiments.create(name="imported", status="succeeded", metrics={"text": {}})
        broken = experiments.create(
            name="bad data",
            status="failed",
            created_by_id=curator.pk,
            error="The experiment could not run: no such file",
        )
        running = experiments.create(name="--now run", status="running")
    finally:
        migrate()
    rows = Experiment.objects.select_related("job").in_bulk([imported.pk, broken.pk, running.pk])
    assert rows[imported.pk].status == "succeeded"
    assert rows[imported.pk].job.kind == "movies.genres_experiment"
    assert rows[broken.pk].status == "failed" and rows[broken.pk].job.user == curator
    assert rows[broken.pk].error == "The experiment could not run: no such file"
    assert rows[running.pk].job.status == "running" and rows[running.pk].job.queue == "ml"
    assert rows[running.pk].job.target == rows[running.pk]


@pytest.mark.django_db(transaction=True)
def test_the_genre_models_move_to_their_app_with_their_rows_and_the_jobs_that_target_them(curator):
    """Rows written under the movies app's layout are read by the genres app after migrating: same
    tables, and a job's target (a content type) still finds its experiment."""
    old = migrate([("movies", "0007_genres_one_list")])
    try:
        movie = old.get_model("movies", "Movie").objects.create(title="Heat", created_by_id=curator.pk)
        suggestion = old.get_model("movies", "GenreSuggestion").objects.create(
            movie=movie, genre_name="Crime", score=0.8, model_version="v1"
        )
        experiment = old.get_model("movies", "Experiment").objects.create(name="old run")
        content_types = old.get_model("contenttypes", "ContentType").objects
        target_type, _ = content_types.get_or_create(app_label="movies", model="experiment")
        job = old.get_model("core", "Job").objects.create(
            kind="movies.genres_experiment", target_type=target_type, target_id=experiment.pk
        )
    finally:
        migrate()
    assert GenreSuggestion.objects.get(pk=suggestion.pk).movie.title == "Heat"
    assert Job.objects.get(pk=job.pk).target == Experiment.objects.get(pk=experiment.pk)
    assert ContentType.objects.get_for_model(Experiment).app_label == "genres"
