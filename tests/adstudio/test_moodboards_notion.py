import io

import pytest
from PIL import Image

from apps.adstudio import services
from apps.adstudio.models import NotionExport, NotionSettings
from apps.core.errors import ApplicationError
from apps.core.models import Job
from tests.adstudio.factories import analysis_started
from tests.adstudio.fake_notion import TOKEN, FakeNotion

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def finished(user, media, clips, run_jobs):
    path, _ = clips("cuts", 51, seconds=8)
    analysis = analysis_started(user, path)
    run_jobs()
    analysis.refresh_from_db()
    assert analysis.status == "succeeded", analysis.error
    return analysis


def test_a_moodboard_collects_reorders_annotates_and_renders_a_collage(user, finished):
    board = services.moodboard_create(owner=user, title="Warm tones")
    shots = list(finished.shots.order_by("index"))[:3]
    items = [services.moodboard_item_add(owner=user, moodboard=board, shot=s) for s in shots]
    assert [i.position for i in items] == [0, 1, 2]
    services.moodboard_items_reorder(owner=user, moodboard=board, item_ids=[items[2].pk, items[0].pk, items[1].pk])
    services.moodboard_item_annotate(owner=user, item=items[2], note="Open on this")
    order = list(board.items.order_by("position").values_list("pk", "note"))
    assert order[0] == (items[2].pk, "Open on this")
    png = services.moodboard_collage_render(owner=user, moodboard=board)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.width == 3 * 360


def test_a_moodboard_refuses_someone_elses_shots_and_a_bad_order(user, other_user, finished):
    theirs = services.moodboard_create(owner=other_user, title="Theirs")
    shot = finished.shots.first()
    with pytest.raises(ApplicationError):
        services.moodboard_item_add(owner=other_user, moodboard=theirs, shot=shot)
    mine = services.moodboard_create(owner=user, title="Mine")
    item = services.moodboard_item_add(owner=user, moodboard=mine, shot=shot)
    with pytest.raises(ApplicationError):
        services.moodboard_items_reorder(owner=user, moodboard=mine, item_ids=[item.pk, item.pk])
    with pytest.raises(ApplicationError):
        services.moodboard_item_annotate(owner=other_user, item=item, note="mine now")


def test_notion_export_creates_then_updates_the_same_page(user, finished, settings, run_jobs):
    with FakeNotion() as fake:
        settings.ADSTUDIO_NOTION_BASE_URL = fake.url
        services.notion_settings_save(user=user, token=TOKEN, database_id=fake.database_id)
        export = services.notion_export_start(owner=user, analysis=finished)
        run_jobs()
        export.refresh_from_db()
        assert export.status == NotionExport.Status.SUCCEEDED, export.error
        first_page = export.page_id
        services.notion_export_start(owner=user, analysis=finished)
        run_jobs()
    export.refresh_from_db()
    assert export.page_id == first_page and len(fake.pages) == 1
    page = fake.pages[first_page]
    assert page["properties"]["Kind"]["select"]["name"] == "Analysis"
    images = [b for b in page["children"] if b["type"] == "image"]
    assert len(images) == finished.shots.count()


def test_a_refused_notion_token_fails_the_export_with_a_clear_message(user, finished, notion, run_jobs):
    services.notion_settings_save(user=user, token=TOKEN, database_id=notion.database_id)
    notion.token = "secret_rotated"  # revoked in Notion after it was saved
    export = services.notion_export_start(owner=user, analysis=finished)
    run_jobs()
    fake = notion
    export.refresh_from_db()
    export.job.refresh_from_db()
    assert export.status == NotionExport.Status.FAILED
    assert export.job.status == Job.Status.FAILED
    assert "refused the integration token" in export.job.error
    assert TOKEN not in export.job.error and fake.pages == {}
    from django.test import Client

    client = Client()
    client.force_login(user)
    page = client.get(f"/adstudio/analyses/{finished.pk}/").content.decode()
    assert "Notion: Failed" in page and "Notion: Queued" not in page


def test_a_moodboard_exports_with_its_notes_as_captions(user, finished, settings, run_jobs):
    board = services.moodboard_create(owner=user, title="Board")
    services.moodboard_item_add(owner=user, moodboard=board, shot=finished.shots.first(), note="hero frame")
    with FakeNotion() as fake:
        settings.ADSTUDIO_NOTION_BASE_URL = fake.url
        services.notion_settings_save(user=user, token=TOKEN, database_id=fake.database_id)
        export = services.notion_export_start(owner=user, moodboard=board)
        run_jobs()
    export.refresh_from_db()
    page = fake.pages[export.page_id]
    caption = page["children"][0]["image"]["caption"][0]["text"]["content"]
    assert caption == "hero frame"


def test_the_token_is_kept_when_settings_are_saved_without_a_new_one(user, notion):
    notion.token = "secret_abcdefghijkl"
    services.notion_settings_save(user=user, token="secret_abcdefghijkl", database_id=notion.database_id)
    row = services.notion_settings_save(user=user, token="", database_id=notion.database_id)
    assert row.token == "secret_abcdefghijkl" and row.database_id == notion.database_id
    assert "abcdefghijkl" not in row.token_hint


@pytest.mark.parametrize(
    "token, database, field, words",
    [
        ("secret_fake", None, "token", "refused the integration token"),
        (TOKEN, "f" * 32, "database_id", "could not find the database"),
    ],
)
def test_settings_notion_refuses_are_not_saved_and_name_what_to_fix(user, notion, token, database, field, words):
    """A fake token and database id were saved without a check."""
    with pytest.raises(ApplicationError) as refused:
        services.notion_settings_save(user=user, token=token, database_id=database or notion.database_id)
    assert refused.value.extra["field"] == field and words in refused.value.message
    assert token not in refused.value.message
    assert not NotionSettings.objects.filter(user=user).exists()


def test_the_settings_page_says_why_a_token_was_refused(client_user, user, notion):
    from django.urls import reverse

    page = client_user.post(
        reverse("adstudio:notion_settings"), {"token": "secret_fake", "database_id": notion.database_id}
    )
    assert page.status_code == 200 and "refused the integration token" in page.content.decode()
    assert not NotionSettings.objects.filter(user=user).exists()


def test_a_second_export_request_while_one_is_queued_does_not_start_another(user, finished, notion):
    services.notion_settings_save(user=user, token=TOKEN, database_id=notion.database_id)
    first = services.notion_export_start(owner=user, analysis=finished)
    second = services.notion_export_start(owner=user, analysis=finished)
    assert second.pk == first.pk and second.job_id == first.job_id
    assert Job.objects.filter(kind="adstudio.notion_export").count() == 1


def test_cancelling_a_queued_export_reads_cancelled_and_a_new_export_can_start(user, finished, run_jobs, notion):
    from rest_framework.test import APIClient

    from apps.core.jobs import job_cancel

    services.notion_settings_save(user=user, token=TOKEN, database_id=notion.database_id)
    export = services.notion_export_start(owner=user, analysis=finished)
    assert job_cancel(job=export.job) is True
    run_jobs()
    export.refresh_from_db()
    assert export.status == NotionExport.Status.CANCELLED
    assert export.get_status_display() == "Cancelled"
    client = APIClient()
    client.force_authenticate(user)
    assert client.get("/api/adstudio/exports/").json()["results"][0]["status"] == "cancelled"
    again = services.notion_export_start(owner=user, analysis=finished)
    assert again.pk == export.pk and again.job_id != export.job_id and again.status == "queued"
