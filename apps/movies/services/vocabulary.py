"""Writes for the one genre list: genres, their aliases, and merging duplicates.

The catalog speaks TMDB's genres ("Science Fiction"), the genre suggestion model IMDb's ("Sci-Fi"),
people type either. Every name is looked up among genre names and aliases first, so one genre is
found whatever the spelling. Where the two vocabularies spell one genre differently, the catalog's
spelling is the genre's name and the others are its aliases (KNOWN_ALIASES); a genre only one
vocabulary has (IMDb's Biography, Sport...) keeps its own name.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count
from django.utils.text import slugify

from apps.core.errors import ApplicationError
from apps.movies.cache import catalog_changed
from apps.movies.models import Genre, GenreAlias
from apps.movies.selectors.catalog import genre_find
from apps.movies.services.cleaning import instance_clean

# Migration 0007 keeps a frozen copy of this table for the genres that existed before it.
KNOWN_ALIASES = {"Science Fiction": ("Sci-Fi", "Sci Fi", "SciFi", "Science-Fiction", "SF")}
_CANONICAL = {alias.lower(): name for name, aliases in KNOWN_ALIASES.items() for alias in aliases}


def _tidy(name: str) -> str:
    return " ".join((name or "").split())[:60]


def genre_canonical_name(name: str) -> str:
    """The catalog's spelling of a known alias ("sci-fi" -> "Science Fiction"); other names as given."""
    name = _tidy(name)
    return _CANONICAL.get(name.lower(), name)


def genre_lookup(name: str) -> Genre | None:
    """The genre called ``name`` or having it as an alias, else the one under the catalog's spelling
    of a known alias (a "Science Fiction" made before its aliases were known); None when new."""
    canonical = genre_canonical_name(name)
    return genre_find(name=name) or (genre_find(name=canonical) if canonical != _tidy(name) else None)


def genre_get_or_create(*, name: str) -> Genre:
    """The genre called ``name`` or having it as an alias (case-insensitive), created when new under
    the catalog's spelling with its known aliases. Raises ApplicationError for an empty name."""
    return genre_lookup(name) or _genre_new(name=name)


def genre_create(*, name: str, slug: str = "") -> Genre:
    """A new genre as genre_get_or_create makes it (the catalog's spelling, its known aliases), under
    ``slug`` when given. Raises ApplicationError: 409 when the name is already a genre's name or alias
    in any spelling, 400 for an empty name or a slug in use."""
    existing = genre_lookup(name)
    if existing:
        raise _genre_exists(name, existing)
    return _genre_new(name=name, slug=slug)


def _genre_new(*, name: str, slug: str = "") -> Genre:
    name = _tidy(name)
    if not name:
        raise ApplicationError("A genre needs a name.", code="invalid_genre")
    canonical = genre_canonical_name(name)
    with transaction.atomic():
        genre = Genre(name=canonical, slug=slug or _slug_free(canonical))
        instance_clean(genre)
        genre.save()
        for alias in KNOWN_ALIASES.get(canonical, ()):
            if not GenreAlias.objects.filter(name__iexact=alias).exists():
                GenreAlias(genre=genre, name=alias).save()
        catalog_changed()
    return genre


def _genre_exists(name: str, genre: Genre) -> ApplicationError:
    return ApplicationError(
        f"“{_tidy(name)}” is already the genre {genre} (its name or an alias): edit that genre, or merge.",
        code="genre_exists",
        status=409,
        extra={"field": "name"},
    )


def genre_update(*, genre: Genre, name: str, slug: str) -> Genre:
    """Rename ``genre`` and set its slug; every page shows the new name at once. Raises
    ApplicationError: 409 when another genre has the name (in any case) or has it as an alias, 400
    for a slug in use."""
    name = _tidy(name)
    other = genre_find(name=name)
    if other and other.pk != genre.pk:
        raise _genre_exists(name, other)
    genre.name, genre.slug = name, slug
    with transaction.atomic():
        instance_clean(genre)
        genre.save()
        catalog_changed(genres=True)
    return genre


def genre_delete(*, genre: Genre) -> None:
    """Delete ``genre`` and its aliases: its movies no longer show it, its suggestions keep the name."""
    with transaction.atomic():
        genre.delete()
        catalog_changed(genres=True)


def _slug_free(name: str) -> str:
    base = slugify(name)[:55] or "genre"
    slug, n = base, 1
    while Genre.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def genre_alias_add(*, genre: Genre, name: str) -> GenreAlias:
    """Make ``name`` another spelling of ``genre``. Raises ApplicationError when it already belongs to
    another genre or is a genre's own name (merge those instead)."""
    name = _tidy(name)
    taken = GenreAlias.objects.filter(name__iexact=name).select_related("genre").first()
    if taken and taken.genre_id != genre.pk:
        raise _alias_taken(name, taken)
    return taken or _alias_save(GenreAlias(genre=genre, name=name))


def genre_alias_rename(*, alias: GenreAlias, name: str) -> GenreAlias:
    """Spell ``alias`` as ``name``. Raises ApplicationError when that is another alias or a genre's name."""
    name = _tidy(name)
    taken = GenreAlias.objects.filter(name__iexact=name).exclude(pk=alias.pk).select_related("genre").first()
    if taken:
        raise _alias_taken(name, taken)
    alias.name = name
    return _alias_save(alias)


def genre_alias_delete(*, alias: GenreAlias) -> None:
    """Remove one spelling of a genre: looking that name up no longer finds the genre."""
    with transaction.atomic():
        alias.delete()
        catalog_changed(genres=True)


def _alias_taken(name: str, taken: GenreAlias) -> ApplicationError:
    return ApplicationError(f"“{name}” is already an alias of {taken.genre}.", code="alias_taken", status=409)


def _alias_save(alias: GenreAlias) -> GenreAlias:
    with transaction.atomic():
        instance_clean(alias)
        alias.save()
        catalog_changed(genres=True)
    return alias


def genre_merge(*, genres) -> Genre:
    """Merge ``genres`` into the one with the most movies (the oldest on a tie): their movies, aliases
    and every other app's rows that point at them (genre suggestions) move to it, and their names
    become its aliases. Returns the genre kept."""
    genres = list(Genre.objects.filter(pk__in=[g.pk for g in genres]).annotate(n=Count("movies")).order_by("-n", "pk"))
    if len(genres) < 2:
        raise ApplicationError("Select at least two genres to merge.", code="invalid")
    keep, others = genres[0], genres[1:]
    with transaction.atomic():
        for other in others:
            keep.movies.add(*other.movies.all())
            _references_move(other, keep)
            name = other.name
            other.delete()
            if name.lower() != keep.name.lower():
                genre_alias_add(genre=keep, name=name)
        catalog_changed(genres=True)
    return keep


def _references_move(old: Genre, new: Genre) -> None:
    """Point every foreign key to ``old`` at ``new``, whichever installed app declares it (the
    catalog does not know the apps built on it)."""
    for rel in Genre._meta.get_fields(include_hidden=True):
        if rel.one_to_many and not rel.related_model._meta.auto_created:  # movie links are moved above
            rel.related_model._base_manager.filter(**{rel.field.name: old}).update(**{rel.field.name: new})
