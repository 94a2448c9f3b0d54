"""From a shot or a moodboard to a scent: what the ad studio knows of a moment, handed to the
composer as a ``scents.moments.Moment`` (plain words; scents never reads our tables or files).

A shot's moment is its scene's description and reading plus the shot's own tags, colours and
light. A moodboard's is one blend of all its keyframes: the board's words and notes, the
distinct scene descriptions, the tags and colours that recur most, the light most keyframes have.
"""

from collections import Counter

from apps.adstudio.models import Moodboard, Shot
from apps.core.errors import ApplicationError
from apps.scents.moments import Moment, scene_compose_from_moment

BOARD_TAGS = 8
BOARD_COLOURS = 5
BOARD_DESCRIPTIONS = 5


def shot_scent_compose(*, owner, shot: Shot):
    """A private scent scene and recipe for one of the owner's shots (linked to it); returns the
    Recipe. Raises ApplicationError 404 for another user's shot, and as the composer does."""
    if shot.analysis.owner_id != owner.pk:
        raise ApplicationError("Shot not found.", code="not_found", status=404)
    return scene_compose_from_moment(owner=owner, moment=shot_moment(shot), source_shot=shot)


def moodboard_scent_compose(*, owner, moodboard: Moodboard):
    """One blended private scent scene and recipe for the whole board (linked to it); returns the
    Recipe. Raises ApplicationError for another user's board (404) or an empty one."""
    if moodboard.owner_id != owner.pk:
        raise ApplicationError("Moodboard not found.", code="not_found", status=404)
    items = list(
        moodboard.items.select_related("shot__scene", "shot__analysis__video")
        .prefetch_related("shot__scene__tags")
        .order_by("position", "id")
    )
    if not items:
        raise ApplicationError("The moodboard is empty: add keyframes first.")
    return scene_compose_from_moment(owner=owner, moment=moodboard_moment(moodboard, items), source_moodboard=moodboard)


def shot_moment(shot: Shot) -> Moment:
    """The moment of one shot: its scene's words, the shot's tags, colours and light."""
    scene, attributes = shot.scene, shot.attributes or {}
    reading = scene.reading if scene else {}
    tags = [name for name, _ in shot.labels or []]
    if scene:
        tags += [t.name for t in scene.tags.all() if t.kind in ("object", "setting")]
    colours = [c["name"] for c in attributes.get("palette", []) if c.get("name")]
    return Moment(
        title=f"{shot.analysis.video} · shot {shot.index + 1} ({shot.start:.1f} s)",
        description=scene.description if scene else "",
        tags=tuple(_unique(tags)),
        colours=tuple(_unique(colours or reading.get("colours", []))),
        light=attributes.get("light", ""),
        moods=tuple(_words(reading.get("mood", ""))),
    )


def moodboard_moment(board: Moodboard, items) -> Moment:
    """One moment for the whole board (``items`` in board order, shots and scenes loaded)."""
    moments = [shot_moment(item.shot) for item in items]
    tags = Counter(t for m in moments for t in m.tags)
    colours = Counter(c for m in moments for c in m.colours)
    lights = Counter(m.light for m in moments if m.light)
    descriptions = _unique(m.description for m in moments if m.description)[:BOARD_DESCRIPTIONS]
    return Moment(
        title=board.title,
        description=board.description,
        notes=tuple(_unique([item.note for item in items if item.note.strip()] + descriptions)),
        tags=tuple(t for t, _ in tags.most_common(BOARD_TAGS)),
        colours=tuple(c for c, _ in colours.most_common(BOARD_COLOURS)),
        light=lights.most_common(1)[0][0] if lights else "",
        moods=tuple(_unique(w for m in moments for w in m.moods)),
    )


def _words(text: str) -> list[str]:
    return [w.strip() for w in text.replace(";", ",").split(",") if w.strip()]


def _unique(items) -> list:
    return list(dict.fromkeys(items))
