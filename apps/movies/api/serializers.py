"""API serializers: input serializers reject unknown fields; output ones are read-only."""

from django.conf import settings
from rest_framework import serializers

from apps.core.api.serializers import InputSerializer
from apps.movies.models import Genre, Movie, Review
from apps.movies.services.catalog import MOVIE_FIELDS, PLOT_MAX_CHARS


class GenreSerializer(serializers.ModelSerializer):
    aliases = serializers.SlugRelatedField(
        slug_field="name",
        many=True,
        read_only=True,
        help_text="Other spellings that find this genre (filters, suggestions, input)",
    )
    movie_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Genre
        fields = ["id", "name", "slug", "aliases", "movie_count"]


class MovieSerializer(serializers.ModelSerializer):
    genres = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    average_rating = serializers.SerializerMethodField()
    review_count = serializers.IntegerField(read_only=True, default=0)
    created_by = serializers.StringRelatedField()
    poster = serializers.SerializerMethodField()

    class Meta:
        model = Movie
        fields = [
            "id",
            *MOVIE_FIELDS,
            "genres",
            "poster",
            "poster_url",
            "average_rating",
            "review_count",
            "tmdb_vote_average",
            "tmdb_vote_count",
            "created_by",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"tmdb_vote_average": {"coerce_to_string": False}}

    def get_average_rating(self, movie) -> float | None:
        value = getattr(movie, "avg_rating", None)
        return round(float(value), 1) if value is not None else None

    def get_poster(self, movie) -> str | None:
        return movie.poster.url if movie.poster else None


class MovieInputSerializer(InputSerializer):
    title = serializers.CharField(max_length=200)
    original_title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    release_date = serializers.DateField(required=False, allow_null=True)
    director = serializers.CharField(max_length=200, required=False, allow_blank=True)
    runtime_minutes = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=1000)
    tagline = serializers.CharField(max_length=300, required=False, allow_blank=True)
    plot = serializers.CharField(required=False, allow_blank=True, max_length=PLOT_MAX_CHARS)
    original_language = serializers.CharField(
        max_length=3, required=False, allow_blank=True, help_text="ISO 639 code, e.g. en or ko"
    )
    production_companies = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=30
    )
    genres = serializers.ListField(
        child=serializers.CharField(max_length=60),
        required=False,
        max_length=20,
        help_text='Genre names or aliases ("Sci-Fi" is Science Fiction); new names add a genre',
    )
    poster_url = serializers.URLField(required=False, allow_blank=True, max_length=1000)


# "none": the review states no readable opinion (no P(positive), no rating); "": not scored yet.
LABELS = [*Review.Sentiment.values, ""]
LABEL_HELP = (
    "positive, negative, none (no opinion found: gibberish, a fact or off-topic text; "
    "p_positive and rating are null), or empty while not scored yet"
)


class ReviewSerializer(serializers.ModelSerializer):
    author = serializers.StringRelatedField()
    rating = serializers.DecimalField(
        source="ai_rating",
        max_digits=3,
        decimal_places=1,
        coerce_to_string=False,
        read_only=True,
        allow_null=True,
        help_text="0-10 AI rating; null for label none and while unscored",
    )
    label = serializers.ChoiceField(source="sentiment", choices=LABELS, read_only=True, help_text=LABEL_HELP)
    movie_title = serializers.CharField(source="movie.title", read_only=True)
    user_rating = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The reviewer's own rating, 1-10; null when not given"
    )

    class Meta:
        model = Review
        fields = [
            "id",
            "movie",
            "movie_title",
            "author",
            "text",
            "language",
            "label",
            "p_positive",
            "p_opinion",
            "rating",
            "user_rating",
            "model_version",
            "created_at",
            "updated_at",
        ]


class ReviewInputSerializer(InputSerializer):
    # Length and emptiness are checked by the service (same messages as the pages); this only
    # stops absurd bodies before they reach it.
    text = serializers.CharField(
        allow_blank=True, trim_whitespace=False, max_length=settings.MOVIES_REVIEW_MAX_CHARS * 4
    )
    user_rating = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=10,
        help_text="Your own rating, a whole number from 1 to 10 (optional; " "null clears it)",
    )


class AgreementPointSerializer(serializers.Serializer):
    user_rating = serializers.IntegerField()
    ai_rating = serializers.IntegerField(help_text="AI rating rounded to a whole number")
    count = serializers.IntegerField()


class AgreementSerializer(serializers.Serializer):
    """How far the AI and the reviewers agree, over the reviews with both ratings."""

    count = serializers.IntegerField(help_text="Reviews with both the reviewer's own rating and an AI rating")
    within_one = serializers.IntegerField(help_text="Of those, how many differ by at most 1 point")
    people_average = serializers.FloatField(allow_null=True)
    ai_average = serializers.FloatField(allow_null=True)
    mean_difference = serializers.FloatField(allow_null=True, help_text="Mean of AI minus reviewer")
    mean_abs_difference = serializers.FloatField(allow_null=True)
    points = AgreementPointSerializer(many=True)


class RatingSerializer(serializers.Serializer):
    movie = serializers.IntegerField()
    average = serializers.FloatField(allow_null=True, help_text="Mean AI rating of the rated reviews")
    count = serializers.IntegerField(help_text="Rated reviews (those with no opinion found are left out)")
    positive = serializers.IntegerField()
    no_opinion = serializers.IntegerField(help_text="Reviews with no opinion found (label none)")
    distribution = serializers.ListField(child=serializers.IntegerField())
    agreement = AgreementSerializer()


class ScoreResultSerializer(serializers.Serializer):
    """One scored text, or ``error`` for a text that cannot be scored (the others still are)."""

    index = serializers.IntegerField()
    label = serializers.ChoiceField(choices=Review.Sentiment.values, required=False, help_text=LABEL_HELP)
    p_positive = serializers.FloatField(allow_null=True, required=False)
    rating = serializers.FloatField(allow_null=True, required=False)
    p_opinion = serializers.FloatField(
        allow_null=True, required=False, help_text="P(the text states an opinion); null without the detector"
    )
    language = serializers.CharField(required=False)
    model_version = serializers.CharField(required=False)
    error = serializers.CharField(required=False)


class ScoreOutputSerializer(serializers.Serializer):
    results = ScoreResultSerializer(many=True)


class ScoreInputSerializer(InputSerializer):
    texts = serializers.ListField(
        child=serializers.CharField(allow_blank=True, trim_whitespace=False), min_length=1, max_length=100
    )


class RescoreInputSerializer(InputSerializer):
    review_ids = serializers.ListField(child=serializers.IntegerField(), required=False, max_length=100000)
    all = serializers.BooleanField(required=False, default=False)
    stale = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Only the reviews scored by another model than the deployed one, or never scored.",
    )
