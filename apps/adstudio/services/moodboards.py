"""Moodboards: keyframes collected from any of the owner's analyses, ordered and annotated."""
import functools
import io
from importlib import metadata

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from PIL import Image, ImageDraw, ImageFont

from apps.adstudio.models import Moodboard, MoodboardItem, Shot
from apps.core.errors import ApplicationError

COLLAGE_COLUMNS = 3
TILE_WIDTH = 360
NOTE_HEIGHT = 44
MAX_ITEMS = 200
DESCRIPTION_MAX_CHARS = 2000
NOTE_MAX_CHARS = 2000


def _own(obj, owner, what: str):
    if obj.owner_id != owner.pk:
        raise ApplicationError(f"{what} not found.", code="not_found", status=404)


def _text(value: str | None, *, limit: int, field: str) -> str:
    """The stripped text; an ApplicationError naming the field when it is over ``limit``."""
    text = (value or "").strip()
    if len(text) > limit:
        raise ApplicationError(f"The {field} may be at most {limit} characters long (it has {len(text)}).",
                               extra={"field": field})
    return text


@transaction.atomic
def moodboard_create(*, owner, title: str, description: str = "") -> Moodboard:
    """Create an empty moodboard. Raises ApplicationError for a blank title or a description
    over DESCRIPTION_MAX_CHARS."""
    title = (title or "").strip()
    if not title:
        raise ApplicationError("A moodboard needs a title.", code="invalid",
                               extra={"field": "title"})
    board = Moodboard(owner=owner, title=title[:200],
                      description=_text(description, limit=DESCRIPTION_MAX_CHARS, field="description"))
    board.full_clean()
    board.save()
    return board


@transaction.atomic
def moodboard_update(*, owner, moodboard: Moodboard, title: str | None = None,
                     description: str | None = None) -> Moodboard:
    _own(moodboard, owner, "Moodboard")
    if title is not None:
        if not title.strip():
            raise ApplicationError("A moodboard needs a title.", extra={"field": "title"})
        moodboard.title = title.strip()[:200]
    if description is not None:
        moodboard.description = _text(description, limit=DESCRIPTION_MAX_CHARS, field="description")
    moodboard.full_clean()
    moodboard.save()
    return moodboard


@transaction.atomic
def moodboard_delete(*, owner, moodboard: Moodboard) -> None:
    _own(moodboard, owner, "Moodboard")
    moodboard.delete()


@transaction.atomic
def moodboard_item_add(*, owner, moodboard: Moodboard, shot: Shot,
                       note: str = "") -> MoodboardItem:
    """Append a shot's keyframe. The shot must come from one of the owner's own analyses."""
    _own(moodboard, owner, "Moodboard")
    if shot.analysis.owner_id != owner.pk:
        raise ApplicationError("Shot not found.", code="not_found", status=404)
    # Lock the board row so two concurrent adds do not take the same position.
    Moodboard.objects.select_for_update().get(pk=moodboard.pk)
    if moodboard.items.count() >= MAX_ITEMS:
        raise ApplicationError(f"A moodboard holds at most {MAX_ITEMS} keyframes.")
    last = moodboard.items.aggregate(m=Max("position"))["m"]
    item = MoodboardItem(moodboard=moodboard, shot=shot,
                         note=_text(note, limit=NOTE_MAX_CHARS, field="note"),
                         position=0 if last is None else last + 1)
    item.full_clean()
    item.save()
    moodboard.save(update_fields=["updated_at"])
    return item


@transaction.atomic
def moodboard_items_reorder(*, owner, moodboard: Moodboard, item_ids: list[int]) -> None:
    """Set the order of the board's items; ``item_ids`` must list each item exactly once."""
    _own(moodboard, owner, "Moodboard")
    items = {i.pk: i for i in moodboard.items.select_for_update()}
    if sorted(item_ids) != sorted(items) or len(set(item_ids)) != len(item_ids):
        raise ApplicationError("The new order must list every item of this board once.")
    for position, pk in enumerate(item_ids):
        items[pk].position = position
    MoodboardItem.objects.bulk_update(items.values(), ["position"])
    moodboard.save(update_fields=["updated_at"])


@transaction.atomic
def moodboard_item_annotate(*, owner, item: MoodboardItem, note: str) -> MoodboardItem:
    _own(item.moodboard, owner, "Moodboard item")
    item.note = _text(note, limit=NOTE_MAX_CHARS, field="note")
    item.full_clean()
    item.save(update_fields=["note", "updated_at"])
    return item


@transaction.atomic
def moodboard_item_remove(*, owner, item: MoodboardItem) -> None:
    _own(item.moodboard, owner, "Moodboard item")
    item.delete()


def moodboard_collage_render(*, owner, moodboard: Moodboard) -> bytes:
    """The board as one PNG: keyframes in a grid in board order, each with its note."""
    _own(moodboard, owner, "Moodboard")
    items = list(moodboard.items.select_related("shot").order_by("position", "id"))
    if not items:
        raise ApplicationError("The moodboard is empty: add keyframes first.")
    tiles = [_tile(item) for item in items]
    rows = (len(tiles) + COLLAGE_COLUMNS - 1) // COLLAGE_COLUMNS
    tile_h = max(t.height for t in tiles)
    sheet = Image.new("RGB", (COLLAGE_COLUMNS * TILE_WIDTH, 56 + rows * tile_h), "white")
    draw = ImageDraw.Draw(sheet)
    title_font = collage_font(22)
    draw.text((12, 16), "".join(_lines(moodboard.title, title_font, sheet.width - 24, 1)),
              fill="black", font=title_font)
    for k, tile in enumerate(tiles):
        row, col = divmod(k, COLLAGE_COLUMNS)
        sheet.paste(tile, (col * TILE_WIDTH, 56 + row * tile_h))
    out = io.BytesIO()
    sheet.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _tile(item: MoodboardItem) -> Image.Image:
    with default_storage.open(item.shot.keyframe.name, "rb") as handle:
        frame = Image.open(handle).convert("RGB")
    inner = TILE_WIDTH - 12
    frame = frame.resize((inner, max(1, round(frame.height * inner / frame.width))))
    tile = Image.new("RGB", (TILE_WIDTH, frame.height + NOTE_HEIGHT + 12), "white")
    tile.paste(frame, (6, 6))
    font = collage_font(13)
    ImageDraw.Draw(tile).multiline_text(
        (8, frame.height + 10), "\n".join(_lines(item.note, font, inner - 4, 2)),
        fill=(40, 40, 40), font=font)
    return tile


def _lines(text: str, font, width: int, limit: int) -> list[str]:
    """``text`` wrapped to ``width`` pixels in at most ``limit`` lines, at spaces or inside a
    word longer than a line (Korean often runs long between spaces); "…" marks a cut."""
    lines, line = [], ""
    for word in text.split():
        if len(lines) > limit:
            break
        joined = f"{line} {word}" if line else word
        if font.getlength(joined) <= width:
            line = joined
            continue
        if line:
            lines.append(line)
        line = word
        while font.getlength(line) > width and len(lines) <= limit:
            cut = 1
            while font.getlength(line[:cut + 1]) <= width:
                cut += 1
            lines.append(line[:cut])
            line = line[cut:]
    lines += [line] if line else []
    if len(lines) > limit:
        last = lines[limit - 1]
        while last and font.getlength(last + "…") > width:
            last = last[:-1]
        lines = lines[:limit - 1] + [last + "…"]
    return lines


@functools.cache
def collage_font(size: int) -> ImageFont.FreeTypeFont:
    """NanumGothic at ``size`` px: Hangul, Latin and typographic punctuation (PIL's default font
    draws Korean and dashes as empty boxes). The font ships in the koreanize-matplotlib wheel,
    found through its file list so that matplotlib, which that package imports, is not needed."""
    font = next(f for f in metadata.files("koreanize-matplotlib") if f.name == "NanumGothic.ttf")
    return ImageFont.truetype(str(font.locate()), size)
