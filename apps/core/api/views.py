from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api.serializers import InputSerializer, JobOutputSerializer
from apps.core.errors import ApplicationError
from apps.core.jobs import job_cancel, job_enqueue, job_recover_dead
from apps.core.selectors import job_get_for_user, job_list_for_user


class JobListApi(generics.ListAPIView):
    """Your jobs, newest first (superusers see everyone's)."""

    serializer_class = JobOutputSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        queryset = job_list_for_user(user=self.request.user).prefetch_related("logs")
        status_filter = self.request.query_params.get("status")
        if status_filter:
            queryset = queryset.filter(status=status_filter)
        return queryset


class JobDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=JobOutputSerializer)
    def get(self, request, pk):
        job = job_get_for_user(user=request.user, pk=pk)
        if job_recover_dead(queryset=type(job).objects.filter(pk=job.pk)):
            job.refresh_from_db()
        return Response(JobOutputSerializer(job).data)


class JobCancelApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses=JobOutputSerializer)
    def post(self, request, pk):
        job = job_get_for_user(user=request.user, pk=pk)
        if not job_cancel(job=job):
            raise ApplicationError(
                f"Only a queued job can be cancelled; this one is {job.status}.",
                code="not_cancellable",
                status=409,
            )
        job.refresh_from_db()
        return Response(JobOutputSerializer(job).data)


class SystemCheckInputSerializer(InputSerializer):
    delay = serializers.FloatField(min_value=0, max_value=5, required=False, default=0.3)


class SystemCheckApi(APIView):
    """Start a system check job (database, queue, storage, model store)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=SystemCheckInputSerializer, responses={202: JobOutputSerializer})
    def post(self, request):
        serializer = SystemCheckInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            job = job_enqueue(kind="core.system_check", user=request.user, params=serializer.validated_data)
        return Response(JobOutputSerializer(job).data, status=status.HTTP_202_ACCEPTED)
