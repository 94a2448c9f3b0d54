"""Genre files go with their rows: a suggestion's heat map when the suggestion is deleted in the admin
or goes with its movie (deleted on the site or in the admin, by the movies app, which does not know
this app) or is replaced by a new prediction, an experiment's work folder and example heat maps when the experiment is deleted; a
running experiment is kept until its job has ended."""

import os
import socket
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from apps.accounts.services import user_make_curator
from apps.core.jobs import job_create
from apps.core.models import Job
from apps.genres.models import Experiment, GenreSuggestion
from apps.genres.services.experiments import experiment_work_dir
from apps.genres.services.suggestions import genre_suggestions_generate
from tests.genres.test_genres_product import _movie_with_poster, genre_model, genre_store  # noqa: F401 (fixtures)
from tests.movies.factories import MovieFactory

pytestmark = pytest.mark.django_db(transaction=True)  # files go on commit


@pytest.fixture
def curator_client(client, curator, settings, tmp_path):
    settings.MEDIA_ROOT, settings.GENRES_WORK_DIR = tmp_path / "media", tmp_path / "work"
    client.force_login(user_make_curator(user=curator))
    return client


def _suggestion(movie, genre_name: str) -> GenreSuggestion:
    """A suggestion with its heat map stored, as the suggestion job leaves it."""
    row = GenreSuggestion(movie=movie, genre_name=genre_name, score=0.5, model_version="t")
    row.heatmap.save(f"{movie.pk}-{genre_name}.png", ContentFile(b"\x89PNG heat map"), save=True)
    return row


def _stored(names) -> set:
    return {name for name in names if default_storage.exists(name)}


def test_suggestions_deleted_in_the_admin_take_their_heat_maps_along(curator_client):
    movie = MovieFactory()
    one, two, three = (_suggestion(movie, name) for name in ("Drama", "Thriller", "War"))
    maps = {row.heatmap.name for row in (one, two, three)}
    assert _stored(maps) == maps
    url = reverse("admin:genres_genresuggestion_delete", args=[one.pk])
    assert curator_client.post(url, {"post": "yes"}).status_code == 302
    assert _stored(maps) == {two.heatmap.name, three.heatmap.name}
    changelist = reverse("admin:genres_genresuggestion_changelist")
    selected = {"action": "delete_selected", "post": "yes", "_selected_action": [two.pk, three.pk]}
    assert curator_client.post(changelist, selected).status_code == 302
    assert not GenreSuggestion.objects.exists() and _stored(maps) == set()


def test_a_movie_deleted_on_the_site_or_in_the_admin_takes_its_suggestions_heat_maps_along(curator_client):
    on_site, in_admin, kept = MovieFactory(), MovieFactory(), MovieFactory()
    maps = {movie: _suggestion(movie, "Drama").heatmap.name for movie in (on_site, in_admin, kept)}
    assert curator_client.post(reverse("movies:delete", args=[on_site.pk])).status_code == 302
    assert _stored(maps.values()) == {maps[in_admin], maps[kept]}
    response = curator_client.post(reverse("admin:movies_movie_delete", args=[in_admin.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert _stored(maps.values()) == {maps[kept]}
    assert list(GenreSuggestion.objects.values_list("movie", flat=True)) == [kept.pk]


def test_a_new_prediction_replaces_the_pending_suggestions_and_their_heat_maps(genre_model):
    movie = _movie_with_poster()
    genre_suggestions_generate(movie=movie)
    first = {row.heatmap.name for row in GenreSuggestion.objects.filter(movie=movie) if row.heatmap}
    assert first and _stored(first) == first
    genre_suggestions_generate(movie=movie)
    second = {row.heatmap.name for row in GenreSuggestion.objects.filter(movie=movie) if row.heatmap}
    assert second and not first & second and _stored(first | second) == second


def _finished_experiment(user) -> Experiment:
    """An experiment as a finished run leaves it: weights in its work folder, example heat maps in storage."""
    experiment = Experiment.objects.create(name="gmu vs late", created_by=user)
    experiment.job = job_create(kind="movies.genres_experiment", user=user, target=experiment)
    folder = experiment_work_dir(experiment)
    (folder / "gmu").mkdir(parents=True)
    (folder / "gmu" / "head.pt").write_bytes(b"weights")
    name = default_storage.save(f"movies/genres/experiments/{experiment.pk}/0000006-Drama.png", ContentFile(b"png"))
    experiment.examples = [{"movie": "0000006", "kind": "gmu", "images": {"Drama": name}}]
    experiment.save()
    Job.objects.filter(pk=experiment.job_id).update(status=Job.Status.SUCCEEDED)
    return experiment


def test_an_experiment_deleted_in_the_admin_takes_its_work_folder_and_example_images_along(curator_client, curator):
    experiment, other = _finished_experiment(curator), _finished_experiment(curator)
    image, other_image = (e.examples[0]["images"]["Drama"] for e in (experiment, other))
    url = reverse("admin:genres_experiment_delete", args=[experiment.pk])
    assert curator_client.post(url, {"post": "yes"}).status_code == 302
    assert not Experiment.objects.filter(pk=experiment.pk).exists()
    assert not experiment_work_dir(experiment).exists() and _stored([image, other_image]) == {other_image}
    assert (experiment_work_dir(other) / "gmu" / "head.pt").exists()


def test_an_experiment_whose_job_runs_is_kept_until_its_worker_is_gone(curator_client, curator):
    experiment = _finished_experiment(curator)
    live = {"worker_pid": os.getpid(), "worker_host": socket.gethostname(), "heartbeat_at": timezone.now()}
    Job.objects.filter(pk=experiment.job_id).update(status=Job.Status.RUNNING, **live)
    url = reverse("admin:genres_experiment_delete", args=[experiment.pk])
    assert curator_client.post(url, {"post": "yes"}).status_code == 403  # it would write into its folder after
    assert Experiment.objects.filter(pk=experiment.pk).exists() and experiment_work_dir(experiment).exists()
    Job.objects.filter(pk=experiment.job_id).update(worker_pid=None, heartbeat_at=timezone.now() - timedelta(hours=1))
    assert curator_client.post(url, {"post": "yes"}).status_code == 302  # a dead worker's job has ended
    assert not Experiment.objects.exists() and not experiment_work_dir(experiment).exists()
