"""The moodboard in a real browser, under the site's Content-Security-Policy: drag-and-drop
ordering (SortableJS) that is saved at once, and the large-preview lightbox, on the owner's
board and on its read-only share link."""

import pytest

from apps.adstudio import services
from tests.adstudio.factories import analysis_started
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

_CSP_LOG = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(e.violatedDirective));
"""


@pytest.fixture
def board(media, clips, run_jobs, settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": settings.CSP_DIRECTIVES}
    user = UserFactory(username="curator-of-looks")
    path, _ = clips("cuts", 66, seconds=6)
    analysis = analysis_started(user, path)
    run_jobs()
    board = services.moodboard_create(owner=user, title="Look book")
    for k, shot in enumerate(analysis.shots.order_by("index")[:3]):
        services.moodboard_item_add(owner=user, moodboard=board, shot=shot, note=f"frame {k}")
    return board


def _dom_order(page):
    return [int(x) for x in page.eval_on_selector_all("ol.board li[data-item]", "els => els.map(e => e.dataset.item)")]


def test_dragging_a_keyframe_reorders_the_board_and_the_order_is_saved(page, live_server, log_in, board):
    ids = list(board.items.order_by("position").values_list("pk", flat=True))
    assert len(ids) == 3
    page.add_init_script(_CSP_LOG)
    log_in(board.owner)
    page.goto(f"{live_server.url}{board.get_absolute_url()}")
    page.wait_for_selector("ol.board.sortable")  # the script took over the list
    first = page.locator(f"li[data-item='{ids[0]}'] .drag-handle")
    last = page.locator(f"li[data-item='{ids[2]}']")
    box = last.bounding_box()
    first.hover()
    page.mouse.down()
    for step in range(1, 11):  # in small moves, as a hand does
        page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * (0.08 * step))
    page.mouse.up()
    page.wait_for_selector("#board-status:has-text('Order saved.')")
    assert _dom_order(page) == [ids[1], ids[2], ids[0]]
    assert list(board.items.order_by("position").values_list("pk", flat=True)) == [ids[1], ids[2], ids[0]]
    # the keyboard buttons follow the new order
    assert page.is_disabled(f"li[data-item='{ids[1]}'] button[data-move=up]")
    assert page.is_disabled(f"li[data-item='{ids[0]}'] button[data-move=down]")
    assert not page.is_disabled(f"li[data-item='{ids[0]}'] button[data-move=up]")
    page.reload()
    assert _dom_order(page) == [ids[1], ids[2], ids[0]]
    page.click(f"li[data-item='{ids[0]}'] button[data-move=up]")  # and still work without a mouse
    page.wait_for_load_state()
    assert _dom_order(page) == [ids[1], ids[0], ids[2]]
    assert page.evaluate("window.__cspViolations") == []


def test_the_lightbox_shows_a_large_preview_and_steps_through_the_board(page, live_server, log_in, board):
    page.add_init_script(_CSP_LOG)
    log_in(board.owner)
    page.goto(f"{live_server.url}{board.get_absolute_url()}")
    page.click("ol.board li:first-child [data-lightbox]")
    dialog = page.locator("dialog#lightbox")
    page.wait_for_function("() => document.querySelector('#lightbox').open")
    page.wait_for_function("() => document.querySelector('#lightbox img').naturalWidth > 0")
    assert (
        page.locator("#lightbox img").bounding_box()["width"]
        > 2 * page.locator("ol.board li:first-child img").bounding_box()["width"]
    )
    assert "frame 0" in dialog.locator("figcaption").inner_text()
    assert dialog.locator("[data-lightbox-count]").inner_text() == "1 / 3"
    assert "/frame.png" in dialog.locator("[data-lightbox-download]").get_attribute("action")
    page.keyboard.press("ArrowRight")
    assert "frame 1" in dialog.locator("figcaption").inner_text()
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('#lightbox').open")
    assert page.evaluate("document.activeElement.matches('[data-lightbox]')")  # focus goes back
    assert page.evaluate("window.__cspViolations") == []


def test_the_share_link_opens_a_read_only_board_with_its_lightbox(page, live_server, board):
    token = services.moodboard_share(owner=board.owner, moodboard=board)
    page.add_init_script(_CSP_LOG)
    page.goto(f"{live_server.url}/adstudio/shared/{token}/")  # nobody logged in
    assert page.locator("ol.board li").count() == 3 and page.locator("textarea, .drag-handle").count() == 0
    page.click("ol.board li:nth-child(2) [data-lightbox]")
    page.wait_for_function("() => document.querySelector('#lightbox img').naturalWidth > 0")
    assert page.locator("#lightbox [data-lightbox-download]").is_hidden()  # full frames are the owner's
    assert page.evaluate("window.__cspViolations") == []
