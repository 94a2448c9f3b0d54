"""Genre suggestions and experiments through the product: jobs, pages, API, admin, commands."""

import io
import json
from pathlib import Path

import numpy as np
import pytest
import torch
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from apps.core.registry import manifest_write_entry
from apps.genres.ml.encoders import EncoderSpec
from apps.genres.ml.heads import head_build
from apps.genres.ml.predictor import artifact_save
from apps.genres.ml.suggest.load import FORMAT, TRAIN
from apps.genres.ml.vocab import IMDB_GENRES
from apps.genres.models import Experiment, GenreSuggestion
from tests.movies.factories import MovieFactory

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "genres_mmimdb"


def _jpeg(w=48, h=72) -> bytes:
    buf = io.BytesIO()
    Image.fromarray((np.random.default_rng(3).random((h, w, 3)) * 255).astype(np.uint8)).save(buf, "JPEG")
    return buf.getvalue()


@pytest.fixture(scope="session")
def genre_store(tmp_path_factory):
    """A models store with a small untrained GMU head as the deployed genre model."""
    store = tmp_path_factory.mktemp("genre_store")
    torch.manual_seed(0)
    head = head_build("gmu", text_dim=384, image_dim=1280, n_genres=len(IMDB_GENRES), hidden=32, d_model=32)
    # Low thresholds so the untrained head still marks some genres as suggested.
    sha = artifact_save(
        store / "movies-genres.pt",
        head=head,
        thresholds={"all": [0.3] * len(IMDB_GENRES)},
        spec=EncoderSpec(),
        vocabulary=IMDB_GENRES,
        version="genres-test-1",
    )
    return store, {
        "task": "genres",
        "kind": "gmu",
        "version": "genres-test-1",
        "path": "movies-genres.pt",
        "sha256": sha,
        "metrics": {},
        "command": "tests",
        "data": {},
        "created_at": "2026-01-01",
    }


@pytest.fixture
def genre_model(settings, genre_store, tmp_path, use_models_store):
    store, entry = genre_store
    target = use_models_store(tmp_path / "store")
    target.mkdir()
    (target / "movies-genres.pt").write_bytes((store / "movies-genres.pt").read_bytes())
    manifest_write_entry("movies-genres", entry)
    settings.MEDIA_ROOT = tmp_path / "media"


def _movie_with_poster(**kw):
    movie = MovieFactory(plot="A detective hunts a killer through a rainy city at night.", **kw)
    movie.poster.save("poster.jpg", ContentFile(_jpeg()), save=True)
    return movie


@pytest.mark.django_db(transaction=True)
def test_a_curator_gets_suggestions_from_a_job_and_accepting_one_adds_the_genre(genre_model, curator, client, run_jobs):
    movie = _movie_with_poster()
    client.force_login(curator)
    resp = client.post(reverse("genres:suggest", args=[movie.pk]), HTTP_HX_REQUEST="true")
    assert resp.status_code == 200 and b"genre-panel" in resp.content
    run_jobs(["ml"])
    rows = list(GenreSuggestion.objects.filter(movie=movie))
    assert len(rows) >= 5 and all(r.model_version == "genres-test-1" for r in rows)
    explained = [r for r in rows if r.heatmap]
    assert explained and explained[0].explanation["words"]
    panel = client.get(reverse("genres:panel", args=[movie.pk]))
    assert b"Suggest genres" in panel.content, panel.content.decode()
    assert rows[0].genre_name.encode() in panel.content, panel.content.decode()
    html = panel.content.decode()  # a legend for the word colours, a way to the research
    assert "words push toward the genre" in html and reverse("genres:research") in html
    target = rows[0]
    resp = client.post(reverse("genres:suggestion_decide", args=[target.pk, "accept"]))
    assert resp.status_code == 302
    assert list(movie.genres.values_list("name", flat=True)) == [target.genre_name]
    target.refresh_from_db()
    assert target.status == "accepted" and target.decided_by == curator


@pytest.mark.django_db(transaction=True)
def test_suggestions_use_the_catalogs_genre_list_and_skip_genres_the_movie_has_by_another_name(
    genre_model, curator, run_jobs
):
    """The model says "Sci-Fi", the catalog "Science Fiction": one genre, not two."""
    from apps.movies.services import genre_get_or_create
    from apps.genres.services.suggestions import genre_suggest_request

    science_fiction = genre_get_or_create(name="Science Fiction")
    had = MovieFactory(plot="A crew travels through a wormhole.", genres=[science_fiction])
    new = MovieFactory(plot="A crew travels through a wormhole.")
    for movie in (had, new):
        genre_suggest_request(movie=movie, user=curator)
    run_jobs(["ml"])
    names = {m: set(GenreSuggestion.objects.filter(movie=m).values_list("genre_name", flat=True)) for m in (had, new)}
    assert len(names[new]) == len(IMDB_GENRES)  # the low test thresholds suggest every genre
    assert "Science Fiction" in names[new] and "Sci-Fi" not in names[new]
    assert not names[had] & {"Sci-Fi", "Science Fiction"} and len(names[had]) == len(IMDB_GENRES) - 1


@pytest.mark.django_db(transaction=True)
def test_the_api_suggests_and_decides_for_curators_only(genre_model, curator, user, run_jobs):
    from rest_framework.test import APIClient

    movie = MovieFactory(plot="Two friends fall in love in Paris.")  # no poster: text only
    anon, member, cur = APIClient(), APIClient(), APIClient()
    member.force_authenticate(user)
    cur.force_authenticate(curator)
    url = reverse("genres-api:genre_suggestions", args=[movie.pk])
    assert member.post(url).status_code == 403
    assert anon.post(url).status_code in (401, 403)
    resp = cur.post(url)
    assert resp.status_code == 202
    run_jobs(["ml"])
    listed = cur.get(url).json()
    assert listed and listed[0]["explanation"]["pattern"] == "text" and listed[0]["heatmap_url"] is None
    decide = reverse("genres-api:genre_suggestion_decide", args=[listed[0]["id"]])
    assert cur.post(decide, {"decision": "maybe"}, format="json").status_code == 400
    assert cur.post(decide, {"decision": "reject"}, format="json").json()["status"] == "rejected"
    again = cur.post(decide, {"decision": "accept"}, format="json")
    assert again.status_code == 409 and again.json()["error"] == "already_decided"


@pytest.mark.django_db
def test_suggesting_without_a_deployed_model_is_a_clear_error(empty_models_store, curator):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(curator)
    resp = api.post(reverse("genres-api:genre_suggestions", args=[MovieFactory().pk]))
    detail = resp.json()["detail"]
    assert resp.status_code == 404 and "Unknown genre model" in detail and f"run `{TRAIN}` first" in detail


@pytest.mark.django_db(transaction=True)
def test_the_admin_action_queues_one_job_per_movie(genre_model, curator, client, run_jobs):
    curator.is_staff = curator.is_superuser = True
    curator.save()
    movies = [MovieFactory(), MovieFactory()]
    client.force_login(curator)
    resp = client.post(
        reverse("admin:movies_movie_changelist"),
        {"action": "suggest_genres", "_selected_action": [m.pk for m in movies]},
        follow=True,
    )
    assert b"2 genre suggestion job(s) queued" in resp.content
    run_jobs(["ml"])
    assert GenreSuggestion.objects.filter(movie__in=movies).values("movie").distinct().count() == 2


@pytest.mark.django_db
def test_genres_predict_handles_bad_inputs_and_keeps_the_order(genre_model, tmp_path):
    (tmp_path / "ok.jpg").write_bytes(_jpeg())
    (tmp_path / "corrupt.jpg").write_bytes(b"not an image" * 100)
    lines = [
        {"id": "a", "plot": "Cowboys ride west.", "poster": "ok.jpg"},
        {"id": "b", "plot": None, "poster": str(tmp_path / "corrupt.jpg")},
        {"id": "c", "plot": "war " * 25_000, "poster": "missing.jpg"},
        "this line is not json",
        {"id": "d", "plot": 42, "poster": None},
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n")
    out = tmp_path / "out.jsonl"
    stdout = io.StringIO()
    call_command("genres_predict", "--input", str(src), "--output", str(out), stdout=stdout)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r.get("id") for r in rows] == ["a", "b", "c", None, "d"]
    assert set(rows[0]["scores"]) == set(IMDB_GENRES) and rows[0]["model_version"] == "genres-test-1"
    assert "not a readable image" in rows[1]["notes"][0]
    assert "not found" in rows[2]["notes"][0]
    assert rows[3]["line"] == 4 and "invalid JSON" in rows[3]["error"]
    assert "plot is not a string" in rows[4]["notes"][0]
    assert "4 predicted, 1 bad lines" in stdout.getvalue()


@pytest.mark.django_db
def test_genres_predict_refuses_an_unknown_model_name(genre_model, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": 1, "plot": "x"}\n')
    with pytest.raises(CommandError, match="Unknown genre model 'nope'. Available: movies-genres"):
        call_command("genres_predict", "--input", str(src), "--output", str(tmp_path / "o.jsonl"), "--model", "nope")


@pytest.mark.django_db(transaction=True)  # --now runs the experiment's job here with job_run
def test_genres_experiment_runs_on_the_mmimdb_fixture_deploys_and_shows_on_the_research_page(
    settings, tmp_path, client, curator, use_models_store
):
    use_models_store(tmp_path / "store")
    settings.GENRES_WORK_DIR = tmp_path / "work"
    settings.MEDIA_ROOT = tmp_path / "media"
    out = io.StringIO()
    call_command(
        "genres_experiment",
        "--data",
        str(FIXTURE),
        "--heads",
        "text",
        "gmu",
        "late",
        "--now",
        "--train",
        '{"epochs": 2, "batch_size": 2}',
        "--deploy",
        "best",
        stdout=out,
    )
    exp = Experiment.objects.get()
    assert exp.status == "succeeded" and set(exp.metrics) == {"text", "gmu", "late", "ensemble"}
    assert exp.dataset["train"]["n"] == 3 and exp.dataset["test"]["n"] == 1
    assert exp.examples and exp.examples[0]["movie"] == "0000006"
    manifest = json.loads((settings.MODELS_STORE / "MANIFEST.json").read_text())
    entry = manifest["models"]["movies-genres"]
    assert entry["task"] == "genres" and "--deploy" in entry["command"] and len(entry["sha256"]) == 64
    assert entry["format"] == FORMAT
    client.force_login(curator)
    page = client.get(reverse("genres:research"))
    assert page.status_code == 200 and b"Runs side by side" in page.content
    detail = client.get(reverse("genres:experiment", args=[exp.pk]))
    assert detail.status_code == 200 and b"Per-genre F1" in detail.content
    assert b"Poster-only test movies" in detail.content and b"true: Drama, War" in detail.content
    if exp.examples[0]["images"]:  # the validation pick may be the text-only head (no poster map)
        assert b"Grad-CAM for" in detail.content


@pytest.mark.django_db(transaction=True)
def test_an_experiment_whose_job_raises_a_runtime_error_is_not_running_any_more(settings, tmp_path, curator, run_jobs):
    from apps.core.jobs import UNEXPECTED
    from apps.genres.services.experiments import experiment_create

    settings.GENRES_WORK_DIR = tmp_path / "work"
    exp = experiment_create(user=curator, name="bad encoder", data_path=str(FIXTURE), heads=["text"])
    # An image encoder timm does not know: feature extraction raises RuntimeError("Unknown model ...").
    Experiment.objects.filter(pk=exp.pk).update(config={**exp.config, "encoder": {"image_model": "nope_model"}})
    run_jobs(["ml"])
    exp = Experiment.objects.select_related("job").get(pk=exp.pk)
    assert exp.status == "failed" and exp.error == UNEXPECTED  # no internal text for users
    assert exp.job.status == "errored" and "Unknown model (nope_model)" in exp.job.traceback
    api = APIClient()
    api.force_authenticate(curator)
    body = api.get(f"/api/movies/genre-experiments/{exp.pk}/").json()
    assert body["status"] == "failed" and body["error"] == UNEXPECTED
    assert not (tmp_path / "work" / "experiments" / str(exp.pk)).exists()


@pytest.mark.django_db(transaction=True)
def test_cancelling_a_queued_experiment_reads_cancelled(settings, tmp_path, client, curator, run_jobs, admin_client):
    from apps.core.jobs import job_cancel
    from apps.genres.services.experiments import experiment_create

    settings.GENRES_WORK_DIR = tmp_path / "work"
    exp = experiment_create(user=curator, name="never mind", data_path=str(FIXTURE), heads=["text"])
    assert exp.status == "queued"
    assert job_cancel(job=exp.job) is True
    run_jobs(["ml"])
    exp = Experiment.objects.select_related("job").get(pk=exp.pk)
    assert exp.status == "cancelled" and not exp.metrics
    client.force_login(curator)
    page = client.get(reverse("genres:research")).content.decode()
    assert "Cancelled" in page
    admin = admin_client.get("/admin/genres/experiment/?job__status__exact=cancelled").content.decode()
    assert "never mind" in admin
    assert "never mind" not in admin_client.get("/admin/genres/experiment/?job__status__exact=queued").content.decode()


@pytest.mark.django_db
def test_genres_experiment_rejects_a_missing_data_set(tmp_path):
    with pytest.raises(CommandError, match="Data set not found"):
        call_command("genres_experiment", "--data", str(tmp_path / "nothing"), "--now")


@pytest.mark.django_db
def test_a_second_suggest_click_returns_the_job_already_waiting(genre_model, curator):
    from apps.genres.services.suggestions import genre_suggest_request

    movie = MovieFactory()
    first = genre_suggest_request(movie=movie, user=curator)
    assert genre_suggest_request(movie=movie, user=curator).pk == first.pk
    assert genre_suggest_request(movie=MovieFactory(), user=curator).pk != first.pk


@pytest.mark.django_db
def test_a_bench_results_file_can_be_imported_as_an_experiment(settings, tmp_path):
    settings.GENRES_WORK_DIR = tmp_path / "work"
    settings.MEDIA_ROOT = tmp_path / "media"
    from apps.genres.ml.experiment import experiment_run

    results = experiment_run(
        {"heads": ["text", "image"], "train": {"epochs": 1, "batch_size": 2}},
        data_path=FIXTURE,
        cache_root=tmp_path / "cache",
        out_dir=tmp_path / "run",
    )
    (tmp_path / "run" / "results.json").write_text(json.dumps(results))
    call_command("genres_experiment", "--import-results", str(tmp_path / "run" / "results.json"), stdout=io.StringIO())
    exp = Experiment.objects.get()
    assert exp.status == "succeeded" and set(exp.metrics) == {"text", "image"}
    assert exp.examples  # the fixture data and artifacts are here, so examples were made
    (tmp_path / "bad.json").write_text("{}")
    with pytest.raises(CommandError, match="Not a genre experiment result file"):
        call_command("genres_experiment", "--import-results", str(tmp_path / "bad.json"))


@pytest.mark.django_db
def test_the_demo_imports_the_recorded_experiments_once_and_the_research_page_compares_them(client, staff_user):
    from apps.core.errors import ApplicationError
    from apps.genres import demo
    from apps.genres.services.experiments import experiment_deploy

    records = json.loads(demo.EXPERIMENTS.read_text())["experiments"]
    demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())
    assert Experiment.objects.count() == len(records) >= 2
    for record in records:
        exp = Experiment.objects.get(config__imported__key=record["key"])
        assert exp.status == "succeeded" and exp.config["imported"]["command"] == record["source"]["command"]
        assert exp.metrics == record["metrics"] and exp.per_genre and exp.summary["deploy_candidate"]
    client.force_login(staff_user)
    page = client.get(reverse("genres:research"))
    assert page.status_code == 200 and b"Runs side by side" in page.content and b"imported record" in page.content
    newest = Experiment.objects.first()
    detail = client.get(reverse("genres:experiment", args=[newest.pk]))
    assert detail.status_code == 200 and b"Per-genre F1" in detail.content and b"Imported record" in detail.content
    assert b"Deploy as" not in detail.content  # no weights here
    with pytest.raises(ApplicationError, match="not on this machine"):
        experiment_deploy(experiment=newest, kind=newest.summary["deploy_candidate"])


@pytest.mark.django_db
def test_every_signed_in_reader_finds_the_research_page_from_a_movie(client_user):
    """No link from a movie to the genre research page (the panel is for curators)."""
    movie = MovieFactory(title="Alien")
    html = client_user.get(reverse("movies:detail", args=[movie.pk])).content.decode()
    assert f'href="{reverse("genres:research")}"' in html
