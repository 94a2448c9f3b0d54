"""REST API under /api/movies/: small write views calling services, generic reads on selectors."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api.permissions import IsCurator
from apps.core.api.serializers import JobOutputSerializer
from apps.core.cache import cached, not_modified, validators_set
from apps.core.page_cache import page_cacheable
from apps.core.errors import ApplicationError
from apps.core.jobs import job_enqueue
from apps.movies import selectors, services
from apps.movies.api.serializers import (
    LABELS,
    GenreSerializer,
    MovieInputSerializer,
    MovieSerializer,
    RatingSerializer,
    RescoreInputSerializer,
    ReviewInputSerializer,
    ReviewSerializer,
    ScoreInputSerializer,
    ScoreOutputSerializer,
)
from apps.movies.cache import CATALOG, GENRES, movie_version

LABEL_FILTER = OpenApiParameter("label", str, enum=[v for v in LABELS if v], description="Only reviews with this label")
MOVIE_FILTERS = [
    OpenApiParameter("q", str, description="Text in the title or original title"),
    OpenApiParameter("genre", str, description="Genre slug or name"),
    OpenApiParameter("year", int, description="Release year"),
    OpenApiParameter("sort", str, enum=list(selectors.SORTS), description="Sort order (default title)"),
]


REVIEW_SORT = OpenApiParameter(
    "sort",
    str,
    enum=list(selectors.REVIEW_SORTS),
    description="new (default), positive or negative: by the AI rating, reviews " "without one last",
)


def _review_sort(value) -> str:
    if value in (None, ""):
        return "new"
    if value not in selectors.REVIEW_SORTS:
        raise ApplicationError(f"sort must be one of {', '.join(selectors.REVIEW_SORTS)}.", code="invalid_filter")
    return value


def _year(value):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError:
        raise ApplicationError("year must be a whole number, e.g. 1999.", code="invalid_filter") from None


def _cached_read(request, name: str, version_names, build) -> Response:
    """A JSON GET answered from the read cache with ETag and Last-Modified, or a 304 when the
    client's copy is still current. The data is the same for every user; other formats (the
    browsable API's page) and ``version_names`` None are built afresh."""
    if request.accepted_renderer.format != "json" or version_names is None:
        return Response(build())
    parts = (request.scheme, request.get_host(), request.get_full_path())
    data, versions = cached(name, version_names, parts, build)
    page_cacheable(request._request, versions)
    unchanged = not_modified(request, versions, parts)
    return validators_set(Response(data) if unchanged is None else unchanged, versions, parts)


class MovieListCreateApi(generics.ListAPIView):
    serializer_class = MovieSerializer

    def get_queryset(self):
        p = self.request.query_params
        return selectors.movie_list(
            query=p.get("q", "").strip(),
            genre=p.get("genre", ""),
            year=_year(p.get("year")),
            sort=p.get("sort", "title"),
        )

    @extend_schema(parameters=MOVIE_FILTERS)
    def get(self, request, *args, **kwargs):
        """Read-cached (text searches excepted) with ETag / Last-Modified."""
        names = None if request.query_params.get("q", "").strip() else [CATALOG]
        return _cached_read(request, "movies:api-list", names, lambda: self.list(request).data)

    @extend_schema(request=MovieInputSerializer, responses={201: MovieSerializer})
    def post(self, request):
        data = MovieInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        movie = services.movie_create(created_by=request.user, **data.validated_data)
        return Response(MovieSerializer(selectors.movie_get(pk=movie.pk)).data, status=status.HTTP_201_CREATED)


class MovieDetailApi(APIView):
    @extend_schema(responses=MovieSerializer)
    def get(self, request, pk):
        """Read-cached per movie version, with ETag / Last-Modified."""
        return _cached_read(
            request,
            "movies:api-detail",
            [movie_version(pk), GENRES],
            lambda: MovieSerializer(selectors.movie_get(pk=pk)).data,
        )

    @extend_schema(request=MovieInputSerializer, responses=MovieSerializer)
    def patch(self, request, pk):
        data = MovieInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.movie_update(movie=selectors.movie_get(pk=pk), user=request.user, **data.validated_data)
        return Response(MovieSerializer(selectors.movie_get(pk=pk)).data)

    @extend_schema(request=MovieInputSerializer, responses=MovieSerializer)
    def put(self, request, pk):
        data = MovieInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.movie_update(movie=selectors.movie_get(pk=pk), user=request.user, **data.validated_data)
        return Response(MovieSerializer(selectors.movie_get(pk=pk)).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        services.movie_delete(movie=selectors.movie_get(pk=pk), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MovieRatingApi(APIView):
    """The movie's average AI rating, number of scored reviews, rating distribution (0..10) and how
    far the AI agrees with the reviewers' own ratings."""

    @extend_schema(responses=RatingSerializer)
    def get(self, request, pk):
        movie = selectors.movie_get(pk=pk)
        return Response(
            {
                "movie": movie.pk,
                **selectors.movie_rating_summary(movie=movie),
                "agreement": selectors.movie_agreement(movie=movie),
            }
        )


class MovieReviewListCreateApi(generics.ListAPIView):
    serializer_class = ReviewSerializer

    def get_queryset(self):
        movie = selectors.movie_get(pk=self.kwargs["pk"])
        p = self.request.query_params
        return selectors.review_list(movie=movie, sentiment=p.get("label", ""), sort=_review_sort(p.get("sort")))

    @extend_schema(parameters=[LABEL_FILTER, REVIEW_SORT])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=ReviewInputSerializer, responses={201: ReviewSerializer})
    def post(self, request, pk):
        """Create the user's review of the movie; the answer holds the AI label, P(positive),
        0-10 rating and model version (label none: no opinion found, no rating). 409 when the
        user already reviewed the movie."""
        data = ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        movie = selectors.movie_list().filter(pk=pk).first()
        if movie is None:
            raise ApplicationError(
                "This movie does not exist (it may have been deleted).", code="movie_not_found", status=404
            )
        review = services.review_create(movie=movie, author=request.user, **data.validated_data)
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)


class ReviewListApi(generics.ListAPIView):
    """Reviews of every movie, or one person's (``author``: a user id, or ``me``)."""

    serializer_class = ReviewSerializer

    def get_queryset(self):
        p = self.request.query_params
        return selectors.review_list(
            author=self._author(p.get("author", "")), sentiment=p.get("label", ""), sort=_review_sort(p.get("sort"))
        )

    def _author(self, value):
        if value == "me":
            if not self.request.user.is_authenticated:
                raise NotAuthenticated("Log in to list your own reviews.")
            return self.request.user
        if value and not value.isdigit():
            raise ApplicationError("author must be a user id or me.", code="invalid_filter")
        return selectors.reviewer_get(pk=int(value)) if value else None

    @extend_schema(
        parameters=[OpenApiParameter("author", str, description="A user id, or me"), LABEL_FILTER, REVIEW_SORT]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ReviewDetailApi(APIView):
    @extend_schema(responses=ReviewSerializer)
    def get(self, request, pk):
        return Response(ReviewSerializer(selectors.review_get(pk=pk)).data)

    @extend_schema(request=ReviewInputSerializer, responses=ReviewSerializer)
    def patch(self, request, pk):
        """Change the text (scored again) and/or the own rating of one's review; fields not sent are kept."""
        data = ReviewInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        review = services.review_update(review=selectors.review_get(pk=pk), user=request.user, **data.validated_data)
        return Response(ReviewSerializer(review).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        services.review_delete(review=selectors.review_get(pk=pk), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class GenreListApi(generics.ListAPIView):
    serializer_class = GenreSerializer

    def get_queryset(self):
        return selectors.genre_list()


class SentimentScoreApi(APIView):
    """Score up to 100 texts without saving anything (same models and rules as reviews)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=ScoreInputSerializer, responses=ScoreOutputSerializer)
    def post(self, request):
        from apps.core.registry import ModelUnavailable
        from apps.movies.scoring import review_score

        data = ScoreInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        results = []
        texts = data.validated_data["texts"]
        clean = {}
        for i, text in enumerate(texts):
            try:
                clean[i] = services.review_text_clean(text)
            except ApplicationError as exc:
                results.append({"index": i, "error": exc.message})
        try:
            predictions = review_score(list(clean.values())) if clean else []
        except ModelUnavailable as exc:
            raise ApplicationError(
                f"No sentiment model is available: {exc}", code="model_unavailable", status=503
            ) from exc
        results += [{"index": i, **p.as_dict()} for i, p in zip(clean, predictions)]
        return Response({"results": sorted(results, key=lambda r: r["index"])})


class ReviewRescoreApi(APIView):
    """Curators: re-score reviews (listed ids, all, or the stale ones: scored by another model than
    the deployed one, or never) with the current model, as an ml job."""

    permission_classes = [IsCurator]

    @extend_schema(request=RescoreInputSerializer, responses={202: JobOutputSerializer})
    def post(self, request):
        data = RescoreInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        chosen = [key for key in ("review_ids", "all", "stale") if data.validated_data.get(key)]
        if len(chosen) != 1:
            raise ApplicationError("Give one of review_ids, all=true or stale=true.", code="invalid")
        job = job_enqueue(kind="movies.reviews_rescore", user=request.user, params=data.validated_data)
        return Response(JobOutputSerializer(job).data, status=status.HTTP_202_ACCEPTED)
