"""Collages draw Korean and typographic punctuation with a real font, never as empty boxes."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from apps.adstudio import services
from apps.adstudio.models import Analysis, Shot, Video

pytestmark = pytest.mark.django_db

MISSING = "\U000f0000"  # a private-use character no font has: drawn as the font's "tofu" box


@pytest.fixture
def board(user, media):
    """A moodboard holding one keyframe (a plain JPEG in the user's storage)."""
    jpeg = io.BytesIO()
    Image.new("RGB", (320, 180), (90, 120, 160)).save(jpeg, format="JPEG")
    name = default_storage.save(f"adstudio/{user.pk}/analyses/1/shot-0000.jpg", ContentFile(jpeg.getvalue()))
    video = Video.objects.create(owner=user, title="Clip")
    analysis = Analysis.objects.create(owner=user, video=video)
    shot = Shot.objects.create(
        analysis=analysis, index=0, first_frame=0, last_frame=10, start=0, end=0.4, keyframe_frame=5, keyframe=name
    )
    board = services.moodboard_create(owner=user, title="x")
    services.moodboard_item_add(owner=user, moodboard=board, shot=shot, note="봄 — 노을")
    return board


def _title_strip(user, board, title: str) -> bytes:
    services.moodboard_update(owner=user, moodboard=board, title=title)
    png = services.moodboard_collage_render(owner=user, moodboard=board)
    return Image.open(io.BytesIO(png)).convert("L").crop((0, 0, 400, 56)).tobytes()


@pytest.mark.parametrize("char", ["봄", "광", "고", "—", "–"])  # PIL's default font drew these as boxes
def test_a_collage_title_draws_korean_and_punctuation_not_the_missing_glyph_box(user, board, char):
    drawn = _title_strip(user, board, f"a{char}a")
    assert drawn != _title_strip(user, board, f"a{MISSING}a")
    assert drawn != _title_strip(user, board, "a a")  # and not blank either


def test_a_long_korean_title_and_note_are_wrapped_to_fit_the_collage(user, board):
    """NanumGothic's Hangul is twice as wide as Latin: lines are cut by pixel width, not count."""
    item = board.items.get()
    services.moodboard_item_annotate(owner=user, item=item, note="따뜻한오렌지톤의노을 " * 40)
    services.moodboard_update(owner=user, moodboard=board, title="봄 광고 무드보드 " * 20)
    sheet = Image.open(io.BytesIO(services.moodboard_collage_render(owner=user, moodboard=board)))
    grey = sheet.convert("L")
    assert grey.crop((grey.width - 12, 0, grey.width, 56)).getextrema()[0] == 255
    tile_right_margin = grey.crop((360 - 6, 56, 360, grey.height))
    assert tile_right_margin.getextrema()[0] == 255  # the note stays inside its tile
