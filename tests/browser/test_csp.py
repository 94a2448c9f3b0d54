"""In Chromium with the production Content-Security-Policy on: the pages keep working and the
browser reports no violation (a `securitypolicyviolation` listener installed before any script of
the page, and the console, where Chromium also logs refused inline code)."""

import pytest
from django.contrib.auth import get_user_model

from apps.core.models import Job
from apps.movies.models import Movie
from tests.movies.factories import MovieFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

_LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${where})`);
});
"""


@pytest.fixture
def csp_page(page, settings):
    """The page fixture with the CSP on and every violation collected; checked after the test."""
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": settings.CSP_DIRECTIVES}
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(_LISTEN)
    responses = []
    page.on("response", lambda r: responses.append(r) if r.request.resource_type == "document" else None)
    yield page
    reported = page.evaluate("window.__cspViolations")
    refused = [text for text in console if "Content Security Policy" in text]
    assert reported == [] and refused == [], (reported, refused)
    assert responses and all("content-security-policy" in r.headers for r in responses)


def test_a_job_page_updates_live_through_htmx_under_the_csp(csp_page, live_server, log_in, user, run_jobs):
    log_in(user)
    csp_page.goto(f"{live_server.url}/jobs/")
    csp_page.click("text=Run a system check")
    csp_page.wait_for_selector(".job-status[data-status=queued]")
    run_jobs()
    csp_page.wait_for_selector(".job-status[data-status=succeeded]")  # htmx polled and swapped
    assert csp_page.locator(".progress-bar").first.get_attribute("style") == "width: 100%"
    assert Job.objects.get(user=user).status == Job.Status.SUCCEEDED


def test_the_job_list_filter_submits_on_change(csp_page, live_server, log_in, user, run_jobs):
    log_in(user)
    csp_page.goto(f"{live_server.url}/jobs/")
    csp_page.click("text=Run a system check")
    csp_page.wait_for_selector(".job-status")
    csp_page.goto(f"{live_server.url}/jobs/")
    with csp_page.expect_navigation():
        csp_page.select_option("select[name=status]", "failed")
    assert csp_page.url.endswith("/jobs/?status=failed")
    csp_page.wait_for_selector("text=No jobs yet")


def test_deleting_a_movie_asks_first(csp_page, live_server, log_in, user):
    movie = MovieFactory(title="Nitrate Dreams", created_by=user)
    log_in(user)
    csp_page.goto(f"{live_server.url}/movies/{movie.pk}/")
    questions = []

    csp_page.once("dialog", lambda d: (questions.append(d.message), d.dismiss()))
    csp_page.click("button:has-text('Delete')")
    csp_page.wait_for_timeout(300)
    assert questions == ["Delete this movie and its reviews?"]
    assert Movie.objects.filter(pk=movie.pk).exists() and csp_page.url.endswith(f"/movies/{movie.pk}/")

    csp_page.once("dialog", lambda d: (questions.append(d.message), d.accept()))
    with csp_page.expect_navigation():
        csp_page.click("button:has-text('Delete')")
    assert len(questions) == 2 and not Movie.objects.filter(pk=movie.pk).exists()


def test_the_api_docs_render_the_schema(csp_page, live_server):
    csp_page.goto(f"{live_server.url}/api/docs/")
    csp_page.wait_for_selector(".swagger-ui .info .title:has-text('CineScent API')")
    csp_page.wait_for_selector(".opblock-summary-path:has-text('/api/accounts/token/')")


def test_the_admin_works(csp_page, live_server):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "admin-passphrase-long")
    MovieFactory(title="Admin Picture", created_by=admin)
    csp_page.goto(f"{live_server.url}/admin/")
    csp_page.fill("input[name=username]", "root")
    csp_page.fill("input[name=password]", "admin-passphrase-long")
    csp_page.click("input[type=submit]")
    csp_page.wait_for_selector("#site-name")
    csp_page.goto(f"{live_server.url}/admin/movies/movie/")
    csp_page.check("#action-toggle")  # admin's actions.js counts the selection
    csp_page.wait_for_selector(".action-counter:has-text('1 of 1 selected')")
    csp_page.goto(f"{live_server.url}/admin/movies/movie/add/")
    csp_page.wait_for_selector("#movie_form")
