"""Jobs run by a real RQ worker (burst mode) and the management commands."""

import csv
import http.server
import io
import json
import threading

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from PIL import Image

from apps.core.jobs import job_enqueue
from apps.core.models import Job
from apps.core.net import UNREACHABLE
from apps.movies.models import Movie, Review
from apps.movies.services import movie_create
from tests.movies.factories import MovieFactory, ReviewFactory
from tests.movies.test_sentiment_ml import FIXTURES


@pytest.mark.django_db(transaction=True)
def test_rescoring_all_reviews_runs_on_the_ml_queue_with_progress(sentiment_models, user, run_jobs):
    reviews = [ReviewFactory(text=t) for t in ("최고의 영화", "Awful film", "그저 그랬다")]
    job = job_enqueue(kind="movies.reviews_rescore", user=user, params={"all": True})
    assert job.queue == "ml"
    run_jobs()
    job.refresh_from_db()
    assert job.status == "succeeded", job.error + job.traceback
    assert job.result["scored"] == 3 and job.progress_done == job.progress_total == 3
    for review in reviews:
        review.refresh_from_db()
        assert review.model_version and review.ai_rating is not None


@pytest.mark.django_db(transaction=True)
def test_rescoring_without_a_model_fails_with_a_message(empty_models_store, user, run_jobs):
    ReviewFactory()
    job = job_enqueue(kind="movies.reviews_rescore", user=user, params={"all": True})
    run_jobs()
    job.refresh_from_db()
    assert job.status == "failed" and "No sentiment model" in job.error


@pytest.mark.django_db(transaction=True)
def test_importing_a_file_keeps_good_rows_and_lists_bad_ones(sentiment_models, user, run_jobs):
    movies = [MovieFactory(), MovieFactory(), MovieFactory()]
    ReviewFactory(movie=movies[2], author=user)
    body = (
        "movie_id\ttext\n"
        f"{movies[0].pk}\t정말 재미있어요\n"
        f"{movies[1].pk}\t\n"
        f"999999\tGreat\n"
        f"{movies[2].pk}\tAlready reviewed\n"
        "x\ty\tz\n"
    )
    path = default_storage.save(f"private/movies/{user.pk}/import.tsv", ContentFile(body.encode()))
    job = job_enqueue(kind="movies.reviews_import", user=user, params={"path": path})
    run_jobs()
    job.refresh_from_db()
    assert job.status == "succeeded", job.error + job.traceback
    assert job.result["created"] == 1 and job.result["error_count"] == 4
    assert Review.objects.get(movie=movies[0]).model_version.startswith("ko-")


class _PosterHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/poster.png":
            buffer = io.BytesIO()
            Image.new("RGB", (20, 30), "navy").save(buffer, format="PNG")
            body, kind = buffer.getvalue(), "image/png"
        elif self.path == "/fake.png":
            body, kind = b"not an image at all", "image/png"
        else:
            body, kind = b"<html></html>", "text/html"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def poster_server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _PosterHandler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "path, status, message",
    [
        ("/poster.png", "succeeded", ""),
        ("/fake.png", "failed", "not a readable image"),
        ("/page.html", "failed", "Expected image/"),
    ],
)
def test_a_poster_url_is_fetched_by_a_job_with_type_checks(
    settings, poster_server, user, run_jobs, path, status, message
):
    settings.NET_ALLOW_LOOPBACK = True
    movie = movie_create(created_by=user, title="Poster test", poster_url=poster_server + path)
    run_jobs()
    job = Job.objects.get(kind="movies.poster_fetch")
    assert job.status == status and message in job.error
    movie.refresh_from_db()
    assert bool(movie.poster) == (status == "succeeded")


@pytest.mark.django_db(transaction=True)
def test_a_poster_url_on_a_private_address_is_refused(settings, poster_server, user, run_jobs):
    settings.NET_ALLOW_LOOPBACK = False
    movie_create(created_by=user, title="SSRF", poster_url=poster_server + "/poster.png")
    run_jobs()
    job = Job.objects.get(kind="movies.poster_fetch")
    assert job.status == "failed" and job.error == UNREACHABLE  # neutral: no address, no reason


@pytest.mark.django_db
@pytest.mark.parametrize("delimiter", ["\t", ","])
def test_reviews_score_writes_one_line_per_row_in_order(sentiment_models, tmp_path, delimiter):
    rows = [
        ("r1", "정말 최고의 영화"),
        ("r2", ""),
        ("r3", "A tedious, boring film" if delimiter == "," else "A tedious boring film"),
        ("r4", "😀😀"),
        ("r5", "long review " * 1000),
        ("r6", "x" * 100_001),
    ]
    buffer = io.StringIO()
    quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
    writer = csv.writer(buffer, delimiter=delimiter, quoting=quoting, lineterminator="\n")
    writer.writerows(
        [
            ["review_id", "movie", "text"],
            *[[rid, "m", text] for rid, text in rows[:2]],
            ["r2b", "too", "many", "fields"],
            *[[rid, "m", text] for rid, text in rows[2:]],
        ]
    )
    src = tmp_path / ("in.tsv" if delimiter == "\t" else "in.csv")
    src.write_text(buffer.getvalue(), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    call_command("reviews_score", "--input", str(src), "--output", str(out))
    results = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["review_id"] for r in results] == ["r1", "r2", "r2b", "r3", "r4", "r5", "r6"]
    assert list(results[0]) == ["review_id", "label", "p_positive", "rating", "p_opinion", "language", "model_version"]
    assert results[0]["language"] == "ko" and results[3]["language"] == "en"
    assert all("error" in results[i] for i in (1, 2, 4, 6))
    assert results[5]["language"] == "en"  # 12,000 characters: scored (the site's limit is for new reviews)


@pytest.mark.django_db
def test_reviews_score_refuses_a_file_without_the_columns(sentiment_models, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("id,body\n1,hello\n")
    with pytest.raises(CommandError, match="review_id"):
        call_command("reviews_score", "--input", str(src), "--output", str(tmp_path / "o.jsonl"))


def test_train_sentiment_writes_the_artifact_and_manifest_entry(tmp_path, capsys):
    call_command(
        "train_sentiment",
        "--lang",
        "en",
        "--data",
        str(FIXTURES / "imdb_sample.tsv"),
        "--out",
        str(tmp_path),
        "--epochs",
        "0",
    )
    manifest = json.loads((tmp_path / "MANIFEST.json").read_text())
    entry = manifest["models"]["movies-sentiment-en"]
    assert (tmp_path / entry["path"]).exists() and entry["command"].startswith("python manage.py train_sentiment")
    assert "accuracy" in capsys.readouterr().out


def test_train_sentiment_refuses_refit_linear_without_refit_tables(tmp_path):
    with pytest.raises(CommandError, match="--refit-linear goes with --refit-tables"):
        call_command(
            "train_sentiment",
            "--lang",
            "en",
            "--data",
            str(FIXTURES / "imdb_sample.tsv"),
            "--out",
            str(tmp_path),
            "--refit-linear",
        )
    assert not list(tmp_path.iterdir())


@pytest.mark.django_db
def test_the_demo_catalog_loads_once_with_scored_reviews(capsys, sentiment_models):
    from apps.movies import demo
    from apps.movies.models import Review

    demo.load(stdout=io.StringIO())
    count = Movie.objects.count()
    assert count == 300 and Movie.objects.filter(plot="").count() == 0
    reviews = Review.objects.all()
    assert reviews.count() == 24
    assert {r.language for r in reviews} == {"ko", "en"}
    assert all(r.sentiment in ("positive", "negative") and r.model_version for r in reviews)
    demo.load(stdout=io.StringIO())
    assert Movie.objects.count() == count and Review.objects.count() == 24


OLD_VERSION = "en-20200101000000+opinion-20200101000000"  # what an older release's models wrote


def _reviews_of_three_kinds(user):
    """Two reviews the deployed models scored, two an older release's model scored, one never scored."""
    from apps.movies.services import review_create

    movies = [MovieFactory() for _ in range(5)]
    current = [
        review_create(movie=movies[0], author=user, text="정말 재미있는 영화였다"),
        review_create(movie=movies[1], author=user, text="A wonderful, moving film."),
    ]
    old = [
        review_create(movie=movies[2], author=user, text="Dull and far too long."),
        review_create(movie=movies[3], author=user, text="최악의 영화"),
    ]
    Review.objects.filter(pk__in=[r.pk for r in old]).update(model_version=OLD_VERSION)
    never = ReviewFactory(movie=movies[4], text="Great cast.")
    return current, old, never


@pytest.mark.django_db(transaction=True)
def test_reviews_an_older_model_scored_are_queued_once_at_start_up_and_rescored(review_models, user, run_jobs):
    from apps.movies.scoring import review_versions_current
    from apps.movies.versions import review_versions_deployed

    current, old, never = _reviews_of_three_kinds(user)
    # The start-up check reads the manifest only; the job goes by the loaded models: they agree.
    assert review_versions_deployed() == review_versions_current()
    assert "reviews_rescore" in settings.STARTUP_COMMANDS

    out = io.StringIO()
    call_command("reviews_rescore", stdout=out)
    assert "3 reviews scored by another model than the deployed one (or never) to re-score: job #" in out.getvalue()
    job = Job.objects.get(kind="movies.reviews_rescore")
    assert job.params == {"stale": True} and job.queue == "ml" and job.user is None

    again = io.StringIO()
    call_command("reviews_rescore", stdout=again)  # a second start before the worker got to it
    assert f"job #{job.pk} (queued) already does it" in again.getvalue()
    assert Job.objects.filter(kind="movies.reviews_rescore").count() == 1

    scored_at = {r.pk: r.scored_at for r in current}
    run_jobs()
    job.refresh_from_db()
    assert job.status == "succeeded", job.error + job.traceback
    assert job.result["scored"] == 3
    versions = review_versions_current()
    for review in [*old, never]:
        review.refresh_from_db()
        assert review.model_version == versions[review.language] and review.scored_at is not None
    for review in current:  # up to date: not written again
        review.refresh_from_db()
        assert review.scored_at == scored_at[review.pk]

    done = io.StringIO()
    call_command("reviews_rescore", stdout=done)
    assert done.getvalue().strip() == "Every review is scored by the deployed models."
    assert Job.objects.filter(kind="movies.reviews_rescore").count() == 1


@pytest.mark.django_db(transaction=True)
def test_reviews_rescore_without_a_model_queues_nothing(empty_models_store):
    ReviewFactory()
    out = io.StringIO()
    call_command("reviews_rescore", stdout=out)
    assert out.getvalue().strip() == "No sentiment model is deployed: reviews stay as they are."
    assert not Job.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_reviews_rescore_all_queues_every_review(review_models, user):
    _reviews_of_three_kinds(user)
    out = io.StringIO()
    call_command("reviews_rescore", "--all", stdout=out)
    assert "5 reviews to re-score: job #" in out.getvalue()
    assert Job.objects.get(kind="movies.reviews_rescore").params == {"all": True}


@pytest.mark.django_db(transaction=True)
def test_reviews_rescore_with_redis_down_warns_and_the_start_goes_on(review_models, user, redis_down):
    _, old, _ = _reviews_of_three_kinds(user)
    out, err = io.StringIO(), io.StringIO()
    call_command("reviews_rescore", stdout=out, stderr=err)  # no CommandError: runstack goes on starting
    assert "3 reviews to re-score, but no job could be queued" in err.getvalue()
    assert "The job queue is unavailable right now" in err.getvalue() and redis_down not in err.getvalue()
    assert not Job.objects.exists()
    assert set(Review.objects.filter(pk__in=[r.pk for r in old]).values_list("model_version", flat=True)) == {
        OLD_VERSION
    }
