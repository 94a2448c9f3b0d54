import logging
from functools import wraps

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from redis.exceptions import RedisError
from rq.exceptions import NoSuchJobError

from apps.core.errors import ApplicationError
from apps.core.files import file_response, media_public_name
from apps.core.jobs import job_cancel, job_enqueue, job_recover_dead
from apps.core.models import Job
from apps.core.selectors import (
    health_report,
    job_duration_stats,
    job_get_for_user,
    job_list_for_user,
    queue_stats,
    system_resources,
    worker_list,
)

logger = logging.getLogger(__name__)


@require_safe
def media_serve(request, path):
    """The /media/ route (SERVE_MEDIA): public files only, i.e. storage names under
    MEDIA_PUBLIC_PREFIXES after normalising the path; everything else is a 404. Private files
    are served by their apps' views, which look the object up by id and check the owner."""
    name = media_public_name(path)
    if name is None:
        raise Http404("No such public file.")
    return file_response(request, name, private=False)


def page_not_found(request, exception):
    """JSON for API clients (`{"error", "detail"}` like every API error), HTML for people."""
    if request.path.startswith("/api/"):
        return JsonResponse({"error": "not_found", "detail": "No such API endpoint or object."}, status=404)
    return render(request, "404.html", status=404)


def home(request):
    return render(request, "core/home.html")


@never_cache
def healthz(request):
    report = health_report()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


@login_required
def job_list(request):
    jobs = job_list_for_user(user=request.user)
    status = request.GET.get("status", "")
    if status in Job.Status.values:
        jobs = jobs.filter(status=status)
    page = Paginator(jobs.prefetch_related("target"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "core/job_list.html",
        {
            "page_obj": page,
            "jobs": page.object_list,
            "status": status,
            "statuses": Job.Status.choices,
        },
    )


@login_required
def job_detail(request, pk):
    job = _job_for_request(request, pk)
    return render(request, "core/job_detail.html", {"job": job})


@never_cache
@login_required
def job_status(request, pk):
    """The live part of a job page, polled by htmx until the job finishes."""
    job = _job_for_request(request, pk)
    on_job_page = request.GET.get("log") == "1"
    response = render(request, "partials/job_status.html", {"job": job, "show_log": on_job_page})
    if on_job_page and job.is_finished:
        # The job page shows the result beside the widget: reload it once; the reloaded page
        # renders a finished widget, which no longer polls.
        response["HX-Refresh"] = "true"
    return response


@require_POST
@login_required
def job_cancel_view(request, pk):
    job = job_get_for_user(user=request.user, pk=pk)
    if job_cancel(job=job):
        messages.success(request, "The job was cancelled.")
    else:
        messages.error(request, f"Only a queued job can be cancelled; this one is {job.get_status_display().lower()}.")
    return redirect("core:job_detail", pk=job.pk)


@require_POST
@login_required
def system_check_start(request):
    try:
        with transaction.atomic():
            job = job_enqueue(kind="core.system_check", user=request.user, params={"delay": 0.3})
    except ApplicationError as exc:  # the queue is down
        messages.error(request, exc.message)
        return redirect("core:job_list")
    messages.info(request, "System check started.")
    return redirect("core:job_detail", pk=job.pk)


@staff_member_required
def monitoring(request):
    """Queues, workers, durations and recent jobs. Staff who are not superusers see other users'
    jobs by kind, status, owner and times only: no error text, no link to the job page."""
    job_recover_dead()
    try:
        queues, workers, redis_down = queue_stats(), worker_list(), False
    except RedisError:  # the page is for finding out what is wrong: say it, never a 500
        logger.warning("ops page: Redis unavailable", exc_info=True)
        queues, workers, redis_down = [], [], True
    return render(
        request,
        "core/monitoring.html",
        {
            "sees_all_jobs": request.user.is_superuser,
            "queues": queues,
            "workers": workers,
            "redis_down": redis_down,
            "durations": job_duration_stats(),
            "resources": system_resources(),
            "running": Job.objects.filter(status=Job.Status.RUNNING).select_related("user")[:50],
            "failed": Job.objects.filter(status__in=[Job.Status.FAILED, Job.Status.ERRORED])
            .select_related("user")
            .order_by("-finished_at")[:50],
        },
    )


def rq_dashboard_view(view):
    """Wraps a page of django_rq's dashboard: superusers only (it shows jobs' tracebacks and can
    empty queues), and a queue index or job / worker id that names nothing is a 404 (django_rq
    looks them up unchecked and answers 500)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_superuser:
            raise PermissionDenied("Only superusers may open RQ's dashboard.")
        try:
            return view(request, *args, **kwargs)
        except (IndexError, ValueError, NoSuchJobError, ImproperlyConfigured) as exc:
            raise Http404(str(exc)) from exc

    return wrapped


def _job_for_request(request, pk) -> Job:
    job = job_get_for_user(user=request.user, pk=pk)
    if job.status == Job.Status.RUNNING and job_recover_dead(queryset=Job.objects.filter(pk=job.pk)):
        job.refresh_from_db()
    return job
