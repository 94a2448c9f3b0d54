import pytest

from apps.adstudio.models import Analysis
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_user_uploads_a_clip_watches_it_analysed_and_pins_a_keyframe(
    page, live_server, log_in, run_jobs, media, clips
):
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


# Installed before the page's scripts: CSP violations, every seek's time, and every element that
# becomes the current shot (a log, so a shot that playback leaves quickly is still seen).
_LISTEN = """
window.__cspViolations = [];
window.__seeks = [];
window.__current = [];
document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(e.violatedDirective));
document.addEventListener("seeked", (e) => window.__seeks.push(e.target.currentTime), true);
new MutationObserver((changes) => changes.forEach((c) => {
  if (c.target.classList.contains("current")) window.__current.push(c.target.dataset.shot + (c.target.tagName === "LI" ? "-strip" : ""));
})).observe(document, {subtree: true, attributes: true, attributeFilter: ["class"]});
"""


def test_the_player_seeks_to_a_clicked_shot_or_keyframe_and_highlights_the_current_shot(
    page, live_server, log_in, run_jobs, media, clips, settings
):
    from tests.adstudio.factories import analysis_started

    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": settings.CSP_DIRECTIVES}
    user = UserFactory(username="cutter")
    path, _ = clips("cuts", 92, seconds=6)
    analysis = analysis_started(user, path)
    run_jobs()
    analysis.refresh_from_db()
    shots = list(analysis.shots.order_by("index"))
    assert len(shots) >= 3
    page.add_init_script(_LISTEN)
    log_in(user)
    page.goto(f"{live_server.url}/adstudio/analyses/{analysis.pk}/")
    # Predicates as functions: a string expression is eval'd in the page, which the CSP refuses.
    page.wait_for_function("() => document.querySelector('video[data-player]').readyState >= 1")
    seeked_to = "window.__seeks[window.__seeks.length - 1]"

    def highlighted(shot, where=""):
        page.wait_for_function("id => window.__current.includes(id)", arg=f"{shot.pk}{where}", timeout=15_000)

    first, second, third = shots[:3]
    page.click(f"#shot-{third.pk} figcaption button")  # the shot's caption: its start
    highlighted(third)
    highlighted(third, "-strip")
    assert third.start <= page.evaluate(seeked_to) < third.end
    assert page.url.endswith(f"/analyses/{analysis.pk}/")  # seeking, not leaving the page

    page.click(f"#shot-{second.pk} button.keyframe")  # a keyframe: its own moment
    highlighted(second)
    assert abs(page.evaluate(seeked_to) - second.keyframe_frame / analysis.fps) < 1 / analysis.fps

    page.evaluate("window.__current = []")
    page.click(f".shot-strip li[data-shot='{first.pk}'] button")  # the strip under the video
    highlighted(first)
    page.evaluate("(v => { v.muted = true; return v.play(); })" "(document.querySelector('video[data-player]'))")
    highlighted(second)  # played on into the next shot, which took over the highlight
    assert page.locator(".timeline .shot.current").count() <= 1
    assert page.evaluate("window.__current").index(str(second.pk)) > 0
    assert page.evaluate("window.__cspViolations") == []
