import pytest

from apps.adstudio.models import Analysis
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_user_uploads_a_clip_watches_it_analysed_and_pins_a_keyframe(
        page, live_server, log_in, run_jobs, media, clips):
    from apps.adstudio import services

    user = UserFactory(username="editor")
    services.moodboard_create(owner=user, title="Look book")
    path, truth = clips("cuts", 91, seconds=4)
    log_in(user)
    page.goto(f"{live_server.url}/adstudio/")
    page.set_input_files("input[name=upload]", str(path))
    page.click("#analyse-form button[type=submit]")
    page.wait_for_selector(".job-status[data-status=queued]")
    analysis = Analysis.objects.get(owner=user)

    run_jobs()  # the page polls meanwhile and reloads itself when the analysis is done

    page.wait_for_selector("figure.shot img", timeout=30_000)
    shots = page.locator(".timeline figure.shot")
    assert shots.count() == len(truth["transitions"]) + 1 == analysis.shots.count()
    assert page.evaluate("document.querySelector('figure.shot img').naturalWidth") > 0
    page.locator(".timeline figure.shot").first.locator("button:has-text('+ board')").click()
    page.wait_for_selector("text=Added to")
    page.goto(f"{live_server.url}/adstudio/moodboards/")
    page.click("text=Look book")
    page.wait_for_selector(".board-item img")
