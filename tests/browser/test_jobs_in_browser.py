import pytest

from apps.core.models import Job

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_signs_up_logs_in_and_watches_a_job_finish(page, live_server, run_jobs):
    page.goto(f"{live_server.url}/accounts/signup/")
    page.fill("input[name=username]", "frances")
    page.fill("input[name=password1]", "a-long-passphrase")
    page.fill("input[name=password2]", "a-long-passphrase")
    page.click("button[type=submit]")
    page.wait_for_selector("text=Welcome, frances!")

    page.click("text=Log out")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "frances")
    page.fill("input[name=password]", "a-long-passphrase")
    page.click("button[type=submit]")
    page.wait_for_selector("a.user:has-text('frances')")

    page.goto(f"{live_server.url}/jobs/")
    page.wait_for_selector("text=No jobs yet")
    page.click("text=Run a system check")
    page.wait_for_selector(".job-status[data-status=queued]")
    job = Job.objects.get(user__username="frances")
    assert page.url.endswith(f"/jobs/{job.pk}/")

    run_jobs()  # a real RQ worker (burst) runs it; the page is polling meanwhile

    page.wait_for_selector(".job-status[data-status=succeeded]")
    page.wait_for_selector("text=Model store manifest is readable: ok")
    assert page.locator(".progress-bar").first.get_attribute("style") == "width: 100%"
    page.wait_for_selector("text=checks")  # the result card after the one-time refresh
