"""REST API under /api/adstudio/: small write views calling services, reads on selectors.
Every endpoint needs a logged-in user and only ever sees that user's objects."""

from django.db import transaction
from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.adstudio import selectors, services
from apps.adstudio.api import serializers as s
from apps.adstudio.uploads import too_large_message, upload_limit_install, upload_was_too_large
from apps.accounts.ratelimit import action_throttle
from apps.core.errors import ApplicationError
from apps.core.files import file_response


class _Private:
    permission_classes = [IsAuthenticated]


class VideoListApi(_Private, generics.ListAPIView):
    serializer_class = s.AdVideoSerializer

    def get_queryset(self):
        return selectors.video_list(user=self.request.user)


class VideoDetailApi(_Private, APIView):
    @extend_schema(responses=s.AdVideoSerializer)
    def get(self, request, pk):
        return Response(s.AdVideoSerializer(selectors.video_get(user=request.user, pk=pk)).data)


class AnalysisListCreateApi(_Private, generics.ListAPIView):
    serializer_class = s.AdAnalysisSerializer
    throttle_classes = [action_throttle("analyse")]  # counts POSTs only
    upload_limit_setting = "ADSTUDIO_MAX_UPLOAD_BYTES"  # multipart bodies: BodyLimitMiddleware

    def initialize_request(self, request, *args, **kwargs):
        upload_limit_install(request)  # before DRF's parsers read the body
        return super().initialize_request(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.analysis_list(user=self.request.user)

    def get(self, request, *args, **kwargs):
        services.analyses_recover(owner=request.user)
        return super().get(request, *args, **kwargs)

    @extend_schema(request=s.AdAnalysisInputSerializer, responses={202: s.AdAnalysisSerializer})
    def post(self, request):
        data = s.AdAnalysisInputSerializer(data=request.data)
        if upload_was_too_large(request._request):
            raise ApplicationError(too_large_message(), code="too_large", status=413)
        data.is_valid(raise_exception=True)
        d, user = data.validated_data, request.user
        if d.get("upload"):
            analysis = services.analysis_start_from_upload(
                owner=user, upload=d["upload"], title=d.get("title", ""), provider=d["provider"]
            )
        else:
            with transaction.atomic():  # a new video and its analysis, or neither (queue down)
                video = (
                    selectors.video_get(user=user, pk=d["video"])
                    if d.get("video")
                    else services.video_create_from_url(owner=user, url=d["url"], title=d.get("title", ""))
                )
                analysis = services.analysis_start(owner=user, video=video, provider=d["provider"])
        return Response(s.AdAnalysisSerializer(analysis).data, status=status.HTTP_202_ACCEPTED)


class AnalysisDetailApi(_Private, APIView):
    @extend_schema(responses=s.AdAnalysisSerializer)
    def get(self, request, pk):
        services.analyses_recover(owner=request.user)  # a dead worker reads as failed at once
        return Response(s.AdAnalysisSerializer(selectors.analysis_get(user=request.user, pk=pk)).data)


class AnalysisShotsApi(_Private, generics.ListAPIView):
    serializer_class = s.AdShotSerializer

    def get_queryset(self):
        analysis = selectors.analysis_get(user=self.request.user, pk=self.kwargs["pk"])
        return selectors.shot_list(user=self.request.user, analysis=analysis)


class AnalysisScenesApi(_Private, generics.ListAPIView):
    serializer_class = s.AdSceneSerializer

    def get_queryset(self):
        analysis = selectors.analysis_get(user=self.request.user, pk=self.kwargs["pk"])
        return selectors.scene_list(user=self.request.user, analysis=analysis)


class ShotKeyframeApi(_Private, APIView):
    """The shot's keyframe JPEG (session or token auth; the owner only)."""

    @extend_schema(responses={(200, "image/jpeg"): OpenApiTypes.BINARY})
    def get(self, request, pk):
        shot = selectors.shot_get(user=request.user, pk=pk)
        return file_response(request, shot.keyframe.name, private=True, content_type="image/jpeg")


class ShotFrameApi(_Private, APIView):
    """The shot's keyframe at the video's own resolution (PNG): the copy stored by the page's "Full
    size" button, else decoded from the stored source for this answer alone (a GET stores nothing);
    409 when the source is gone."""

    @extend_schema(responses={(200, "image/png"): OpenApiTypes.BINARY})
    def get(self, request, pk):
        shot = selectors.shot_get(user=request.user, pk=pk)
        stored = services.shot_frame_full_stored(owner=request.user, shot=shot)
        if stored:
            return file_response(request, stored, private=True, content_type="image/png")
        response = HttpResponse(services.shot_frame_full_png(owner=request.user, shot=shot), content_type="image/png")
        response["Cache-Control"] = "private, max-age=3600"  # as file_response marks a private file
        return response


class ShotScentApi(_Private, APIView):
    """Compose a private scent from the shot's moment (its scene's words, tags, colours, light)."""

    throttle_classes = [action_throttle("compose")]

    @extend_schema(request=None, responses={201: s.AdScentOutputSerializer})
    def post(self, request, pk):
        shot = selectors.shot_get(user=request.user, pk=pk)
        recipe = services.shot_scent_compose(owner=request.user, shot=shot)
        return Response(s.AdScentOutputSerializer(recipe).data, status=status.HTTP_201_CREATED)


class MoodboardScentApi(_Private, APIView):
    """Compose one blended private scent for the whole board."""

    throttle_classes = [action_throttle("compose")]

    @extend_schema(request=None, responses={201: s.AdScentOutputSerializer})
    def post(self, request, pk):
        board = selectors.moodboard_get(user=request.user, pk=pk)
        recipe = services.moodboard_scent_compose(owner=request.user, moodboard=board)
        return Response(s.AdScentOutputSerializer(recipe).data, status=status.HTTP_201_CREATED)


class MoodboardShareApi(_Private, APIView):
    """POST: make (or return) the board's read-only share link; DELETE: revoke it."""

    @extend_schema(request=None, responses=s.AdShareOutputSerializer)
    def post(self, request, pk):
        board = selectors.moodboard_get(user=request.user, pk=pk)
        token = services.moodboard_share(owner=request.user, moodboard=board)
        return Response({"share_url": reverse("adstudio:moodboard_shared", args=[token])})

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        board = selectors.moodboard_get(user=request.user, pk=pk)
        services.moodboard_unshare(owner=request.user, moodboard=board)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MoodboardPdfApi(_Private, APIView):
    """The moodboard as an A4 PDF (keyframes in order with their notes; real, searchable text)."""

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, pk):
        board = selectors.moodboard_get(user=request.user, pk=pk)
        pdf = services.moodboard_pdf_render(owner=request.user, moodboard=board)
        return HttpResponse(pdf, content_type="application/pdf")


class MoodboardCollageApi(_Private, APIView):
    """The moodboard rendered as one PNG (keyframes in order, with their notes)."""

    @extend_schema(responses={(200, "image/png"): OpenApiTypes.BINARY})
    def get(self, request, pk):
        board = selectors.moodboard_get(user=request.user, pk=pk)
        png = services.moodboard_collage_render(owner=request.user, moodboard=board)
        return HttpResponse(png, content_type="image/png")


class ShotSimilarApi(_Private, APIView):
    @extend_schema(parameters=[s.AdSimilarQuerySerializer], responses=s.AdShotSerializer(many=True))
    def get(self, request, pk):
        shot = selectors.shot_get(user=request.user, pk=pk)
        query = s.AdSimilarQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        shots = selectors.shot_list_similar(user=request.user, shot=shot, limit=query.validated_data["limit"])
        return Response(s.AdShotSerializer(shots, many=True).data)


class SceneSearchApi(_Private, generics.ListAPIView):
    """Scenes by tag (exact name), colour (``#rrggbb``, nearest palette first) and/or text
    (ranked by meaning, Korean or English, with a literal match as a boost)."""

    serializer_class = s.AdSceneSerializer

    def get_queryset(self):
        p = self.request.query_params
        return selectors.scene_search(
            user=self.request.user, tag=p.get("tag", ""), text=p.get("q", ""), colour=p.get("colour", "")
        )


class MoodboardListCreateApi(_Private, generics.ListAPIView):
    serializer_class = s.AdMoodboardSerializer

    def get_queryset(self):
        return selectors.moodboard_list(user=self.request.user).prefetch_related("items__shot")

    @extend_schema(request=s.AdMoodboardInputSerializer, responses={201: s.AdMoodboardSerializer})
    def post(self, request):
        data = s.AdMoodboardInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        board = services.moodboard_create(owner=request.user, **data.validated_data)
        return Response(s.AdMoodboardSerializer(board).data, status=status.HTTP_201_CREATED)


class MoodboardDetailApi(_Private, APIView):
    def _board(self, request, pk):
        return selectors.moodboard_get(user=request.user, pk=pk)

    @extend_schema(responses=s.AdMoodboardSerializer)
    def get(self, request, pk):
        return Response(s.AdMoodboardSerializer(self._board(request, pk)).data)

    @extend_schema(request=s.AdMoodboardUpdateSerializer, responses=s.AdMoodboardSerializer)
    def patch(self, request, pk):
        data = s.AdMoodboardUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        board = services.moodboard_update(owner=request.user, moodboard=self._board(request, pk), **data.validated_data)
        return Response(s.AdMoodboardSerializer(board).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        services.moodboard_delete(owner=request.user, moodboard=self._board(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class MoodboardItemsApi(_Private, APIView):
    @extend_schema(request=s.AdItemInputSerializer, responses={201: s.AdMoodboardItemSerializer})
    def post(self, request, pk):
        data = s.AdItemInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        board = selectors.moodboard_get(user=request.user, pk=pk)
        shot = selectors.shot_get(user=request.user, pk=data.validated_data["shot"])
        item = services.moodboard_item_add(
            owner=request.user, moodboard=board, shot=shot, note=data.validated_data["note"]
        )
        return Response(s.AdMoodboardItemSerializer(item).data, status=status.HTTP_201_CREATED)


class MoodboardOrderApi(_Private, APIView):
    @extend_schema(request=s.AdOrderInputSerializer, responses=s.AdMoodboardSerializer)
    def post(self, request, pk):
        data = s.AdOrderInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        board = selectors.moodboard_get(user=request.user, pk=pk)
        services.moodboard_items_reorder(owner=request.user, moodboard=board, item_ids=data.validated_data["items"])
        return Response(s.AdMoodboardSerializer(board).data)


class MoodboardItemDetailApi(_Private, APIView):
    @extend_schema(request=s.AdItemUpdateSerializer, responses=s.AdMoodboardItemSerializer)
    def patch(self, request, pk):
        data = s.AdItemUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = selectors.moodboard_item_get(user=request.user, pk=pk)
        item = services.moodboard_item_annotate(owner=request.user, item=item, note=data.validated_data["note"])
        return Response(s.AdMoodboardItemSerializer(item).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        item = selectors.moodboard_item_get(user=request.user, pk=pk)
        services.moodboard_item_remove(owner=request.user, item=item)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ExportListCreateApi(_Private, generics.ListAPIView):
    serializer_class = s.AdExportSerializer

    def get_queryset(self):
        return selectors.export_list(user=self.request.user)

    @extend_schema(request=s.AdExportInputSerializer, responses={202: s.AdExportSerializer})
    def post(self, request):
        data = s.AdExportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d, user = data.validated_data, request.user
        analysis = selectors.analysis_get(user=user, pk=d["analysis"]) if d.get("analysis") else None
        board = selectors.moodboard_get(user=user, pk=d["moodboard"]) if d.get("moodboard") else None
        export = services.notion_export_start(owner=user, analysis=analysis, moodboard=board)
        return Response(s.AdExportSerializer(export).data, status=status.HTTP_202_ACCEPTED)


class NotionSettingsApi(_Private, APIView):
    """The user's Notion database id and a hint of the token (the token is never returned)."""

    def _out(self, row):
        return {
            "configured": row is not None,
            "database_id": row.database_id if row else "",
            "token_hint": row.token_hint if row else "",
        }

    @extend_schema(responses=s.AdNotionSettingsOutputSerializer)
    def get(self, request):
        return Response(self._out(selectors.notion_settings_get(user=request.user)))

    @extend_schema(request=s.AdNotionSettingsInputSerializer, responses=s.AdNotionSettingsOutputSerializer)
    def put(self, request):
        data = s.AdNotionSettingsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(self._out(services.notion_settings_save(user=request.user, **data.validated_data)))

    @extend_schema(responses={204: None})
    def delete(self, request):
        services.notion_settings_clear(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
