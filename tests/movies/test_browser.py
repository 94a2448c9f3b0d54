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


def test_after_posting_the_review_is_listed_and_the_average_changes_without_a_reload(
    page, live_server, log_in, user, other_user, review_models
):
    """The list and the average follow the post at once, and a review with no opinion
    is listed as such and leaves the average."""
    from apps.movies.services import review_create

    movie = MovieFactory(title="Second Take")
    theirs = review_create(movie=movie, author=other_user, text="정말 재미있고 감동적인 영화였어요 최고")
    log_in(user)
    page.goto(f"{live_server.url}/movies/{movie.pk}/")
    assert page.locator("li.review").count() == 1 and "from 1 review" in page.inner_text("#rating-summary")
    loads = []
    page.on("load", lambda _: loads.append(1))

    page.fill("#review-form-panel textarea", "A wonderful, moving film with great acting.")
    page.click("#review-form-panel button[type=submit]")
    page.wait_for_selector("#rating-summary:has-text('from 2 reviews')")
    mine = Review.objects.get(author=user, movie=movie)
    average = round((float(theirs.ai_rating) + float(mine.ai_rating)) / 2, 1)
    assert f"{average}/10" in page.inner_text("#rating-summary .big-rating")
    assert page.locator("li.review").count() == 2
    assert f"AI {mine.ai_rating}/10" in page.inner_text(f"#review-{mine.pk}")
    assert "No reviews yet" not in page.inner_text("body")

    page.fill("#review-form-panel textarea", "asdf qwer")
    page.click("#review-form-panel button[type=submit]")
    page.wait_for_selector(f"#review-{mine.pk}:has-text('No opinion found')")
    assert "No opinion found" in page.inner_text("#review-form-panel .review-result")
    summary = page.inner_text("#rating-summary")
    assert f"{theirs.ai_rating}/10" in summary and "from 1 review" in summary
    assert "1 review with no opinion found" in summary
    assert loads == []  # every change came by htmx, no page load


def test_a_reviewer_adds_their_own_rating_sees_the_agreement_sorts_and_finds_their_reviews(
    page, live_server, log_in, user, other_user, sentiment_models
):
    """Own 1-10 rating beside the AI's, the agreement chart, sorting, one's review page."""
    from decimal import Decimal

    from tests.movies.factories import ReviewFactory

    movie = MovieFactory(title="Night Train")
    theirs = ReviewFactory(
        movie=movie,
        author=other_user,
        text="Dreadful from start to end.",
        sentiment="negative",
        ai_rating=Decimal("0.0"),
        p_positive=0.0,
        model_version="test",
        user_rating=2,
    )
    log_in(user)
    page.goto(f"{live_server.url}/movies/{movie.pk}/")
    assert "within 1 point of the reviewer on 0 of 1 review" in page.inner_text("#rating-summary")
    loads = []
    page.on("load", lambda _: loads.append(1))
    page.fill("#review-form-panel textarea", "A wonderful, moving film with great acting.")
    page.select_option("#review-form-panel select[name=user_rating]", "9")
    page.click("#review-form-panel button[type=submit]")
    page.wait_for_selector("#rating-summary:has-text('of 2 reviews rated by both')")
    mine = Review.objects.get(author=user)
    assert mine.user_rating == 9
    assert "Your rating 9/10" in page.inner_text("#review-form-panel .review-result")
    assert page.locator("#rating-summary svg.agreement-chart circle").count() == 2
    assert "9/10" in page.inner_text(f"#review-{mine.pk}") and loads == []

    page.click("#review-list >> text=Most negative")
    page.wait_for_url("**sort=negative**")
    assert page.locator("li.review").first.get_attribute("id") == f"review-{theirs.pk}"
    page.click("#review-list >> text=Most positive")
    page.wait_for_url("**sort=positive**")
    assert page.locator("li.review").first.get_attribute("id") == f"review-{mine.pk}"

    page.click("a.user")
    page.click("text=Your reviews")
    page.wait_for_selector("h1:has-text('Your reviews')")
    item = page.locator("li.review").first
    assert "Night Train" in item.inner_text() and "Your rating 9/10" in item.inner_text()
