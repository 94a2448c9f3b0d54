"""The genre vocabulary the shared data set (and the deployed model) uses: 24 IMDb genres."""

IMDB_GENRES: tuple[str, ...] = (
    "Action",
    "Adventure",
    "Animation",
    "Biography",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Family",
    "Fantasy",
    "History",
    "Horror",
    "Music",
    "Musical",
    "Mystery",
    "News",
    "Reality-TV",
    "Romance",
    "Sci-Fi",
    "Short",
    "Sport",
    "Thriller",
    "War",
    "Western",
)

# MM-IMDb spells a few genres differently from the IMDb web pages.
_ALIASES = {"Science Fiction": "Sci-Fi", "Scifi": "Sci-Fi", "Sci Fi": "Sci-Fi", "Reality TV": "Reality-TV"}


def genre_normalise(name: str) -> str:
    """Return the vocabulary spelling of a genre name (unknown names come back stripped)."""
    name = name.strip()
    return _ALIASES.get(name, name)
