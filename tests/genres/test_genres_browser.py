"""End to end in Chromium: a curator asks for genre suggestions, watches the job, accepts one.

Real stack: live server, the `ml` job run by a real RQ worker, the htmx panel polling, the
Grad-CAM image served from media, the accept form adding the genre to the movie.
"""

import pytest

from apps.genres.models import GenreSuggestion
from tests.genres.test_genres_product import _movie_with_poster, genre_model, genre_store  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_curator_suggests_genres_watches_the_job_and_accepts_one(
    page, live_server, log_in, curator, genre_model, run_jobs
):
    movie = _movie_with_poster(title="Night Rain")
    log_in(curator)

    page.goto(f"{live_server.url}/movies/{movie.pk}/")
    page.wait_for_selector("#genre-panel >> text=No pending suggestions.")
    page.click("#genre-panel button:has-text('Suggest genres')")
    page.wait_for_selector("#genre-panel .job-status")

    run_jobs(["ml"])  # the panel keeps polling while the worker runs the job

    page.wait_for_selector("#genre-panel .genre-suggestion", timeout=30_000)
    first = page.locator("#genre-panel .genre-suggestion").first
    name = first.locator("strong").inner_text()
    assert GenreSuggestion.objects.filter(movie=movie, genre_name=name, status="pending").exists()

    explained = page.locator("#genre-panel .genre-suggestion:has(summary:has-text('Why (poster)'))").first
    explained.locator("summary:has-text('Why (poster)')").click()
    img = explained.locator("img")
    img.wait_for()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())

    first.locator("button:has-text('Accept')").click()
    page.wait_for_selector(f"text={name} added to the movie.")
    assert list(movie.genres.values_list("name", flat=True)) == [name]
    page.wait_for_selector(f"#genre-panel >> text=Decided: {name} (accepted)")
