"""Moodboards: keyframes collected from any of the owner's analyses, ordered and annotated;
a collage (PNG), a PDF and a read-only share link."""

import functools
import io
import secrets
from importlib import metadata

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils.html import escape
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image as PdfImage, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

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
        raise ApplicationError(
            f"The {field} may be at most {limit} characters long (it has {len(text)}).", extra={"field": field}
        )
    return text


@transaction.atomic
def moodboard_create(*, owner, title: str, description: str = "") -> Moodboard:
    """Create an empty moodboard. Raises ApplicationError for a blank title or a description
    over DESCRIPTION_MAX_CHARS."""
    title = (title or "").strip()
    if not title:
        raise ApplicationError("A moodboard needs a title.", code="invalid", extra={"field": "title"})
    board = Moodboard(
        owner=owner, title=title[:200], description=_text(description, limit=DESCRIPTION_MAX_CHARS, field="description")
    )
    board.full_clean()
    board.save()
    return board


@transaction.atomic
def moodboard_update(
    *, owner, moodboard: Moodboard, title: str | None = None, description: str | None = None
) -> Moodboard:
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
def moodboard_item_add(*, owner, moodboard: Moodboard, shot: Shot, note: str = "") -> MoodboardItem:
    """Append a shot's keyframe. The shot must come from one of the owner's own analyses."""
    _own(moodboard, owner, "Moodboard")
    if shot.analysis.owner_id != owner.pk:
        raise ApplicationError("Shot not found.", code="not_found", status=404)
    # Lock the board row so two concurrent adds do not take the same position.
    Moodboard.objects.select_for_update().get(pk=moodboard.pk)
    if moodboard.items.count() >= MAX_ITEMS:
        raise ApplicationError(f"A moodboard holds at most {MAX_ITEMS} keyframes.")
    last = moodboard.items.aggregate(m=Max("position"))["m"]
    item = MoodboardItem(
        moodboard=moodboard,
        shot=shot,
        note=_text(note, limit=NOTE_MAX_CHARS, field="note"),
        position=0 if last is None else last + 1,
    )
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
    draw.text(
        (12, 16), "".join(_lines(moodboard.title, title_font, sheet.width - 24, 1)), fill="black", font=title_font
    )
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
        (8, frame.height + 10), "\n".join(_lines(item.note, font, inner - 4, 2)), fill=(40, 40, 40), font=font
    )
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
            while font.getlength(line[: cut + 1]) <= width:
                cut += 1
            lines.append(line[:cut])
            line = line[cut:]
    lines += [line] if line else []
    if len(lines) > limit:
        last = lines[limit - 1]
        while last and font.getlength(last + "…") > width:
            last = last[:-1]
        lines = lines[: limit - 1] + [last + "…"]
    return lines


@functools.cache
def collage_font(size: int) -> ImageFont.FreeTypeFont:
    """NanumGothic at ``size`` px: Hangul, Latin and typographic punctuation (PIL's default font
    draws Korean and dashes as empty boxes)."""
    return ImageFont.truetype(_font_path("NanumGothic.ttf"), size)


def _font_path(name: str) -> str:
    """A NanumGothic file from the koreanize-matplotlib wheel, found through its file list so
    that matplotlib, which that package imports, is not needed."""
    return str(next(f for f in metadata.files("koreanize-matplotlib") if f.name == name).locate())


@transaction.atomic
def moodboard_share(*, owner, moodboard: Moodboard) -> str:
    """Give the board a read-only share link and return its token (the board's current one when
    it is already shared). The token is 256 random bits: a link cannot be guessed."""
    _own(moodboard, owner, "Moodboard")
    if not moodboard.share_token:
        moodboard.share_token = secrets.token_urlsafe(32)
        moodboard.save(update_fields=["share_token", "updated_at"])
    return moodboard.share_token


@transaction.atomic
def moodboard_unshare(*, owner, moodboard: Moodboard) -> None:
    """Revoke the board's share link: from now on it shows nothing (404), keyframes included."""
    _own(moodboard, owner, "Moodboard")
    moodboard.share_token = None
    moodboard.save(update_fields=["share_token", "updated_at"])


PDF_MARGIN = 15 * mm
PDF_COLUMNS = 2
PDF_GAP = 6 * mm


def moodboard_pdf_render(*, owner, moodboard: Moodboard) -> bytes:
    """The board as an A4 PDF: title and description, then its keyframes two by two in board
    order, each with where it comes from and its note. Text is real text in NanumGothic (embedded,
    so Korean shows and can be searched and copied); keyframes are the stored JPEGs."""
    _own(moodboard, owner, "Moodboard")
    items = list(moodboard.items.select_related("shot__analysis__video").order_by("position", "id"))
    if not items:
        raise ApplicationError("The moodboard is empty: add keyframes first.")
    styles = _pdf_styles()
    cell_width = (A4[0] - 2 * PDF_MARGIN - (PDF_COLUMNS - 1) * PDF_GAP) / PDF_COLUMNS
    story = [Paragraph(escape(moodboard.title), styles["title"])]
    if moodboard.description:
        story.append(Paragraph(escape(moodboard.description).replace("\n", "<br/>"), styles["body"]))
    story.append(Spacer(1, 4 * mm))
    cells = [_pdf_cell(item, k, cell_width, styles) for k, item in enumerate(items, 1)]
    rows = [cells[k : k + PDF_COLUMNS] for k in range(0, len(cells), PDF_COLUMNS)]
    rows[-1] += [""] * (PDF_COLUMNS - len(rows[-1]))
    story.append(
        Table(
            rows,
            colWidths=[cell_width + PDF_GAP] * PDF_COLUMNS,
            hAlign="LEFT",
            style=TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), PDF_GAP),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 5 * mm),
                ]
            ),
        )
    )
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=PDF_MARGIN,
        rightMargin=PDF_MARGIN,
        topMargin=PDF_MARGIN,
        bottomMargin=PDF_MARGIN,
        title=moodboard.title,
        author=owner.get_username(),
        creator="CineScent ad studio",
    )
    doc.build(story, onFirstPage=_pdf_footer, onLaterPages=_pdf_footer)
    return out.getvalue()


def _pdf_cell(item: MoodboardItem, number: int, width: float, styles) -> list:
    shot = item.shot
    with default_storage.open(shot.keyframe.name, "rb") as handle:
        data = io.BytesIO(handle.read())
    w, h = Image.open(data).size
    data.seek(0)
    cell = [
        PdfImage(data, width=width, height=width * h / w),
        Paragraph(
            escape(f"{number}. {shot.analysis.video} · shot {shot.index + 1} · " f"{shot.start:.1f}–{shot.end:.1f} s"),
            styles["caption"],
        ),
    ]
    if item.note:
        cell.append(Paragraph(escape(item.note).replace("\n", "<br/>"), styles["body"]))
    return cell


def _pdf_footer(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont("NanumGothic", 8)
    canvas.setFillGray(0.4)
    canvas.drawRightString(A4[0] - PDF_MARGIN, PDF_MARGIN / 2, f"{doc.title} · {doc.page}")
    canvas.restoreState()


@functools.cache
def _pdf_styles() -> dict:
    """Paragraph styles in NanumGothic, registered with reportlab once per process."""
    pdfmetrics.registerFont(TTFont("NanumGothic", _font_path("NanumGothic.ttf")))
    pdfmetrics.registerFont(TTFont("NanumGothicBold", _font_path("NanumGothicBold.ttf")))
    return {
        "title": ParagraphStyle("title", fontName="NanumGothicBold", fontSize=20, leading=26, spaceAfter=3 * mm),
        "body": ParagraphStyle("body", fontName="NanumGothic", fontSize=10, leading=14),
        "caption": ParagraphStyle(
            "caption",
            fontName="NanumGothic",
            fontSize=8,
            leading=11,
            textColor="#555555",
            spaceBefore=1 * mm,
            spaceAfter=1 * mm,
        ),
    }
