"""What reviewers expect: their own 1-10 rating beside the AI's, how far the AI and
people agree per movie, reviews sorted newest / most positive / most negative, and a page of
one's reviews; through the pages, the API and the admin."""

from decimal import Decimal

import pytest
from django.urls import reverse

from apps.core.errors import ApplicationError
from apps.movies.models import Review
from apps.movies.services import review_create, review_update
from tests.factories import UserFactory
from tests.movies.factories import MovieFactory, ReviewFactory

pytestmark = pytest.mark.django_db


def _scored(movie, ai, mine=None, text="A film.", **kw):
    """A review row as the scorer leaves it (the AI fields set), with the reviewer's own rating."""
    sentiment = "none" if ai is None else ("positive" if ai >= 5 else "negative")
    return ReviewFactory(
        movie=movie,
        text=text,
        sentiment=sentiment,
        model_version="test",
        ai_rating=None if ai is None else Decimal(str(ai)),
        p_positive=None if ai is None else ai / 10,
        user_rating=mine,
        **kw,
    )


# --- own rating ------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [0, 11, -1, 7.5, "eight", True])
def test_an_own_rating_outside_1_to_10_is_refused_and_nothing_is_saved(sentiment_models, user, bad):
    movie = MovieFactory()
    with pytest.raises(ApplicationError, match="whole number from 1 to 10") as info:
        review_create(movie=movie, author=user, text="A wonderful film", user_rating=bad)
    assert info.value.extra["field"] == "user_rating"
    assert not Review.objects.exists()


def test_the_own_rating_is_kept_beside_the_ai_rating_and_can_be_changed_alone(sentiment_models, user):
    review = review_create(movie=MovieFactory(), author=user, text="A wonderful film", user_rating=9)
    assert review.user_rating == 9 and review.ai_rating is not None
    scored = (review.text, review.ai_rating, review.scored_at)
    review_update(review=review, user=user, user_rating=4)
    review.refresh_from_db()
    assert review.user_rating == 4 and (review.text, review.ai_rating, review.scored_at) == scored
    review_update(review=review, user=user, user_rating=None)
    review.refresh_from_db()
    assert review.user_rating is None


def test_the_review_form_takes_an_optional_own_rating_and_says_when_it_is_wrong(client_user, user, sentiment_models):
    movie = MovieFactory()
    url = reverse("movies:review_save", args=[movie.pk])
    form = client_user.get(reverse("movies:detail", args=[movie.pk])).content.decode()
    assert 'name="user_rating"' in form
    bad = client_user.post(url, {"text": "Lovely film", "user_rating": "12"}, HTTP_HX_REQUEST="true")
    assert "Lovely film" in bad.content.decode() and "errorlist" in bad.content.decode()
    assert not Review.objects.exists()
    saved = client_user.post(url, {"text": "Lovely film", "user_rating": "8"}, HTTP_HX_REQUEST="true").content.decode()
    review = Review.objects.get()
    assert review.user_rating == 8 and "Your rating" in saved and "8/10" in saved
    client_user.post(url, {"text": "Lovely film", "user_rating": ""})
    review.refresh_from_db()
    assert review.user_rating is None


def test_the_api_takes_and_returns_the_own_rating_and_names_a_bad_one(api_user, user, sentiment_models):
    movie = MovieFactory()
    url = reverse("movies-api:movie_reviews", args=[movie.pk])
    bad = api_user.post(url, {"text": "Lovely film", "user_rating": 0}, format="json")
    assert bad.status_code == 400 and "user_rating" in str(bad.data["detail"]) and not Review.objects.exists()
    created = api_user.post(url, {"text": "Lovely film", "user_rating": 7}, format="json")
    assert created.status_code == 201 and created.data["user_rating"] == 7 and created.data["rating"] is not None
    detail = reverse("movies-api:review_detail", args=[created.data["id"]])
    changed = api_user.patch(detail, {"user_rating": 10}, format="json")
    assert changed.status_code == 200 and changed.data["user_rating"] == 10
    assert changed.data["text"] == "Lovely film" and changed.data["rating"] == created.data["rating"]
    assert api_user.patch(detail, {"user_rating": "ten"}, format="json").status_code == 400
    assert Review.objects.get().user_rating == 10


# --- agreement ---------------------------------------------------------------------------------


def test_agreement_compares_the_ai_with_the_reviewers_own_ratings():
    from apps.movies.selectors import movie_agreement

    movie = MovieFactory()
    _scored(movie, 8.0, mine=8)
    _scored(movie, 6.5, mine=9)
    _scored(movie, 3.0, mine=3)
    _scored(movie, 7.0)  # no own rating: left out
    _scored(movie, None, mine=5)  # no opinion found: no AI rating, left out
    agreement = movie_agreement(movie=movie)
    assert agreement["count"] == 3 and agreement["within_one"] == 2
    assert agreement["people_average"] == pytest.approx(6.7, abs=0.05)
    assert agreement["ai_average"] == pytest.approx(5.8, abs=0.05)
    assert agreement["mean_difference"] == pytest.approx(-0.8, abs=0.05)
    assert agreement["mean_abs_difference"] == pytest.approx(0.8, abs=0.05)
    assert sorted((p["user_rating"], p["ai_rating"], p["count"]) for p in agreement["points"]) == [
        (3, 3, 1),
        (8, 8, 1),
        (9, 7, 1),
    ]  # the chart places 6.5 at 7
    assert movie_agreement(movie=MovieFactory())["count"] == 0


def test_the_movie_page_and_the_api_show_the_agreement(client, api_client):
    movie = MovieFactory()
    _scored(movie, 8.0, mine=8)
    _scored(movie, 2.0, mine=9)
    html = client.get(reverse("movies:detail", args=[movie.pk])).content.decode()
    assert "AI and reviewers" in html and 'class="chart agreement-chart"' in html
    assert "within 1 point of the reviewer on 1 of 2" in html
    assert "<script" not in html.split('class="chart agreement-chart"', 1)[1].split("</svg>", 1)[0]
    body = api_client.get(reverse("movies-api:movie_rating", args=[movie.pk])).data
    assert body["agreement"]["count"] == 2 and body["agreement"]["within_one"] == 1
    assert body["agreement"]["points"]
    empty = client.get(reverse("movies:detail", args=[MovieFactory().pk])).content.decode()
    assert "agreement-chart" not in empty


# --- sorting -----------------------------------------------------------------------------------


def _three(movie):
    return (
        _scored(movie, 9.0, text="Loved it"),
        _scored(movie, 1.0, text="Hated it"),
        _scored(movie, None, text="Watched on a Tuesday"),
        _scored(movie, 6.0, text="Quite good"),
    )


def test_reviews_sort_newest_most_positive_and_most_negative_on_the_page(client):
    movie = MovieFactory()
    loved, hated, fact, good = _three(movie)
    url = reverse("movies:detail", args=[movie.pk])

    def order(sort):
        html = client.get(url, {"sort": sort}).content.decode()
        return sorted((loved, hated, fact, good), key=lambda r: html.index(f'id="review-{r.pk}"'))

    assert order("new") == [good, fact, hated, loved]
    assert order("positive") == [loved, good, hated, fact]
    assert order("negative") == [hated, good, loved, fact]
    assert order("nonsense") == order("new")
    html = client.get(url, {"sort": "positive"}).content.decode()
    assert "Most positive" in html and 'aria-current="true"' in html


def test_reviews_sort_in_the_api_and_a_bad_sort_is_named(api_client):
    movie = MovieFactory()
    loved, hated, fact, good = _three(movie)
    url = reverse("movies-api:movie_reviews", args=[movie.pk])
    ids = lambda sort: [r["id"] for r in api_client.get(url, {"sort": sort}).data["results"]]  # noqa: E731
    assert ids("positive") == [loved.pk, good.pk, hated.pk, fact.pk]
    assert ids("negative") == [hated.pk, good.pk, loved.pk, fact.pk]
    assert ids("new") == [good.pk, fact.pk, hated.pk, loved.pk]
    bad = api_client.get(url, {"sort": "best"})
    assert bad.status_code == 400 and bad.data["error"] == "invalid_filter" and "positive" in bad.data["detail"]


# --- one's reviews -----------------------------------------------------------------------------


def test_the_profile_links_to_ones_reviews_which_are_paginated_and_sortable(client_user, user):
    profile = client_user.get(reverse("accounts:profile")).content.decode()
    mine_url = reverse("movies:person_reviews", args=[user.pk])
    assert mine_url in profile
    empty = client_user.get(mine_url).content.decode()
    assert "Your reviews" in empty and "You have not reviewed a movie yet" in empty
    for i in range(23):
        _scored(MovieFactory(title=f"Film {i:02d}"), i % 10 + 0.5, mine=i % 10 + 1, author=user)
    _scored(MovieFactory(title="Someone else's"), 5.0, author=UserFactory())
    first = client_user.get(mine_url).content.decode()
    assert "Film 22" in first and "Film 00" not in first and "Page 1 of 2" in first and "23 in all" in first
    assert "Someone else" not in first
    second = client_user.get(mine_url, {"page": 2}).content.decode()
    assert "Film 00" in second
    best = client_user.get(mine_url, {"sort": "positive"}).content.decode()
    assert best.index("Film 19") < best.index("Film 11") and "Film 10" not in best


def test_anyones_review_page_is_reachable_from_their_name_and_the_api_lists_ones_reviews(
    client, api_client, api_user, user, other_user
):
    movie = MovieFactory(title="Shared Film")
    theirs = _scored(movie, 8.0, mine=7, author=other_user)
    _scored(movie, 3.0, author=user)
    movie_page = client.get(reverse("movies:detail", args=[movie.pk])).content.decode()
    assert reverse("movies:person_reviews", args=[other_user.pk]) in movie_page
    page = client.get(reverse("movies:person_reviews", args=[other_user.pk])).content.decode()
    assert "Reviews by bob" in page and "Shared Film" in page and "Your rating" not in page
    assert client.get(reverse("movies:person_reviews", args=[999999])).status_code == 404
    listed = api_client.get(reverse("movies-api:review_list"), {"author": other_user.pk}).data
    assert [r["id"] for r in listed["results"]] == [theirs.pk] and listed["results"][0]["user_rating"] == 7
    mine = api_user.get(reverse("movies-api:review_list"), {"author": "me"}).data
    assert mine["count"] == 1 and mine["results"][0]["author"] == str(user)
    assert api_client.get(reverse("movies-api:review_list"), {"author": "me"}).status_code in (401, 403)
    assert api_client.get(reverse("movies-api:review_list"), {"author": "x"}).status_code == 400


def test_the_admin_shows_and_filters_the_own_rating(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "pw"))
    movie = MovieFactory()
    rated, unrated = _scored(movie, 8.0, mine=8, text="rated by me"), _scored(movie, 4.0, text="no own rating")
    listed = client.get(reverse("admin:movies_review_changelist"), {"user_rating": "8"}).content.decode()
    assert "rated by me" in listed and "no own rating" not in listed
    assert client.get(reverse("admin:movies_review_change", args=[unrated.pk])).status_code == 200
    assert rated.user_rating == 8
