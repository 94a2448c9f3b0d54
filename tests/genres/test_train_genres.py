"""``manage.py train_genres``: the deployed genre model's whole recipe, from a data set alone, in one
command; the manifest records that command and the artifact format, and the site suggests with it."""

import io
import shlex
import shutil
from pathlib import Path

import pytest
import torch
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from apps.core.errors import ApplicationError
from apps.core.registry import file_sha256, manifest_read, manifest_write_entry
from apps.genres.ml.suggest.load import FORMAT, TRAIN
from apps.genres.ml.suggest.train import Recipe
from apps.genres.models import GenreSuggestion
from apps.genres.services.suggestions import genre_model_get
from tests.movies.factories import MovieFactory

from .synthetic import synthetic_dataset

# The shipped recipe's head set, shrunk in seeds, folds and epochs.
TINY = ["--seeds", "13", "1", "--folds", "2", "--train", '{"epochs": 2}']


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """``train_genres`` run once on a small synthetic data set into an empty models store:
    (data folder, store, the command's output)."""
    root = tmp_path_factory.mktemp("train_genres")
    data, store = synthetic_dataset(root / "data"), root / "store"
    store.mkdir()
    with override_settings(MODELS_STORE=store, GENRES_WORK_DIR=root / "work"):
        out = io.StringIO()
        call_command("train_genres", "--data", str(data), *TINY, stdout=out)
    return data, store, out.getvalue()


def test_train_genres_builds_a_loadable_model_in_an_empty_store_and_records_the_command_and_format(
    trained, use_models_store
):
    data, store, out = trained
    entry = manifest_read(store)["models"]["movies-genres"]
    assert entry["command"] == shlex.join(["python", "manage.py", "train_genres", "--data", str(data), *TINY])
    assert entry["format"] == FORMAT and entry["task"] == "genres" and entry["kind"] == "ensemble"
    assert entry["sha256"] == file_sha256(store / entry["path"])
    assert sum(entry["data"][split]["n"] for split in ("train", "val", "test")) == 48
    assert set(entry["metrics"]) == {"val_both", "test_both", "test_image", "test_plot_only", "test_all"}
    assert "test_both: macro-F1" in out and "Wrote movies-genres.pt" in out
    use_models_store(store)
    model = genre_model_get()
    assert model.version == entry["version"] and model.obj.kind == "ensemble"
    assert len(model.obj.head.members) == 2 * len(Recipe().kinds)  # two seeds of the recipe's head set
    assert {"all", "text"} <= set(model.obj.thresholds)  # plot-only thresholds from posters hidden


@pytest.mark.django_db(transaction=True)
def test_the_site_suggests_genres_with_the_model_train_genres_built(
    trained, use_models_store, settings, tmp_path, curator, client, run_jobs
):
    data, store, _ = trained
    use_models_store(store)
    settings.MEDIA_ROOT = tmp_path / "media"
    movie = MovieFactory(plot="A ghost and a scream in a haunted house at night.")
    movie.poster.save("poster.jpg", ContentFile((data / "posters" / "tt0000000.jpg").read_bytes()), save=True)
    client.force_login(curator)
    assert client.post(reverse("genres:suggest", args=[movie.pk]), HTTP_HX_REQUEST="true").status_code == 200
    run_jobs(["ml"])
    rows = list(GenreSuggestion.objects.filter(movie=movie).order_by("-score"))
    version = manifest_read(store)["models"]["movies-genres"]["version"]
    assert rows and all(r.model_version == version for r in rows)
    assert rows[0].explanation["pattern"] == "both" and rows[0].explanation["words"]
    assert rows[0].genre_name in client.get(reverse("genres:panel", args=[movie.pk])).content.decode()


def test_a_genre_model_in_another_format_is_refused_with_the_command_that_rebuilds_it(
    trained, use_models_store, tmp_path
):
    store = use_models_store(Path(shutil.copytree(trained[1], tmp_path / "store")))
    entry = manifest_read(store)["models"]["movies-genres"]
    manifest_write_entry("movies-genres", {**entry, "format": FORMAT + 1}, store=store)
    with pytest.raises(ApplicationError) as caught:
        genre_model_get()
    assert caught.value.status == 409 and f"format {FORMAT + 1}" in caught.value.message
    assert TRAIN in caught.value.message
    # A file of another artifact layout under the manifest's format: the same clear refusal, not a crash.
    path = store / entry["path"]
    torch.save({**torch.load(path, weights_only=True), "format": "cinescent-genre-head/2"}, path)
    manifest_write_entry("movies-genres", {**entry, "version": "v2", "sha256": file_sha256(path)}, store=store)
    with pytest.raises(ApplicationError) as caught:
        genre_model_get()
    assert caught.value.status == 409 and "cinescent-genre-head/2" in caught.value.message
    assert TRAIN in caught.value.message


def test_train_genres_out_writes_a_candidate_store_and_leaves_the_deployed_models_alone(
    trained, settings, use_models_store, tmp_path
):
    data = trained[0]
    deployed = use_models_store(tmp_path / "deployed")
    deployed.mkdir()
    settings.GENRES_WORK_DIR = data.parent / "work"  # the features the module's run extracted
    candidate = tmp_path / "candidate"
    args = [
        "--out",
        str(candidate),
        "--seeds",
        "13",
        "--kinds",
        "text",
        "late",
        "--folds",
        "2",
        "--train",
        '{"epochs": 1}',
    ]
    call_command("train_genres", "--data", str(data), *args, stdout=io.StringIO())
    assert not list(deployed.iterdir())
    entry = manifest_read(candidate)["models"]["movies-genres"]
    assert entry["command"] == shlex.join(["python", "manage.py", "train_genres", "--data", str(data), *args])
    assert entry["sha256"] == file_sha256(candidate / entry["path"])


@pytest.mark.parametrize(
    "args, message",
    [
        (["--kinds", "late", "nope"], "unknown head kinds \\['nope'\\]"),
        (["--train", '{"epoch": 1}'], "unknown training options: epoch"),
        (["--train", "epochs=1"], "--train is not JSON"),
        (["--folds", "1"], "--folds must be at least 2"),
    ],
)
def test_train_genres_refuses_a_bad_recipe_and_writes_nothing(
    trained, args, message, settings, use_models_store, tmp_path
):
    store = use_models_store(tmp_path / "store")
    settings.GENRES_WORK_DIR = tmp_path / "work"
    with pytest.raises(CommandError, match=message):
        call_command("train_genres", "--data", str(trained[0]), *args)
    assert not store.exists() and not (tmp_path / "work").exists()


def test_train_genres_refuses_a_missing_data_set(use_models_store, tmp_path):
    store = use_models_store(tmp_path / "store")
    with pytest.raises(CommandError, match=f"Data set not found: {tmp_path / 'nope'}"):
        call_command("train_genres", "--data", str(tmp_path / "nope"))
    assert not store.exists()


def test_the_defaults_are_the_recipe_of_the_shipped_model():
    """The shipped artifact was built by a chain of bench runs (``built_by``): the command's defaults are that
    chain's, and the entry's command is the plain one that rebuilt it."""
    entry = manifest_read(Path(django_settings.BASE_DIR) / "models_store")["models"]["movies-genres"]
    assert entry["command"] == "python manage.py train_genres --data ../shared/data/genres"
    steps = [shlex.split(step) for step in entry["built_by"].split(" && ")]
    runs = [s for s in steps if s[1] == "bench/movies_genres_experiment.py"]
    (folds,) = [s for s in steps if s[1:3] == ["bench/movies_genres_crossfit.py", "train"]]
    (build,) = [s for s in steps if s[1:3] == ["bench/movies_genres_crossfit.py", "build"]]

    def values(step, flag):
        start = step.index(flag) + 1
        end = next((i for i in range(start, len(step)) if step[i].startswith("--")), len(step))
        return step[start:end]

    recipe = Recipe()
    assert [int(values(r, "--seed")[0]) for r in runs] == recipe.seeds
    assert all(set(recipe.kinds) <= set(values(r, "--heads")) for r in runs)
    assert {int(values(s, "--split-seed")[0]) for s in [*runs, folds]} == {recipe.split_seed}
    assert values(folds, "--kinds") == recipe.kinds and int(values(folds, "--folds")[0]) == recipe.folds
    assert int(values(folds, "--seed")[0]) == recipe.fold_seed
    assert values(build, "--runs") == [values(r, "--out")[0] for r in runs]
    assert values(build, "--thresholds") == [recipe.thresholds] and float(values(build, "--shrink")[0]) == recipe.shrink
    assert entry.get("format", 1) == FORMAT
