import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

import django_rq
import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from cinescent import embedded
from tests.factories import DEFAULT_PASSWORD, UserFactory


@pytest.fixture(autouse=True)
def _clean_queues():
    """Every test starts with empty queues in the test Redis database."""
    connection = django_rq.get_connection("default")
    connection.flushdb()
    yield


@pytest.fixture
def user(db):
    return UserFactory(username="alice")


@pytest.fixture
def other_user(db):
    return UserFactory(username="bob")


@pytest.fixture
def curator(db):
    user = UserFactory(username="carol")
    user.groups.add(Group.objects.get(name=settings.CURATOR_GROUP))
    return user


@pytest.fixture
def staff_user(db):
    user = UserFactory(username="sam")
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def client_user(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def api_user(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def use_models_store(settings):
    """``use_models_store(path)`` points MODELS_STORE at ``path`` for one test, with no models
    cached from before; the cache is cleared again after the test."""
    from apps.core.registry import ml_cache_clear

    def use(path):
        settings.MODELS_STORE = path
        ml_cache_clear()
        return path

    yield use
    ml_cache_clear()


@pytest.fixture
def empty_models_store(use_models_store, tmp_path):
    """A models store with nothing deployed."""
    return use_models_store(tmp_path)


@pytest.fixture
def redis_down():
    """The test run's Redis stopped for one test (yields its socket path, which no message may
    show); started again, same data folder, after it."""
    data_dir = Path(urlparse(settings.REDIS_URL).path).parent
    embedded.redis_stop(data_dir)
    yield urlparse(settings.REDIS_URL).path
    embedded.redis_url(data_dir)


@pytest.fixture
def run_jobs():
    """Process every queued job with a real RQ worker in burst mode (real Redis).

    By default the worker runs jobs in this process (fast, and the test database connection is
    shared); `run_jobs(forking=True)` uses the production forking worker class of the `video`
    queue, so a job runs in a forked work horse exactly as in production. Use with
    @pytest.mark.django_db(transaction=True) so jobs are enqueued on commit.
    """

    def run(queues=None, *, forking=False):
        from rq import SimpleWorker

        from workers.worker import VideoWorker

        names = queues or list(settings.JOB_QUEUES)
        connection = django_rq.get_connection("default")
        worker_class = VideoWorker if forking else SimpleWorker
        worker = worker_class([django_rq.get_queue(name) for name in names], connection=connection)
        worker.work(burst=True, with_scheduler=False)

    return run


# --- browser: one Playwright session per test module. Module scope, not session: Playwright's
# sync API keeps an event loop marked running in the main thread while it is open, which would
# break later non-browser tests that use asyncio; two sessions at once are refused outright.
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required in CI but {CHROMIUM} is missing (.ci/run installs it)")
        pytest.skip(f"no Chromium at {CHROMIUM}; install Debian's chromium package to run browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def log_in(page, live_server):
    """log_in(user): sign `user` in through the login page and wait for the header to name them."""

    def run(user, password=DEFAULT_PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_selector(f"a.user:has-text('{user.username}')")

    return run
