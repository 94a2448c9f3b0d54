"""Reads for the catalog: querysets with their joins and aggregates already applied."""

from __future__ import annotations

from django.db.models import Avg, Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear
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
        qs = qs.filter(Q(genres__slug=genre) | Q(genres__name__iexact=genre)).distinct()
    if year:
        qs = qs.annotate(year=ExtractYear("release_date")).filter(year=year)
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
        avg=Avg("ai_rating"), count=Count("pk", filter=Q(ai_rating__isnull=False)),
        positive=Count("pk", filter=Q(sentiment=Review.Sentiment.POSITIVE)),
        no_opinion=Count("pk", filter=Q(sentiment=Review.Sentiment.NONE)))
    buckets = [0] * 11
    for value in Review.objects.filter(movie=movie, ai_rating__isnull=False).values_list("ai_rating", flat=True):
        buckets[min(10, int(round(float(value))))] += 1
    avg = agg["avg"]
    return {"average": round(float(avg), 1) if avg is not None else None, "count": agg["count"],
            "positive": agg["positive"], "no_opinion": agg["no_opinion"], "distribution": buckets}


def review_list(*, movie: Movie | None = None, author=None, sentiment: str = "") -> QuerySet:
    qs = Review.objects.select_related("author", "movie")
    if movie is not None:
        qs = qs.filter(movie=movie)
    if author is not None:
        qs = qs.filter(author=author)
    if sentiment:
        qs = qs.filter(sentiment=sentiment)
    return qs.order_by("-created_at", "-pk")


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
    return Genre.objects.annotate(movie_count=Count("movies")).order_by("name")


def movie_years() -> list[int]:
    years = (Movie.objects.exclude(release_date=None).annotate(y=ExtractYear("release_date"))
             .values_list("y", flat=True).distinct().order_by("-y"))
    return list(years)
