"""Server-rendered pages: catalog, movie page, review form (htmx and plain), movie forms."""

import pytest
from django.urls import reverse

from apps.movies.models import Movie, Review
from apps.movies.services import review_create
from tests.movies.factories import GenreFactory, MovieFactory

pytestmark = pytest.mark.django_db


def test_the_catalog_lists_searches_filters_and_sorts(client, user, sentiment_models):
    drama = GenreFactory(name="Drama")
    a = MovieFactory(title="Parasite", genres=[drama])
    MovieFactory(title="Alien")
    review_create(movie=a, author=user, text="A masterpiece, brilliant")
    page = client.get(reverse("movies:index"))
    assert page.status_code == 200
    assert "Parasite" in page.content.decode() and "Alien" in page.content.decode()
    assert "TMDB" in page.content.decode()  # attribution of the demo catalog
    found = client.get(reverse("movies:index"), {"q": "para"}).content.decode()
    assert "Parasite" in found and "Alien" not in found
    by_genre = client.get(reverse("movies:index"), {"genre": "drama"}).content.decode()
    assert "Parasite" in by_genre and "Alien" not in by_genre
    for sort in ("rating", "-rating", "date", "-date", "new", "nonsense"):
        assert client.get(reverse("movies:index"), {"sort": sort, "year": "abc", "page": "99"}).status_code == 200


def test_a_movie_without_a_poster_gets_a_placeholder_card(client):
    MovieFactory(title="No Poster Film")
    assert "poster-placeholder" in client.get(reverse("movies:index")).content.decode()


def test_the_movie_page_shows_average_chart_and_coloured_reviews(client, user, other_user, sentiment_models):
    movie = MovieFactory()
    review_create(movie=movie, author=user, text="최고의 영화 감동")
    review_create(movie=movie, author=other_user, text="terrible boring awful")
    html = client.get(reverse("movies:detail", args=[movie.pk])).content.decode()
    assert "Average AI rating" in html and "<svg" in html and "from 2 reviews" in html
    assert "review-positive" in html or "review-negative" in html


def test_review_html_is_shown_escaped(client, user, sentiment_models):
    movie = MovieFactory()
    review_create(movie=movie, author=user, text="<script>alert('x')</script> good film")
    html = client.get(reverse("movies:detail", args=[movie.pk])).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html


def test_the_htmx_review_form_returns_the_ai_result_in_place(client_user, sentiment_models):
    movie = MovieFactory()
    response = client_user.post(
        reverse("movies:review_save", args=[movie.pk]), {"text": "A wonderful film"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="review-form-panel"' in html and "/10" in html and "<html" not in html
    assert Review.objects.get().model_version.startswith("en-")


def test_the_htmx_answer_also_brings_the_review_list_and_the_new_average(client_user, other_user, sentiment_models):
    """Out-of-band swaps: the list shows the new review and the card the new average at once."""
    movie = MovieFactory()
    theirs = review_create(movie=movie, author=other_user, text="최고의 영화 감동")
    response = client_user.post(
        reverse("movies:review_save", args=[movie.pk]), {"text": "A wonderful film"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    mine = Review.objects.exclude(pk=theirs.pk).get()
    average = round((float(theirs.ai_rating) + float(mine.ai_rating)) / 2, 1)
    assert 'id="review-list" hx-swap-oob="true"' in html
    assert 'id="rating-summary" aria-live="polite" hx-swap-oob="true"' in html
    assert f'id="review-{mine.pk}"' in html and f'id="review-{theirs.pk}"' in html
    assert f"{average}<span" in html and "from 2 reviews" in html and "No reviews yet" not in html


def test_a_bad_review_keeps_the_text_and_shows_the_error(client_user, sentiment_models):
    movie = MovieFactory()
    long_text = "좋아요 " * 2000
    response = client_user.post(
        reverse("movies:review_save", args=[movie.pk]), {"text": long_text}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "the limit is 5,000" in html and "좋아요 좋아요" in html
    response = client_user.post(reverse("movies:review_save", args=[movie.pk]), {"text": ""})
    assert response.status_code == 400 and "The review is empty" in response.content.decode()
    assert not Review.objects.exists()


def test_posting_again_edits_the_review_and_the_author_can_delete_it(client_user, sentiment_models):
    movie = MovieFactory()
    url = reverse("movies:review_save", args=[movie.pk])
    client_user.post(url, {"text": "Great film"})
    assert client_user.post(url, {"text": "Actually boring"}).status_code == 302
    review = Review.objects.get()
    assert review.text == "Actually boring"
    client_user.post(reverse("movies:review_delete", args=[review.pk]))
    assert not Review.objects.exists()


def test_someone_elses_review_cannot_be_deleted(client_user, other_user, sentiment_models):
    review = review_create(movie=MovieFactory(), author=other_user, text="Great film")
    client_user.post(reverse("movies:review_delete", args=[review.pk]))
    assert Review.objects.filter(pk=review.pk).exists()


def test_anonymous_visitors_are_sent_to_log_in(client):
    movie = MovieFactory()
    response = client.post(reverse("movies:review_save", args=[movie.pk]), {"text": "hi"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.get(reverse("movies:create")).status_code == 302


def test_a_missing_movie_is_a_404(client):
    assert client.get(reverse("movies:detail", args=[999999])).status_code == 404


def test_add_edit_and_delete_a_movie(client_user, user):
    GenreFactory(name="Drama")
    response = client_user.post(reverse("movies:create"), {"title": "Burning", "runtime_minutes": "148"})
    movie = Movie.objects.get(title="Burning")
    assert response.status_code == 302 and movie.created_by == user
    client_user.post(reverse("movies:update", args=[movie.pk]), {"title": "Burning", "director": "Lee Chang-dong"})
    movie.refresh_from_db()
    assert movie.director == "Lee Chang-dong"
    client_user.post(reverse("movies:delete", args=[movie.pk]))
    assert not Movie.objects.exists()


def test_a_movie_form_with_bad_values_says_what_is_wrong(client_user):
    response = client_user.post(reverse("movies:create"), {"title": "", "runtime_minutes": "-3"})
    assert response.status_code == 400 and "This field is required" in response.content.decode()


def test_others_cannot_edit_a_movie_but_curators_can(client, other_user, curator):
    movie = MovieFactory(title="Original")
    client.force_login(other_user)
    form = client.get(reverse("movies:update", args=[movie.pk]))  # it used to say so only on Save
    assert form.status_code == 403 and "or a curator may change it" in form.content.decode()
    assert "<form" not in form.content.decode().split("<main", 1)[-1]
    assert client.post(reverse("movies:update", args=[movie.pk]), {"title": "Vandalised"}).status_code == 403
    movie.refresh_from_db()
    assert movie.title == "Original"
    client.force_login(curator)
    client.post(reverse("movies:update", args=[movie.pk]), {"title": "Curated"})
    movie.refresh_from_db()
    assert movie.title == "Curated"
