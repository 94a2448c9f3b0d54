import json

import pytest

from apps.adstudio.video.synth import clip_make


@pytest.fixture(scope="session")
def clips(tmp_path_factory):
    """Tiny synthetic clips with known transitions, made once per run: ``clips(kind, seed)``."""
    folder = tmp_path_factory.mktemp("clips")
    made: dict = {}

    def make(kind: str = "mixed", seed: int = 0, seconds: float = 8.0):
        key = (kind, seed, seconds)
        if key not in made:
            path = folder / f"{kind}_{seed}_{seconds:g}.mp4"
            truth = clip_make(path, kind=kind, seed=seed, seconds=seconds, width=160, height=90)
            (folder / f"{path.stem}.json").write_text(json.dumps(truth))
            made[key] = (path, truth)
        return made[key]

    return make


@pytest.fixture
def media(settings, tmp_path):
    """Storage in a fresh folder for this test; loopback URLs allowed (local fake servers)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.NET_ALLOW_LOOPBACK = True
    settings.ADSTUDIO_NOTION_MIN_INTERVAL = 0.01
    return tmp_path / "media"


@pytest.fixture
def notion(settings):
    """A fake Notion API (tests/adstudio/fake_notion.py) that the app is pointed at."""
    from tests.adstudio.fake_notion import FakeNotion

    with FakeNotion() as fake:
        settings.ADSTUDIO_NOTION_BASE_URL = fake.url
        settings.NET_ALLOW_LOOPBACK = True
        settings.ADSTUDIO_NOTION_MIN_INTERVAL = 0.01
        yield fake
