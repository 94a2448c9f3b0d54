import pytest

from apps.adstudio.integrations.notion import NotionConfig, NotionError, notion_export
from tests.adstudio.fake_notion import TOKEN, FakeNotion

JPEG = b"\xff\xd8\xff\xe0fake-jpeg"


@pytest.fixture(autouse=True)
def loopback_allowed(settings):
    settings.NET_ALLOW_LOOPBACK = True  # the fake servers listen on 127.0.0.1


def doc(**over):
    base = {
        "title": "Beach ad",
        "kind": "Analysis",
        "source": "https://cdn.example/beach.mp4",
        "duration": 31.5,
        "tags": ["dog", "sunset, golden", "Dog"],
        "palette": ["#112233", "#ffcc00"],
        "blocks": [
            {"type": "heading", "text": "Shots"},
            {"type": "image", "jpeg": JPEG, "caption": "Shot 1"},
            {"type": "bullet", "text": "Shot 1: 0.0-2.5 s"},
        ],
    }
    return {**base, **over}


def config(fake, **over):
    return NotionConfig(
        **{"token": TOKEN, "database_id": fake.database_id, "base_url": fake.url, "min_interval": 0.01, **over}
    )


def test_it_creates_a_page_with_properties_blocks_and_uploaded_keyframes():
    with FakeNotion() as fake:
        result = notion_export(config(fake), doc())
    page = fake.pages[result["page_id"]]
    props = page["properties"]
    assert props["Name"]["title"][0]["text"]["content"] == "Beach ad"
    assert props["Source"]["url"] == "https://cdn.example/beach.mp4"
    assert props["Duration (s)"]["number"] == 31.5
    assert [o["name"] for o in props["Tags"]["multi_select"]] == ["dog", "sunset  golden"]
    assert props["Palette"]["rich_text"][0]["text"]["content"] == "#112233 #ffcc00"
    assert [b["type"] for b in page["children"]] == ["heading_2", "image", "bulleted_list_item"]
    assert set(fake.uploads.values()) == {"uploaded"}


def test_re_export_updates_the_same_page_instead_of_duplicating():
    with FakeNotion() as fake:
        first = notion_export(config(fake), doc())
        second = notion_export(
            config(fake),
            doc(title="Beach ad v2", blocks=[{"type": "paragraph", "text": "only this"}]),
            page_id=first["page_id"],
        )
    assert second["page_id"] == first["page_id"] and len(fake.pages) == 1
    page = fake.pages[first["page_id"]]
    assert page["properties"]["Name"]["title"][0]["text"]["content"] == "Beach ad v2"
    assert [b["type"] for b in page["children"]] == ["paragraph"]


def test_a_page_deleted_in_notion_is_recreated():
    with FakeNotion() as fake:
        result = notion_export(config(fake), doc(), page_id="0000-gone")
    assert result["page_id"] in fake.pages


def test_it_appends_at_most_100_blocks_per_request_and_splits_long_text():
    blocks = [{"type": "bullet", "text": f"shot {i}"} for i in range(250)]
    blocks.append({"type": "paragraph", "text": "x" * 4500})
    with FakeNotion() as fake:
        result = notion_export(config(fake), doc(blocks=blocks))
    children = fake.pages[result["page_id"]]["children"]
    assert len(children) == 251
    assert [len(t["text"]["content"]) for t in children[-1]["paragraph"]["rich_text"]] == [2000, 2000, 500]


def test_it_paces_itself_under_three_requests_a_second():
    blocks = [{"type": "image", "jpeg": JPEG, "caption": str(i)} for i in range(3)]
    # 0.4 s rather than the default 0.34 s leaves room for scheduling jitter on a busy machine
    # (the fake counts arrival times).
    with FakeNotion(per_second=3) as fake:
        notion_export(config(fake, min_interval=0.4), doc(blocks=blocks))
    assert fake.rate_limited == 0


def test_it_waits_out_a_429_and_carries_on():
    with FakeNotion() as fake:
        fake.force_429 = 1
        result = notion_export(config(fake), doc())
    assert fake.rate_limited == 1 and result["page_id"] in fake.pages


def test_a_refused_token_is_a_clear_error():
    with FakeNotion() as fake:
        with pytest.raises(NotionError, match="refused the integration token") as exc:
            notion_export(config(fake, token="secret_bad_token"), doc())
    assert "secret_bad_token" not in str(exc.value)
    assert fake.pages == {}


def test_an_unknown_database_is_a_clear_error():
    with FakeNotion() as fake:
        with pytest.raises(NotionError, match="could not find the database"):
            notion_export(config(fake, database_id="nope"), doc())
