"""The data migration that moves experiment state onto the experiment's job keeps every row's
state: written with the old columns, read through the job after migrating forward."""
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from apps.movies.models import Experiment

BEFORE = [("movies", "0002_genres")]


def _migrate(targets=None):
    """Migrate to ``targets`` (default: every app's latest) and return the historical apps."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_experiments_without_a_job_keep_their_status_and_error_through_the_migration(curator):
    old = _migrate(BEFORE)
    try:
        experiments = old.get_model("movies", "Experiment").objects
        imported = experiments.create(name="imported", status="succeeded", metrics={"text": {}})
        broken = experiments.create(name="bad data", status="failed", created_by_id=curator.pk,
                                    error="The experiment could not run: no such file")
        running = experiments.create(name="--now run", status="running")
    finally:
        _migrate()
    rows = Experiment.objects.select_related("job").in_bulk([imported.pk, broken.pk, running.pk])
    assert rows[imported.pk].status == "succeeded"
    assert rows[imported.pk].job.kind == "movies.genres_experiment"
    assert rows[broken.pk].status == "failed" and rows[broken.pk].job.user == curator
    assert rows[broken.pk].error == "The experiment could not run: no such file"
    assert rows[running.pk].job.status == "running" and rows[running.pk].job.queue == "ml"
    assert rows[running.pk].job.target == rows[running.pk]
