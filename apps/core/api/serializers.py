from rest_framework import serializers

from apps.core.models import Job, JobLog


class InputSerializer(serializers.Serializer):
    """Base for input serializers: unknown fields are an error, not silently dropped."""

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            unknown = sorted(set(data.keys()) - set(self.fields.keys()))
            if unknown:
                raise serializers.ValidationError({name: ["Unknown field."] for name in unknown})
        return super().to_internal_value(data)


class JobLogSerializer(serializers.ModelSerializer):
    class Meta:
        model = JobLog
        fields = ["created_at", "level", "message"]


class JobOutputSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    target = serializers.SerializerMethodField()
    logs = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "status",
            "queue",
            "params",
            "result",
            "error",
            "percent",
            "progress_done",
            "progress_total",
            "progress_note",
            "target",
            "created_at",
            "started_at",
            "finished_at",
            "logs",
        ]

    def get_target(self, job) -> dict | None:
        if not job.target_type_id:
            return None
        return {"type": f"{job.target_type.app_label}.{job.target_type.model}", "id": job.target_id}

    def get_logs(self, job) -> list[dict]:
        return JobLogSerializer(job.logs.order_by("-id")[:50][::-1], many=True).data
