"""REST API under /api/adstudio/: small write views calling services, reads on selectors.
Every endpoint needs a logged-in user and only ever sees that user's objects."""
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.adstudio import selectors, services
from apps.adstudio.api import serializers as s


class _Private:
    permission_classes = [IsAuthenticated]


class VideoListApi(_Private, generics.ListAPIView):
    serializer_class = s.VideoSerializer

    def get_queryset(self):
        return selectors.video_list(user=self.request.user)


class VideoDetailApi(_Private, APIView):
    @extend_schema(responses=s.VideoSerializer)
    def get(self, request, pk):
        return Response(s.VideoSerializer(selectors.video_get(user=request.user, pk=pk)).data)


class AnalysisListCreateApi(_Private, generics.ListAPIView):
    serializer_class = s.AnalysisSerializer

    def get_queryset(self):
        return selectors.analysis_list(user=self.request.user)

    @extend_schema(request=s.AnalysisInputSerializer, responses={202: s.AnalysisSerializer})
    def post(self, request):
        data = s.AnalysisInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d, user = data.validated_data, request.user
        if d.get("video"):
            video = selectors.video_get(user=user, pk=d["video"])
        elif d.get("url"):
            video = services.video_create_from_url(owner=user, url=d["url"],
                                                   title=d.get("title", ""))
        else:
            video = services.video_create_from_upload(owner=user, upload=d["upload"],
                                                      title=d.get("title", ""))
        analysis = services.analysis_start(owner=user, video=video, provider=d["provider"])
        return Response(s.AnalysisSerializer(analysis).data, status=status.HTTP_202_ACCEPTED)


class AnalysisDetailApi(_Private, APIView):
    @extend_schema(responses=s.AnalysisSerializer)
    def get(self, request, pk):
        return Response(s.AnalysisSerializer(
            selectors.analysis_get(user=request.user, pk=pk)).data)


class AnalysisShotsApi(_Private, generics.ListAPIView):
    serializer_class = s.ShotSerializer

    def get_queryset(self):
        analysis = selectors.analysis_get(user=self.request.user, pk=self.kwargs["pk"])
        return selectors.shot_list(user=self.request.user, analysis=analysis)


class AnalysisScenesApi(_Private, generics.ListAPIView):
    serializer_class = s.SceneSerializer

    def get_queryset(self):
        analysis = selectors.analysis_get(user=self.request.user, pk=self.kwargs["pk"])
        return selectors.scene_list(user=self.request.user, analysis=analysis)


class ShotSimilarApi(_Private, APIView):
    @extend_schema(responses=s.ShotSerializer(many=True))
    def get(self, request, pk):
        shot = selectors.shot_get(user=request.user, pk=pk)
        limit = max(1, min(50, int(request.query_params.get("limit", 12) or 12)))
        shots = selectors.shot_list_similar(user=request.user, shot=shot, limit=limit)
        return Response(s.ShotSerializer(shots, many=True).data)


class SceneSearchApi(_Private, generics.ListAPIView):
    """Scenes by tag (exact name) and/or text (every word in description or tags)."""

    serializer_class = s.SceneSerializer

    def get_queryset(self):
        p = self.request.query_params
        return selectors.scene_search(user=self.request.user, tag=p.get("tag", ""),
                                      text=p.get("q", ""))


class MoodboardListCreateApi(_Private, generics.ListAPIView):
    serializer_class = s.MoodboardSerializer

    def get_queryset(self):
        return selectors.moodboard_list(user=self.request.user).prefetch_related(
            "items__shot")

    @extend_schema(request=s.MoodboardInputSerializer, responses={201: s.MoodboardSerializer})
    def post(self, request):
        data = s.MoodboardInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        board = services.moodboard_create(owner=request.user, **data.validated_data)
        return Response(s.MoodboardSerializer(board).data, status=status.HTTP_201_CREATED)


class MoodboardDetailApi(_Private, APIView):
    def _board(self, request, pk):
        return selectors.moodboard_get(user=request.user, pk=pk)

    @extend_schema(responses=s.MoodboardSerializer)
    def get(self, request, pk):
        return Response(s.MoodboardSerializer(self._board(request, pk)).data)

    @extend_schema(request=s.MoodboardUpdateSerializer, responses=s.MoodboardSerializer)
    def patch(self, request, pk):
        data = s.MoodboardUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        board = services.moodboard_update(owner=request.user, moodboard=self._board(request, pk),
                                          **data.validated_data)
        return Response(s.MoodboardSerializer(board).data)

    def delete(self, request, pk):
        services.moodboard_delete(owner=request.user, moodboard=self._board(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class MoodboardItemsApi(_Private, APIView):
    @extend_schema(request=s.ItemInputSerializer, responses={201: s.MoodboardItemSerializer})
    def post(self, request, pk):
        data = s.ItemInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        board = selectors.moodboard_get(user=request.user, pk=pk)
        shot = selectors.shot_get(user=request.user, pk=data.validated_data["shot"])
        item = services.moodboard_item_add(owner=request.user, moodboard=board, shot=shot,
                                           note=data.validated_data["note"])
        return Response(s.MoodboardItemSerializer(item).data, status=status.HTTP_201_CREATED)


class MoodboardOrderApi(_Private, APIView):
    @extend_schema(request=s.OrderInputSerializer, responses=s.MoodboardSerializer)
    def post(self, request, pk):
        data = s.OrderInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        board = selectors.moodboard_get(user=request.user, pk=pk)
        services.moodboard_items_reorder(owner=request.user, moodboard=board,
                                         item_ids=data.validated_data["items"])
        return Response(s.MoodboardSerializer(board).data)


class MoodboardItemDetailApi(_Private, APIView):
    @extend_schema(request=s.ItemUpdateSerializer, responses=s.MoodboardItemSerializer)
    def patch(self, request, pk):
        data = s.ItemUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = selectors.moodboard_item_get(user=request.user, pk=pk)
        item = services.moodboard_item_annotate(owner=request.user, item=item,
                                                note=data.validated_data["note"])
        return Response(s.MoodboardItemSerializer(item).data)

    def delete(self, request, pk):
        item = selectors.moodboard_item_get(user=request.user, pk=pk)
        services.moodboard_item_remove(owner=request.user, item=item)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ExportListCreateApi(_Private, generics.ListAPIView):
    serializer_class = s.ExportSerializer

    def get_queryset(self):
        return selectors.export_list(user=self.request.user)

    @extend_schema(request=s.ExportInputSerializer, responses={202: s.ExportSerializer})
    def post(self, request):
        data = s.ExportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d, user = data.validated_data, request.user
        analysis = selectors.analysis_get(user=user, pk=d["analysis"]) if d.get(
            "analysis") else None
        board = selectors.moodboard_get(user=user, pk=d["moodboard"]) if d.get(
            "moodboard") else None
        export = services.notion_export_start(owner=user, analysis=analysis, moodboard=board)
        return Response(s.ExportSerializer(export).data, status=status.HTTP_202_ACCEPTED)


class NotionSettingsApi(_Private, APIView):
    """The user's Notion database id and a hint of the token (the token is never returned)."""

    def _out(self, row):
        return {"configured": row is not None, "database_id": row.database_id if row else "",
                "token_hint": row.token_hint if row else ""}

    def get(self, request):
        return Response(self._out(selectors.notion_settings_get(user=request.user)))

    @extend_schema(request=s.NotionSettingsInputSerializer)
    def put(self, request):
        data = s.NotionSettingsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(self._out(services.notion_settings_save(user=request.user,
                                                                 **data.validated_data)))

    def delete(self, request):
        services.notion_settings_clear(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
