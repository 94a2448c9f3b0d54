"""From a film's moment to a scene for the composer.

The one interface through which other apps hand the composer what they know of a moment: a
``Moment`` of plain facts (words, tags, colour words, light, genres, plot) and
``scene_compose_from_moment``. The ad studio builds a Moment from a shot or a moodboard
(``apps/adstudio/services/moments.py``); ``movie_scent_compose`` builds one from a catalog film
(scents already links scenes to movies). Scents never reads the ad studio's tables or files:
its only ties are the two source FKs on ``Scene`` (kept valid by the database, unlike a generic
relation) and the public methods of ``Shot`` and ``Moodboard`` that the recipe page uses.
"""

from dataclasses import dataclass

from apps.core.errors import ApplicationError
from apps.scents.ml.text import MAX_DESCRIPTION_CHARS
from apps.scents.ml.vocab import GENRES, MOODS
from apps.scents.services import scene_compose

PLOT_MAX_CHARS = 600
# Light as the ad studio measures it -> the composer's time of day (a dim room says nothing).
LIGHT_TIME = {"night": "night"}
LIGHT_WORDS = {"night": "At night.", "day": "In daylight.", "dark": "In dim light."}
# Tags that name the weather of the moment.
TAG_WEATHER = {"snow": "snow", "fire": "heat"}


@dataclass(frozen=True)
class Moment:
    """What we know of one moment of a film, in words. ``light``: day, night or dark (as the
    ad studio measures it); ``moods``: words such as "dark, calm" (any that the composer knows
    are used); ``genres``: the film's genre names, most telling first."""

    title: str
    description: str = ""
    notes: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    colours: tuple[str, ...] = ()
    light: str = ""
    moods: tuple[str, ...] = ()
    genres: tuple[str, ...] = ()
    plot: str = ""


def moment_scene_fields(moment: Moment) -> dict:
    """The ``scene_create`` fields for ``moment``: a description in words (what is seen, its
    colours and light, the film's plot) plus the structured fields the facts imply."""
    parts = [moment.description.strip(), *(n.strip() for n in moment.notes)]
    if moment.tags:
        parts.append(f"On screen: {', '.join(moment.tags)}.")
    if moment.colours:
        parts.append(f"Colours: {', '.join(moment.colours)}.")
    parts.append(LIGHT_WORDS.get(moment.light, ""))
    if moment.genres:
        parts.append(f"A {', '.join(g.lower() for g in moment.genres[:3])} film.")
    plot = " ".join(moment.plot.split())
    if plot:
        parts.append(plot if len(plot) <= PLOT_MAX_CHARS else plot[:PLOT_MAX_CHARS].rsplit(" ", 1)[0] + "…")
    description = " ".join(p for p in parts if p)[:MAX_DESCRIPTION_CHARS]
    return {
        "title": moment.title[:200],
        "description": description,
        "genre": _first_known(moment.genres, GENRES),
        "mood": _first_known(moment.moods, MOODS),
        "time_of_day": LIGHT_TIME.get(moment.light, "") or ("night" if "night" in moment.tags else ""),
        "weather": next((TAG_WEATHER[t] for t in moment.tags if t in TAG_WEATHER), ""),
    }


def _first_known(words, vocabulary) -> str:
    """The first of ``words`` in ``vocabulary`` (any case; "Science Fiction" is "science fiction")."""
    return next((w.lower() for w in words if w.lower() in vocabulary), "")


def scene_compose_from_moment(*, owner, moment: Moment, movie=None, source_shot=None, source_moodboard=None):
    """Save a private scene for a film's ``moment``, linked to where it came from, and compose
    its recipe (both or neither); returns the Recipe. The caller has checked that ``owner`` may
    use the source. Raises ApplicationError as ``services.scene_compose`` (503 while no scent
    model is deployed)."""
    return scene_compose(
        owner=owner,
        is_private=True,
        movie=movie,
        source_shot=source_shot,
        source_moodboard=source_moodboard,
        **moment_scene_fields(moment),
    )


MOVIE_MOMENT_MAX_CHARS = 1000


def movie_scent_compose(*, owner, movie, text: str = ""):
    """A private scene for a moment of ``movie`` (what happens, in ``text``; empty: the film as
    a whole) with the film's genres and plot, and its recipe.

    Raises ApplicationError naming ``text`` when it is too long or when there is nothing to go
    on (no text and no plot), and as ``scene_compose_from_moment``.
    """
    text = " ".join((text or "").split())
    if len(text) > MOVIE_MOMENT_MAX_CHARS:
        raise ApplicationError(
            f"Describe the moment in at most {MOVIE_MOMENT_MAX_CHARS} characters " f"(it has {len(text)}).",
            extra={"field": "text"},
        )
    if not text and not movie.plot.strip():
        raise ApplicationError(
            "This film has no plot to start from: describe the moment (what we see " "and hear).",
            extra={"field": "text"},
        )
    words = text.split()
    title = f"{movie.title}: {' '.join(words[:8])}{'…' if len(words) > 8 else ''}" if text else movie.title
    moment = Moment(title=title, description=text, plot=movie.plot, genres=tuple(g.name for g in movie.genres.all()))
    return scene_compose_from_moment(owner=owner, moment=moment, movie=movie)
