"""Catalog pages: thin views (selector -> form -> service -> message -> redirect)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from apps.core.errors import ApplicationError
from apps.core.jobs import job_enqueue
from apps.movies import selectors, services
from apps.movies.forms import MovieForm, ReviewForm, ReviewImportForm
from apps.movies.presenters import distribution_chart, placeholder_colors

PAGE_SIZE = 24


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def movie_list(request):
    params = request.GET
    query, genre, sort = params.get("q", "").strip(), params.get("genre", ""), params.get("sort", "title")
    year = _int_or_none(params.get("year"))
    movies = selectors.movie_list(query=query, genre=genre, year=year, sort=sort)
    page = Paginator(movies, PAGE_SIZE).get_page(params.get("page"))
    for movie in page.object_list:
        movie.placeholder = placeholder_colors(movie.title)
    return render(request, "movies/movie_list.html", {
        "page_obj": page, "query": query, "genre": genre, "year": year, "sort": sort,
        "genres": selectors.genre_list(), "years": selectors.movie_years(), "sorts": SORT_LABELS,
    })


SORT_LABELS = [("title", "Title"), ("rating", "AI rating (high first)"), ("-rating", "AI rating (low first)"),
               ("date", "Release date (new first)"), ("-date", "Release date (old first)"), ("new", "Recently added")]


def _reviews_context(request, movie) -> dict:
    """The rating card and the review list (one page) of a movie."""
    summary = selectors.movie_rating_summary(movie=movie)
    reviews = Paginator(selectors.review_list(movie=movie), 20).get_page(request.GET.get("page"))
    return {"movie": movie, "summary": summary, "chart": distribution_chart(summary["distribution"]),
            "page_obj": reviews}


def movie_detail(request, pk, review_form=None, status=200):
    movie = selectors.movie_get(pk=pk)
    mine = selectors.review_of(movie=movie, user=request.user)
    return render(request, "movies/movie_detail.html", {
        **_reviews_context(request, movie), "my_review": mine, "placeholder": placeholder_colors(movie.title),
        "review_form": review_form or ReviewForm(initial={"text": mine.text} if mine else None),
        "can_edit": services.movie_editable_by(movie=movie, user=request.user),
    }, status=status)


def _movie_form_values(form):
    return dict(form.cleaned_data)


@login_required
def movie_create(request):
    form = MovieForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            movie = services.movie_create(created_by=request.user, **_movie_form_values(form))
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"“{movie.title}” was added.")
            return redirect("movies:detail", pk=movie.pk)
    return render(request, "movies/movie_form.html", {"form": form, "movie": None},
                  status=400 if form.errors else 200)


@login_required
def movie_update(request, pk):
    movie = selectors.movie_get(pk=pk)
    if not services.movie_editable_by(movie=movie, user=request.user):
        raise PermissionDenied(services.EDITORS_ONLY)  # before the form, not after Save
    initial = {"title": movie.title, "original_title": movie.original_title, "release_date": movie.release_date,
               "director": movie.director, "runtime_minutes": movie.runtime_minutes, "plot": movie.plot,
               "genres": list(movie.genres.all()), "poster_url": movie.poster_url}
    form = MovieForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.movie_update(movie=movie, user=request.user, **_movie_form_values(form))
        except ApplicationError as exc:
            if exc.status == 403:
                messages.error(request, exc.message)
                return redirect("movies:detail", pk=movie.pk)
            form.add_error(None, exc.message)
        else:
            messages.success(request, "The movie was saved.")
            return redirect("movies:detail", pk=movie.pk)
    return render(request, "movies/movie_form.html", {"form": form, "movie": movie},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def movie_delete(request, pk):
    movie = selectors.movie_get(pk=pk)
    try:
        services.movie_delete(movie=movie, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("movies:detail", pk=movie.pk)
    messages.success(request, f"“{movie.title}” was deleted.")
    return redirect("movies:index")


@login_required
@require_POST
def review_save(request, pk):
    """Create or edit the user's review. htmx posts get the review panel back in place and, once
    saved, the rating card and the review list out of band, so the page shows the review and the
    new average at once."""
    movie = selectors.movie_get(pk=pk)
    form = ReviewForm(request.POST)
    form.is_valid()
    text = form.cleaned_data.get("text", "")
    mine = selectors.review_of(movie=movie, user=request.user)
    try:
        if mine:
            review = services.review_update(review=mine, user=request.user, text=text)
        else:
            review = services.review_create(movie=movie, author=request.user, text=text)
    except ApplicationError as exc:
        form.add_error("text", exc.message)
        if request.headers.get("HX-Request"):
            return render(request, "movies/_review_form.html",
                          {"movie": movie, "review_form": form, "my_review": mine}, status=200)
        return movie_detail(request, pk, review_form=form, status=400)
    if request.headers.get("HX-Request"):
        return render(request, "movies/_review_saved.html", {
            **_reviews_context(request, movie), "review_form": ReviewForm(initial={"text": review.text}),
            "my_review": review, "just_saved": True})
    messages.success(request, _scored_message(review))
    return redirect("movies:detail", pk=movie.pk)


def _scored_message(review) -> str:
    if not review.is_scored:
        return "Your review was saved; its AI rating will appear once the model has scored it."
    if review.has_no_opinion:
        return ("Your review was saved. No opinion found in it (it reads as a fact, off-topic text or "
                "random letters), so it has no AI rating and the average leaves it out.")
    return f"Your review was saved: {review.sentiment}, AI rating {review.ai_rating}/10."


@login_required
@require_POST
def review_delete(request, pk):
    review = selectors.review_get(pk=pk)
    try:
        services.review_delete(review=review, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The review was deleted.")
    return redirect("movies:detail", pk=review.movie_id)


@login_required
def reviews_import(request):
    form = ReviewImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        name = default_storage.save(f"private/movies/{request.user.pk}/import.tsv", form.cleaned_data["file"])
        try:
            job = job_enqueue(kind="movies.reviews_import", user=request.user, params={"path": name})
        except ApplicationError as exc:  # the queue is down: keep nothing
            default_storage.delete(name)
            form.add_error(None, exc.message)
            return render(request, "movies/reviews_import.html", {"form": form}, status=exc.status)
        messages.success(request, "The file is being imported; follow the progress below.")
        return redirect(reverse("core:job_detail", args=[job.pk]))
    return render(request, "movies/reviews_import.html", {"form": form}, status=400 if form.errors else 200)
