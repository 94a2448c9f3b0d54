"""The catalog's read-cache versions (apps.core.cache): which names a write makes stale.

``movies`` covers every list (catalog page, API list, genre filter, years); ``movies:movie:<pk>``
one movie's page and API detail; ``movies:genres`` the genre names every movie shows.
"""

from apps.core.cache import cache_bump

CATALOG = "movies"
GENRES = "movies:genres"


def movie_version(pk) -> str:
    return f"movies:movie:{pk}"


def catalog_changed(*movie_pks, genres: bool = False) -> None:
    """Call after a catalog write: the lists, the movies ``movie_pks`` and (``genres``: a genre
    renamed, merged or given an alias) every movie's genres are read afresh from now on."""
    cache_bump(CATALOG, *(movie_version(pk) for pk in movie_pks), *([GENRES] if genres else []))
