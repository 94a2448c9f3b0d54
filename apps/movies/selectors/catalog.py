"""Reads for the catalog: querysets with their joins and aggregates already applied."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, F, Q, QuerySet
from django.db.models.functions import Abs, ExtractYear, Round
from django.http import Http404

from apps.movies.models import Genre, Movie, Review

SORTS = {
    "rating": (F("avg_rating").desc(nulls_last=True), "title"),
    "-rating": (F("avg_rating").asc(nulls_last=True), "title"),
    "date": (F("release_date").desc(nulls_last=True), "title"),
    "-date": (F("release_date").asc(nulls_last=True), "title"),
    "title": ("title", "pk"),
    "new": ("-created_at", "-pk"),
}


def movie_list(*, query: str = "", genre: str = "", year: int | None = None, sort: str = "title") -> QuerySet:
    """Movies with ``avg_rating`` and ``review_count``, filtered by title text, genre slug or name,
    and release year, sorted by one of SORTS (unknown sorts fall back to title)."""
    qs = Movie.objects.annotate(
        avg_rating=Avg("reviews__ai_rating"), review_count=Count("reviews", distinct=True)
    ).prefetch_related("genres")
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(original_title__icontains=query))
    if genre:
        named = Genre.objects.filter(Q(slug=genre) | Q(name__iexact=genre) | Q(aliases__name__iexact=genre))
        qs = qs.filter(genres__in=named.values("pk")).distinct()
    if year:
        qs = qs.filter(release_date__year=year)
    return qs.order_by(*SORTS.get(sort, SORTS["title"]))


def movie_get(*, pk) -> Movie:
    """One movie with its stats and genres; Http404 when it does not exist."""
    movie = movie_list().filter(pk=pk).first()
    if movie is None:
        raise Http404("No such movie.")
    return movie


def movie_rating_summary(*, movie: Movie) -> dict:
    """Average AI rating, number of rated reviews, counts per rating bucket 0..10, and the number
    of reviews with no opinion found (left out of the rest: they have no rating)."""
    agg = Review.objects.filter(movie=movie).aggregate(
        avg=Avg("ai_rating"),
        count=Count("pk", filter=Q(ai_rating__isnull=False)),
        positive=Count("pk", filter=Q(sentiment=Review.Sentiment.POSITIVE)),
        no_opinion=Count("pk", filter=Q(sentiment=Review.Sentiment.NONE)),
    )
    buckets = [0] * 11
    for value in Review.objects.filter(movie=movie, ai_rating__isnull=False).values_list("ai_rating", flat=True):
        buckets[min(10, int(round(float(value))))] += 1
    avg = agg["avg"]
    return {
        "average": round(float(avg), 1) if avg is not None else None,
        "count": agg["count"],
        "positive": agg["positive"],
        "no_opinion": agg["no_opinion"],
        "distribution": buckets,
    }


def movie_agreement(*, movie: Movie) -> dict:
    """How far the AI and the reviewers agree on ``movie``, over the reviews that have both the
    reviewer's own rating and an AI rating: averages, the mean difference (AI minus person), how
    many are within one point, and the (own rating, rounded AI rating, count) points of a chart."""
    both = Review.objects.filter(movie=movie, user_rating__isnull=False, ai_rating__isnull=False)
    diff = F("ai_rating") - F("user_rating")
    agg = both.aggregate(
        count=Count("pk"),
        people_average=Avg("user_rating"),
        ai_average=Avg("ai_rating"),
        mean_difference=Avg(diff),
        mean_abs_difference=Avg(Abs(diff)),
        within_one=Count("pk", filter=Q(ai_rating__gte=F("user_rating") - 1, ai_rating__lte=F("user_rating") + 1)),
    )
    points = (
        both.annotate(ai=Round("ai_rating"))
        .values("user_rating", "ai")
        .annotate(count=Count("pk"))
        .order_by("user_rating", "ai")
    )
    rounded = {
        k: None if agg[k] is None else round(float(agg[k]), 1)
        for k in ("people_average", "ai_average", "mean_difference", "mean_abs_difference")
    }
    return {
        "count": agg["count"],
        "within_one": agg["within_one"],
        **rounded,
        "points": [{"user_rating": p["user_rating"], "ai_rating": int(p["ai"]), "count": p["count"]} for p in points],
    }


# Reviews: newest first, or by the AI's reading (rating, then P(positive)); reviews without an AI
# rating (no opinion found, not scored yet) come last either way.
REVIEW_SORTS = {
    "new": ("-created_at", "-pk"),
    "positive": (F("ai_rating").desc(nulls_last=True), F("p_positive").desc(nulls_last=True), "-created_at", "-pk"),
    "negative": (F("ai_rating").asc(nulls_last=True), F("p_positive").asc(nulls_last=True), "-created_at", "-pk"),
}


def review_list(*, movie: Movie | None = None, author=None, sentiment: str = "", sort: str = "new") -> QuerySet:
    """Reviews with their author and movie, filtered by movie, author and label, sorted by one of
    REVIEW_SORTS (unknown sorts fall back to newest first)."""
    qs = Review.objects.select_related("author", "movie")
    if movie is not None:
        qs = qs.filter(movie=movie)
    if author is not None:
        qs = qs.filter(author=author)
    if sentiment:
        qs = qs.filter(sentiment=sentiment)
    return qs.order_by(*REVIEW_SORTS.get(sort, REVIEW_SORTS["new"]))


def reviews_current(versions: dict[str, str]) -> Q:
    """Reviews scored by the models in ``versions`` (language -> ``model_version``, as
    ``apps.movies.scoring.review_versions_current`` gives it). Their negation is the stale ones:
    scored by another release's model, or never scored."""
    current = Q(pk__in=[])
    for lang, version in versions.items():
        current |= Q(language=lang, model_version=version)
    return current


def reviews_stale(versions: dict[str, str]) -> QuerySet:
    """Reviews a re-score would change the model of (every review when ``versions`` is empty)."""
    return Review.objects.exclude(reviews_current(versions)).order_by("pk")


def reviewer_get(*, pk):
    """An active user whose reviews are listed on their page; Http404 otherwise."""
    person = get_user_model().objects.filter(pk=pk, is_active=True).first()
    if person is None:
        raise Http404("No such person.")
    return person


def review_get(*, pk) -> Review:
    review = Review.objects.select_related("author", "movie").filter(pk=pk).first()
    if review is None:
        raise Http404("No such review.")
    return review


def review_of(*, movie: Movie, user) -> Review | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Review.objects.filter(movie=movie, author=user).first()


def genre_list() -> QuerySet:
    """Genres with ``movie_count`` and their aliases."""
    return Genre.objects.annotate(movie_count=Count("movies")).prefetch_related("aliases").order_by("name")


def genre_find(*, name: str) -> Genre | None:
    """The genre called ``name`` or having it as an alias (case-insensitive), or None."""
    name = " ".join((name or "").split())
    return Genre.objects.filter(Q(name__iexact=name) | Q(aliases__name__iexact=name)).first() if name else None


def movie_years() -> list[int]:
    years = (
        Movie.objects.exclude(release_date=None)
        .annotate(y=ExtractYear("release_date"))
        .values_list("y", flat=True)
        .distinct()
        .order_by("-y")
    )
    return list(years)
