"""End to end in Chromium: a logged-in user reviews a movie and sees the AI reading at once.

Runs the real stack under the page: live server, real Postgres, the tiny sentiment models trained
by tests/movies/conftest.py loaded through the registry, htmx swapping the review panel.
"""
import pytest

from apps.movies.models import Review
from tests.movies.factories import MovieFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_review_is_scored_in_place_and_script_in_it_stays_text(page, live_server, log_in, user, sentiment_models):
    movie = MovieFactory(title="The Quiet Harbour", plot="A lighthouse keeper meets a stranger.")
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    log_in(user)

    page.goto(f"{live_server.url}/movies/{movie.pk}/")
    page.wait_for_selector("text=No reviews yet")
    loads = []
    page.on("load", lambda _: loads.append(1))
    text = "Wonderful, moving and beautifully acted. <script>alert('x')</script> <b>loved it</b>"
    page.fill("#review-form-panel textarea", text)
    page.click("#review-form-panel button[type=submit]")

    result = page.wait_for_selector("#review-form-panel .review-result")
    assert loads == []  # htmx swapped the panel; no full page load
    review = Review.objects.get(author=user, movie=movie)
    assert review.is_scored
    shown = result.inner_text()
    assert f"{review.ai_rating}/10" in shown
    assert review.get_sentiment_display() in shown
    assert page.locator("#review-form-panel button[type=submit]").inner_text() == "Save and re-score"

    # Reload: the review is listed with its badge, the markup shown as text, nothing executed.
    page.reload()
    item = page.locator("li.review").first
    assert f"AI {review.ai_rating}/10" in item.inner_text()
    assert "<script>alert('x')</script>" in item.locator(".review-text").inner_text()
    assert page.locator("li.review b").count() == 0
    assert dialogs == []
    assert "from 1 review" in page.inner_text("body")


def test_an_empty_review_gets_a_message_and_nothing_is_saved(page, live_server, log_in, user, sentiment_models):
    movie = MovieFactory(title="Empty Words")
    log_in(user)
    page.goto(f"{live_server.url}/movies/{movie.pk}/")
    page.fill("#review-form-panel textarea", "   ")
    page.eval_on_selector("#review-form-panel form", "f => f.noValidate = true")
    page.click("#review-form-panel button[type=submit]")
    page.wait_for_selector("#review-form-panel .errorlist")
    assert not Review.objects.exists()
