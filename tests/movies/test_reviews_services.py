"""Review and movie services against the real database and the (tiny) real models."""

import pytest
from django.db import IntegrityError

from apps.core.errors import ApplicationError
from apps.core.models import Job
from apps.movies.models import Movie, Review
from apps.movies.services import (
    genre_get_or_create,
    movie_create,
    movie_delete,
    movie_update,
    review_create,
    review_delete,
    review_update,
)
from tests.movies.factories import MovieFactory, ReviewFactory

pytestmark = pytest.mark.django_db


def test_a_review_is_saved_with_label_probability_rating_and_model_version(sentiment_models, user):
    movie = MovieFactory()
    review = review_create(movie=movie, author=user, text="정말 재미있고 감동적인 영화였어요 최고")
    review.refresh_from_db()
    assert review.language == "ko"
    assert review.sentiment in ("positive", "negative")
    assert 0 <= review.p_positive <= 1 and 0 <= review.ai_rating <= 10
    assert review.model_version.startswith("ko-")
    assert review.scored_at is not None


def test_an_english_review_goes_to_the_english_model(sentiment_models, user):
    review = review_create(movie=MovieFactory(), author=user, text="A dull, boring waste of time.")
    assert review.language == "en" and review.model_version.startswith("en-")


@pytest.mark.parametrize(
    "text, code",
    [
        ("", "review_empty"),
        ("   \n\t ", "review_empty"),
        ("x" * 10000, "review_too_long"),
        ("😀🎬🍿", "review_no_words"),
        ("!!! 10/10 !!!", "review_no_words"),
    ],
)
def test_it_rejects_bad_review_text_with_a_clear_message(sentiment_models, user, text, code):
    with pytest.raises(ApplicationError) as info:
        review_create(movie=MovieFactory(), author=user, text=text)
    assert info.value.code == code and info.value.message
    assert not Review.objects.exists()


def test_emoji_and_mixed_languages_inside_words_are_accepted(sentiment_models, user):
    review = review_create(movie=MovieFactory(), author=user, text="스토리 최고 😍 but the ending was weak")
    assert review.language == "ko" and review.text.endswith("weak")


def test_html_is_stored_as_typed_and_nul_characters_are_dropped(sentiment_models, user):
    review = review_create(movie=MovieFactory(), author=user, text="<script>alert(1)</script> great\x00 film")
    assert review.text == "<script>alert(1)</script> great film"


def test_a_second_review_of_the_same_movie_is_refused(sentiment_models, user):
    movie = MovieFactory()
    review_create(movie=movie, author=user, text="Great film")
    with pytest.raises(ApplicationError) as info:
        review_create(movie=movie, author=user, text="Another take")
    assert info.value.code == "review_duplicate" and info.value.status == 409
    assert Review.objects.count() == 1


def test_the_database_refuses_a_duplicate_even_past_the_service(user):
    movie = MovieFactory()
    ReviewFactory(movie=movie, author=user)
    with pytest.raises(IntegrityError):
        ReviewFactory(movie=movie, author=user)


def test_a_review_of_a_deleted_movie_is_refused(sentiment_models, user):
    movie = MovieFactory()
    Movie.objects.filter(pk=movie.pk).delete()
    with pytest.raises(ApplicationError) as info:
        review_create(movie=movie, author=user, text="Great film")
    assert info.value.code == "movie_not_found" and info.value.status == 404


def test_editing_a_review_scores_it_again(sentiment_models, user):
    review = review_create(movie=MovieFactory(), author=user, text="Great film")
    Review.objects.filter(pk=review.pk).update(model_version="old", ai_rating=None)
    review.refresh_from_db()
    review_update(review=review, user=user, text="재미없다 최악")
    review.refresh_from_db()
    assert review.text == "재미없다 최악" and review.language == "ko" and review.model_version.startswith("ko-")


def test_only_the_author_edits_and_the_author_or_a_curator_deletes(sentiment_models, user, other_user, curator):
    review = review_create(movie=MovieFactory(), author=user, text="Great film")
    with pytest.raises(ApplicationError):
        review_update(review=review, user=other_user, text="hijacked")
    with pytest.raises(ApplicationError):
        review_delete(review=review, user=other_user)
    review_delete(review=review, user=curator)
    assert not Review.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_without_a_model_the_review_is_saved_unscored_and_a_job_is_queued(empty_models_store, user):
    review = review_create(movie=MovieFactory(), author=user, text="Great film")
    assert review.pk and review.model_version == "" and review.ai_rating is None
    job = Job.objects.get(kind="movies.reviews_rescore")
    assert job.params == {"review_ids": [review.pk]} and job.queue == "ml"


def test_movie_create_update_delete_and_permissions(user, other_user, curator):
    movie = movie_create(created_by=user, title="  Oldboy ", genres=["Thriller", "thriller", "Drama"])
    assert movie.title == "Oldboy"
    assert sorted(g.name for g in movie.genres.all()) == ["Drama", "Thriller"]
    with pytest.raises(ApplicationError) as info:
        movie_update(movie=movie, user=other_user, title="Mine now")
    assert info.value.status == 403
    movie_update(movie=movie, user=curator, director="Park Chan-wook")
    movie.refresh_from_db()
    assert movie.director == "Park Chan-wook"
    with pytest.raises(ApplicationError):
        movie_delete(movie=movie, user=other_user)
    movie_delete(movie=movie, user=user)
    assert not Movie.objects.exists()


def test_a_movie_needs_a_title_and_a_sane_runtime(user):
    with pytest.raises(ApplicationError, match="title"):
        movie_create(created_by=user, title="   ")
    with pytest.raises(ApplicationError, match="runtime"):
        movie_create(created_by=user, title="Long", runtime_minutes=5000)
    assert genre_get_or_create(name="Film  Noir").slug == "film-noir"
    assert genre_get_or_create(name="Sci  Fi").name == "Science Fiction"  # a known alias
