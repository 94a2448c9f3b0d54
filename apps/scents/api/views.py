"""REST API under /api/scents/: small write views calling services, generic reads on selectors."""
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.ratelimit import action_throttle
from apps.core.api.serializers import JobOutputSerializer
from apps.scents import selectors, services
from apps.scents.api.serializers import (BatchInputSerializer, ComposeInputSerializer, FeedbackInputSerializer,
                                         FeedbackSerializer, IngredientSerializer, RecipeSerializer,
                                         SceneInputSerializer, SceneSerializer, SceneUpdateSerializer,
                                         SimilarSceneSerializer)


class IngredientListApi(generics.ListAPIView):
    serializer_class = IngredientSerializer

    def get_queryset(self):
        p = self.request.query_params
        return selectors.ingredient_list(family=p.get("family", ""), tier=p.get("tier", ""), query=p.get("q", ""))


class IngredientDetailApi(generics.RetrieveAPIView):
    serializer_class = IngredientSerializer

    def get_queryset(self):
        return selectors.ingredient_list()


class SceneListCreateApi(generics.ListAPIView):
    serializer_class = SceneSerializer

    def get_queryset(self):
        return selectors.scene_list(user=self.request.user, query=self.request.query_params.get("q", ""))

    @extend_schema(request=SceneInputSerializer, responses={201: SceneSerializer})
    def post(self, request):
        data = SceneInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        scene = services.scene_create(owner=request.user, **data.validated_data)
        return Response(SceneSerializer(scene).data, status=status.HTTP_201_CREATED)


class SceneDetailApi(APIView):
    def get_object(self, pk):
        return selectors.scene_get(pk=pk, user=self.request.user)

    @extend_schema(responses=SceneSerializer)
    def get(self, request, pk):
        return Response(SceneSerializer(self.get_object(pk)).data)

    @extend_schema(request=SceneUpdateSerializer, responses=SceneSerializer)
    def patch(self, request, pk):
        data = SceneUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        scene = services.scene_update(scene=self.get_object(pk), user=request.user, **data.validated_data)
        return Response(SceneSerializer(scene).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        services.scene_delete(scene=self.get_object(pk), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SceneSimilarApi(APIView):
    @extend_schema(responses=SimilarSceneSerializer(many=True))
    def get(self, request, pk):
        scene = selectors.scene_get(pk=pk, user=request.user)
        try:
            limit = max(1, min(50, int(request.query_params.get("limit", 5))))
        except ValueError:
            limit = 5
        similar = selectors.scene_list_similar(scene=scene, limit=limit, user=request.user)
        return Response(SimilarSceneSerializer(similar, many=True).data)


class ComposeApi(APIView):
    """POST {"scene": id} -> stored recipe (201); POST scene fields -> a preview, nothing saved (200)."""

    throttle_classes = [action_throttle("compose")]

    @extend_schema(request=ComposeInputSerializer, responses=RecipeSerializer)
    def post(self, request):
        data = ComposeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        scene_pk = fields.pop("scene", None)
        if scene_pk is not None:
            recipe = services.recipe_compose(scene_pk=scene_pk, user=request.user)
            return Response(RecipeSerializer(recipe).data, status=status.HTTP_201_CREATED)
        result = services.compose_preview(data=fields)
        result.pop("cache_key", None)
        return Response(result)


class BatchComposeApi(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [action_throttle("compose")]

    @extend_schema(request=BatchInputSerializer, responses={202: JobOutputSerializer})
    def post(self, request):
        data = BatchInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = services.compose_batch_start(user=request.user, scene_ids=data.validated_data["scene_ids"],
                                           movie=data.validated_data["movie"])
        return Response(JobOutputSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class RecipeListApi(generics.ListAPIView):
    serializer_class = RecipeSerializer

    def get_queryset(self):
        scene = self.request.query_params.get("scene")
        scene_obj = selectors.scene_get(pk=scene, user=self.request.user) if scene and scene.isdigit() else None
        return selectors.recipe_list(user=self.request.user, scene=scene_obj)


class RecipeDetailApi(APIView):
    @extend_schema(responses=RecipeSerializer)
    def get(self, request, pk):
        return Response(RecipeSerializer(selectors.recipe_get(pk=pk, user=request.user)).data)


class FeedbackApi(APIView):
    @extend_schema(responses=FeedbackSerializer(many=True))
    def get(self, request, pk):
        recipe = selectors.recipe_get(pk=pk, user=request.user)
        user = None if request.user.is_staff else request.user
        if not request.user.is_authenticated:
            return Response([])
        return Response(FeedbackSerializer(selectors.feedback_list(recipe=recipe, user=user), many=True).data)

    @extend_schema(request=FeedbackInputSerializer, responses={201: FeedbackSerializer})
    def post(self, request, pk):
        recipe = selectors.recipe_get(pk=pk, user=request.user)
        data = FeedbackInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        feedback = services.feedback_submit(recipe=recipe, user=request.user, **data.validated_data)
        return Response(FeedbackSerializer(feedback).data, status=status.HTTP_201_CREATED)
