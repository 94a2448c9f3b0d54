"""One genre list: genres that are one genre under two spellings are merged, and the other
spellings become aliases of the one kept.

Before, accepting the suggestion "Sci-Fi" (the genre model's IMDb vocabulary) created a genre
beside the catalog's "Science Fiction" (TMDB's), and names differing only in case could exist side
by side. Each group of such genres is merged into one: the catalog's spelling where the two
vocabularies differ (the known aliases below, a frozen copy of
``apps.movies.services.vocabulary.KNOWN_ALIASES``), otherwise the genre with the most movies (the
oldest on a tie). Movies keep their genres: every movie of a merged genre gets the one kept;
suggestions point at it and are named by it. Not undone: a merge cannot be split again.
"""
from django.db import migrations
from django.db.models import Count
from django.utils.text import slugify

KNOWN_ALIASES = {"Science Fiction": ("Sci-Fi", "Sci Fi", "SciFi", "Science-Fiction", "SF")}
# Every spelling of a known genre, lower-cased -> the catalog's spelling.
CANONICAL = {spelling.lower(): name for name, aliases in KNOWN_ALIASES.items() for spelling in (name, *aliases)}


def merge_genres(apps, schema_editor):
    Genre = apps.get_model("movies", "Genre")
    groups = {}
    for genre in Genre.objects.annotate(n=Count("movies")).order_by("-n", "pk"):
        groups.setdefault(CANONICAL.get(genre.name.lower(), genre.name).lower(), []).append(genre)
    for genres in groups.values():
        canonical = CANONICAL.get(genres[0].name.lower())
        keep = next((g for g in genres if g.name == canonical), genres[0])
        names = [g.name for g in genres if g.pk != keep.pk]
        _merge(apps, keep, [g for g in genres if g.pk != keep.pk])
        if canonical and keep.name != canonical:
            names.append(keep.name)
            keep.name, keep.slug = canonical, _slug_free(Genre, canonical, keep.pk)
            keep.save(update_fields=["name", "slug"])
        _aliases_add(apps, keep, names + list(KNOWN_ALIASES.get(canonical, ())))
    _suggestions_rename(apps)


def _merge(apps, keep, others):
    """Every movie of ``others`` gets ``keep``; their suggestions point at it; then they go."""
    Through = apps.get_model("movies", "Movie").genres.through
    GenreSuggestion = apps.get_model("movies", "GenreSuggestion")
    for other in others:
        have = Through.objects.filter(genre_id=keep.pk).values("movie_id")
        movies = Through.objects.filter(genre_id=other.pk).exclude(movie_id__in=have).values_list("movie_id", flat=True)
        Through.objects.bulk_create([Through(movie_id=pk, genre_id=keep.pk) for pk in movies])
        GenreSuggestion.objects.filter(genre_id=other.pk).update(genre_id=keep.pk)
        other.delete()


def _slug_free(Genre, name, pk):
    base = slugify(name)[:55] or "genre"
    slug, n = base, 1
    while Genre.objects.filter(slug=slug).exclude(pk=pk).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _aliases_add(apps, genre, names):
    GenreAlias = apps.get_model("movies", "GenreAlias")
    for name in names:
        if name.lower() != genre.name.lower() and not GenreAlias.objects.filter(name__iexact=name).exists():
            GenreAlias.objects.create(genre_id=genre.pk, name=name)


def _suggestions_rename(apps):
    """Suggestions named by an alias (or a known one) take the genre's name: one list on the pages."""
    GenreSuggestion = apps.get_model("movies", "GenreSuggestion")
    GenreAlias = apps.get_model("movies", "GenreAlias")
    names = {**CANONICAL, **{a.name.lower(): a.genre.name for a in GenreAlias.objects.select_related("genre")}}
    for row in GenreSuggestion.objects.only("pk", "movie_id", "genre_name", "model_version"):
        name = names.get(row.genre_name.lower(), row.genre_name)
        clash = GenreSuggestion.objects.filter(movie_id=row.movie_id, model_version=row.model_version,
                                               genre_name=name).exists()
        if not clash:
            GenreSuggestion.objects.filter(pk=row.pk).update(genre_name=name)


class Migration(migrations.Migration):

    dependencies = [
        ("movies", "0006_genre_aliases_movie_details_own_rating"),
    ]

    operations = [
        migrations.RunPython(merge_genres, migrations.RunPython.noop),
    ]
