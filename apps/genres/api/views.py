"""REST API for genre suggestions and experiments (under /api/movies/)."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.ratelimit import action_throttle
from apps.core.api.permissions import IsCurator
from apps.core.api.serializers import InputSerializer, JobOutputSerializer
from apps.movies import selectors
from apps.genres.models import Experiment, GenreSuggestion
from apps.genres import selectors as genre_selectors
from apps.genres.services import suggestions as genre_services


class GenreSuggestionSerializer(serializers.ModelSerializer):
    heatmap_url = serializers.SerializerMethodField()

    class Meta:
        model = GenreSuggestion
        fields = [
            "id",
            "movie",
            "genre_name",
            "score",
            "above_threshold",
            "status",
            "model_version",
            "explanation",
            "heatmap_url",
            "created_at",
            "decided_at",
        ]

    def get_heatmap_url(self, obj) -> str | None:
        return obj.heatmap.url if obj.heatmap else None


class ExperimentSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(
        choices=Experiment.Status.choices,
        read_only=True,
        help_text="The experiment job's state: queued, running, succeeded, failed (bad data, a crash, a "
        "timeout or a worker that died), or cancelled (the job was cancelled before it started).",
    )
    error = serializers.CharField(read_only=True, help_text="Why it failed, for the user.")

    class Meta:
        model = Experiment
        fields = [
            "id",
            "name",
            "status",
            "config",
            "dataset",
            "metrics",
            "per_genre",
            "artifacts",
            "summary",
            "error",
            "job",
            "created_at",
        ]


class DecisionInputSerializer(InputSerializer):
    decision = serializers.ChoiceField(choices=["accept", "reject"])


class MovieGenreSuggestionsApi(APIView):
    """Curators: list a movie's genre suggestions (GET) or ask the deployed model for new ones (POST → job)."""

    permission_classes = [IsCurator]
    throttle_classes = [action_throttle("suggest")]  # counts POSTs only

    @extend_schema(responses={200: GenreSuggestionSerializer(many=True)})
    def get(self, request, pk):
        movie = selectors.movie_get(pk=pk)
        rows = genre_selectors.genre_suggestion_list(movie=movie)[:100]
        return Response(GenreSuggestionSerializer(rows, many=True).data)

    @extend_schema(request=None, responses={202: JobOutputSerializer})
    def post(self, request, pk):
        movie = selectors.movie_get(pk=pk)
        job = genre_services.genre_suggest_request(movie=movie, user=request.user)
        return Response(JobOutputSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class GenreSuggestionDecideApi(APIView):
    """Curators: accept (adds the genre to the movie) or reject a pending suggestion."""

    permission_classes = [IsCurator]

    @extend_schema(request=DecisionInputSerializer, responses={200: GenreSuggestionSerializer})
    def post(self, request, pk):
        data = DecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        suggestion = genre_selectors.genre_suggestion_get(pk=pk)
        service = (
            genre_services.genre_suggestion_accept
            if data.validated_data["decision"] == "accept"
            else genre_services.genre_suggestion_reject
        )
        suggestion = service(suggestion=suggestion, user=request.user)
        return Response(GenreSuggestionSerializer(suggestion).data)


class ExperimentListApi(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = ExperimentSerializer

    def get_queryset(self):
        return genre_selectors.experiment_list()


class ExperimentDetailApi(generics.RetrieveAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = ExperimentSerializer

    def get_queryset(self):
        return genre_selectors.experiment_list()
