"""REST API under /api/scents/: small write views calling services, generic reads on selectors."""

from django.conf import settings
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.ratelimit import action_throttle
from apps.core.api.serializers import JobOutputSerializer
from apps.core.errors import ApplicationError
from apps.core.selectors import job_get_for_user
from apps.scents import selectors, services
from apps.scents.ml.vocab import CONCENTRATIONS
from apps.scents.api.serializers import (
    BatchInputSerializer,
    ComposeInputSerializer,
    FeedbackInputSerializer,
    FeedbackSerializer,
    FormulaCheckInputSerializer,
    IngredientSerializer,
    MovieMomentInputSerializer,
    RecipeSerializer,
    SceneInputSerializer,
    SceneSerializer,
    SceneUpdateSerializer,
    SimilarSceneSerializer,
    VersionInputSerializer,
    WeighoutInputSerializer,
)
from apps.scents.compliance import allergen_declaration, ifra_summary
from apps.scents.formula import formula_compare, formula_problems, formula_summary
from apps.scents.moments import movie_scent_compose


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
        return Response(SceneSerializer(self.get_object(pk), context={"request": request}).data)

    @extend_schema(request=SceneUpdateSerializer, responses=SceneSerializer)
    def patch(self, request, pk):
        data = SceneUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        scene = services.scene_update(scene=self.get_object(pk), user=request.user, **data.validated_data)
        return Response(SceneSerializer(scene, context={"request": request}).data)

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


class MovieComposeApi(APIView):
    """POST {"movie": id, "text": "..."}: a private scene for a moment of a catalog film (with its
    genres and plot) and its recipe (201)."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [action_throttle("compose")]

    @extend_schema(request=MovieMomentInputSerializer, responses={201: RecipeSerializer})
    def post(self, request):
        data = MovieMomentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        recipe = movie_scent_compose(owner=request.user, **data.validated_data)
        return Response(RecipeSerializer(recipe).data, status=status.HTTP_201_CREATED)


class BatchComposeApi(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [action_throttle("compose")]

    @extend_schema(request=BatchInputSerializer, responses={202: JobOutputSerializer})
    def post(self, request):
        data = BatchInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = services.compose_batch_start(
            user=request.user, scene_ids=data.validated_data["scene_ids"], movie=data.validated_data["movie"]
        )
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


class BatchResultApi(APIView):
    """A batch composition's outcome: each scene's recipe and whether it was composed now or the
    scene already had it (`reused`: same text, same model version)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, pk):
        job = job_get_for_user(user=request.user, pk=pk)
        if job.kind != "scents.compose_batch":
            raise ApplicationError("No such batch.", code="not_found", status=404)
        result = job.result or {}
        recipes = [
            dict(row, url=request.build_absolute_uri(reverse("scents:recipe_detail", args=[row["recipe"]])))
            for row in result.get("recipes", [])
        ]
        return Response(
            {
                "job": JobOutputSerializer(job).data,
                "count": result.get("count"),
                "created": result.get("created"),
                "reused": result.get("reused"),
                "skipped": result.get("skipped"),
                "recipes": recipes,
            }
        )


class RecipeVersionsApi(APIView):
    """GET: the versions of a recipe (as composed first). POST: save an edited formula as the next
    version (the scene's owner or a curator); 400 lists every constraint it breaks."""

    @extend_schema(responses=RecipeSerializer(many=True))
    def get(self, request, pk):
        recipe = selectors.recipe_get(pk=pk, user=request.user)
        return Response(RecipeSerializer(selectors.recipe_versions(recipe=recipe, user=request.user), many=True).data)

    @extend_schema(request=VersionInputSerializer, responses={201: RecipeSerializer})
    def post(self, request, pk):
        recipe = selectors.recipe_get(pk=pk, user=request.user)
        data = VersionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        new = services.recipe_version_create(
            recipe=recipe,
            user=request.user,
            lines=[(x["name"], x["percent"]) for x in data.validated_data["lines"]],
            concentration=data.validated_data["concentration"] or None,
            note=data.validated_data["note"],
        )
        return Response(
            RecipeSerializer(selectors.recipe_get(pk=new.pk, user=request.user)).data, status=status.HTTP_201_CREATED
        )


class FormulaCheckApi(APIView):
    """Check a formula against the hard constraints without saving it (the editor's live check)."""

    @extend_schema(request=FormulaCheckInputSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request):
        data = FormulaCheckInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lines = services.formula_lines([(x["name"], x["percent"]) for x in data.validated_data["lines"]])
        return Response(
            {
                "problems": formula_problems(lines, incompatible=selectors.incompatibility_reasons()),
                "summary": formula_summary(lines),
            }
        )


class RecipeCompareApi(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, pk, other):
        a, b = (selectors.recipe_get(pk=x, user=request.user) for x in (pk, other))
        return Response(
            {"a": a.pk, "b": b.pk, "rows": formula_compare(selectors.recipe_formula(a), selectors.recipe_formula(b))}
        )


class RecipeComplianceApi(APIView):
    """The finished product at a strength: IFRA summary, EU allergen declaration, cost per kg."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "concentration",
                str,
                description="eau de cologne, eau de " "toilette, eau de parfum or parfum (default: the recipe's)",
            )
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request, pk):
        recipe = selectors.recipe_get(pk=pk, user=request.user)
        concentration = request.query_params.get("concentration") or recipe.concentration
        if concentration not in CONCENTRATIONS:
            raise ApplicationError(
                f"Unknown concentration {concentration!r}; choose one of: " + ", ".join(CONCENTRATIONS) + ".",
                extra={"field": "concentration"},
            )
        formula = selectors.recipe_formula(recipe)
        return Response(
            {
                "recipe": recipe.pk,
                "ifra": ifra_summary(formula, concentration),
                "allergens": allergen_declaration(formula, concentration),
                "cost_per_kg": selectors.recipe_cost(recipe),
                "currency": settings.SCENTS_CURRENCY,
            }
        )


class WeighoutApi(APIView):
    """One weigh-out sheet for several recipes (`volume_ml` of each), in grams."""

    @extend_schema(request=WeighoutInputSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request):
        data = WeighoutInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = data.validated_data["recipe"]
        recipes = list(selectors.recipe_list(user=request.user).filter(pk__in=ids).order_by("pk"))
        missing = sorted(set(ids) - {r.pk for r in recipes})
        if missing:
            raise ApplicationError(
                f"No such recipe, or its scene is private: {', '.join(map(str, missing))}.",
                code="not_found",
                status=404,
                extra={"field": "recipe"},
            )
        sheet = services.weighout_sheet(
            recipes=recipes,
            volume_ml=data.validated_data["volume_ml"],
            concentration=data.validated_data["concentration"] or None,
        )
        sheet["recipes"] = [dict(r, recipe=r["recipe"].pk) for r in sheet["recipes"]]
        return Response(sheet)
