"""Job pages speak the user's words: what the job is and what it worked on, not its kind."""

import pytest

from apps.core.jobs import job_create
from apps.core.models import Job
from tests.movies.factories import MovieFactory

pytestmark = pytest.mark.django_db


def test_the_job_list_names_the_job_and_links_what_it_worked_on(client_user, user):
    movie = MovieFactory(title="Spirited Away")
    job = job_create(kind="movies.poster_fetch", user=user, target=movie, status=Job.Status.SUCCEEDED)
    listing = client_user.get("/jobs/").content.decode()
    assert "Poster download" in listing and "movies.poster_fetch" not in listing
    assert f'href="/movies/{movie.pk}/"' in listing and "Spirited Away" in listing
    detail = client_user.get(f"/jobs/{job.pk}/").content.decode()
    assert "Poster download" in detail and f'href="/movies/{movie.pk}/"' in detail


def test_a_job_whose_target_is_gone_is_still_listed(client_user, user):
    movie = MovieFactory(title="Gone")
    job_create(kind="movies.poster_fetch", user=user, target=movie, status=Job.Status.FAILED)
    movie.delete()
    listing = client_user.get("/jobs/")
    assert listing.status_code == 200 and "Poster download" in listing.content.decode()


def test_the_favicon_is_there(client):
    """/favicon.ico was a 404 on every page load."""
    from django.contrib.staticfiles import finders

    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/favicon.ico"
    with open(finders.find("favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # an ICO file
    assert 'rel="icon"' in client.get("/").content.decode()


def test_a_finished_job_shows_its_result_as_facts_not_python(client_user, user):
    """The batch result was a raw Python dict."""
    job = job_create(
        kind="core.system_check",
        user=user,
        status=Job.Status.SUCCEEDED,
        result={"checks": {"Database answers": "pgvector 0.8"}, "took_seconds": 2},
    )
    html = client_user.get(f"/jobs/{job.pk}/").content.decode()
    assert "Took seconds" in html and "1 item" in html and "{&#x27;" not in html


def test_a_batch_without_one_target_links_the_page_of_its_result(client_user, user):
    from django.urls import reverse

    job = job_create(
        kind="scents.compose_batch", user=user, status=Job.Status.SUCCEEDED, result={"count": 0, "recipes": []}
    )
    url = reverse("scents:batch_detail", args=[job.pk])
    assert f'href="{url}"' in client_user.get("/jobs/").content.decode()
    assert f'href="{url}"' in client_user.get(f"/jobs/{job.pk}/").content.decode()
