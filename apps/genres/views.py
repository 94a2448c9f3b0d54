"""Genre pages: the research page (experiments side by side), a run's detail, and the
"Suggest genres" panel on a movie page (htmx partial) with accept / reject."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apps.accounts.ratelimit import ratelimited
from apps.accounts.selectors import user_is_curator
from apps.core.errors import ApplicationError
from apps.core.models import Job
from apps.movies import selectors
from apps.genres.forms import ExperimentForm
from apps.genres.models import Experiment, GenreSuggestion
from apps.genres.presenters import (
    METRIC_LABELS,
    comparison_rows,
    metric_tables,
    models_chart,
    per_genre_table,
    word_highlights,
)
from apps.genres import selectors as genre_selectors
from apps.genres.services import suggestions as genre_services
from apps.genres.services import experiments as experiment_services


@login_required
def research(request):
    experiments = list(genre_selectors.experiment_list()[:20])
    done = [e for e in experiments if e.status == Experiment.Status.SUCCEEDED]
    return render(
        request,
        "genres/research.html",
        {
            "experiments": experiments,
            "rows": comparison_rows(done[:5]),
            "chart": models_chart(done[0]) if done else None,
            "latest": done[0] if done else None,
            "form": ExperimentForm() if user_is_curator(request.user) else None,
            "status": genre_selectors.genre_model_status(),
        },
    )


@login_required
@require_POST
def experiment_create(request):
    if not user_is_curator(request.user):
        messages.error(request, "Only curators may start experiments.")
        return redirect("genres:research")
    form = ExperimentForm(request.POST)
    if form.is_valid():
        try:
            exp = experiment_services.experiment_create(user=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Experiment {exp.pk} queued on the ml queue.")
            return redirect("genres:experiment", pk=exp.pk)
    else:
        messages.error(request, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
    return redirect("genres:research")


@login_required
def experiment_detail(request, pk):
    exp = genre_selectors.experiment_get(pk=pk)
    kinds, genre_rows = per_genre_table(exp) if exp.per_genre else ([], [])
    examples = []
    for ex in exp.examples or []:
        urls = {g: default_storage.url(n) for g, n in ex.get("images", {}).items()}
        genres = [
            dict(e, image_url=urls.get(e["genre"]), words=word_highlights(e.get("words")))
            for e in ex.get("explain", {}).get("explanations", [])
        ]
        examples.append(dict(ex, genres=genres))
    return render(
        request,
        "genres/experiment_detail.html",
        {
            "experiment": exp,
            "kinds": kinds,
            "genre_rows": genre_rows,
            "examples": examples,
            "metric_labels": METRIC_LABELS,
            "tables": metric_tables(exp),
            "chart_both": models_chart(exp) if exp.metrics else None,
            "chart_image": models_chart(exp, "test_image") if exp.metrics else None,
            "can_deploy": request.user.is_staff,
            "model_name": settings.GENRES_MODEL_NAME,
        },
    )


@login_required
@require_POST
def experiment_deploy(request, pk):
    if not request.user.is_staff:
        messages.error(request, "Only staff may deploy a model.")
        return redirect("genres:experiment", pk=pk)
    exp = genre_selectors.experiment_get(pk=pk)
    try:
        entry = experiment_services.experiment_deploy(experiment=exp, kind=request.POST.get("kind", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Deployed {entry['kind']} (version {entry['version']}).")
    return redirect("genres:experiment", pk=pk)


def _panel(request, movie, job=None, status=200):
    suggestions = list(genre_selectors.genre_suggestion_list(movie=movie)[:20])
    for s in suggestions:
        s.words_view = word_highlights(s.explanation.get("words"))
    if job is None:
        job = Job.objects.filter(kind="movies.genres_suggest", target_id=str(movie.pk)).order_by("-created_at").first()
    return render(
        request,
        "genres/_suggest_panel.html",
        {
            "movie": movie,
            "suggestions": suggestions,
            "job": job,
            "pending": [s for s in suggestions if s.status == GenreSuggestion.Status.PENDING],
            "decided": [s for s in suggestions if s.status != GenreSuggestion.Status.PENDING][:10],
            "is_curator": user_is_curator(request.user),
            "status": genre_selectors.genre_model_status(),
        },
        status=status,
    )


def genre_panel(request, pk):
    movie = selectors.movie_get(pk=pk)
    if not user_is_curator(request.user):
        return render(request, "genres/_suggest_panel.html", {"movie": movie, "is_curator": False})
    return _panel(request, movie)


@login_required
@require_POST
@ratelimited("suggest")
def genre_suggest(request, pk):
    movie = selectors.movie_get(pk=pk)
    try:
        job = genre_services.genre_suggest_request(movie=movie, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _panel(request, movie, status=exc.status) if _htmx(request) else redirect("movies:detail", pk=pk)
    return _panel(request, movie, job=job) if _htmx(request) else redirect("movies:detail", pk=pk)


def _htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
@require_POST
def suggestion_decide(request, pk, decision):
    suggestion = genre_selectors.genre_suggestion_get(pk=pk)
    service = genre_services.genre_suggestion_accept if decision == "accept" else genre_services.genre_suggestion_reject
    try:
        service(suggestion=suggestion, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        verb = "added to the movie" if decision == "accept" else "rejected"
        messages.success(request, f"{suggestion.genre_name} {verb}.")
    return redirect("movies:detail", pk=suggestion.movie_id)
