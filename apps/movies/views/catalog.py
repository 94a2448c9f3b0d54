"""Catalog pages: thin views (selector -> form -> service -> message -> redirect)."""

from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from apps.core.cache import cached
from apps.core.page_cache import page_cacheable
from apps.core.errors import ApplicationError
from apps.core.jobs import job_enqueue
from apps.movies import selectors, services
from apps.movies.cache import CATALOG, GENRES, movie_version
from apps.movies.forms import MovieForm, ReviewForm, ReviewImportForm
from apps.movies.presenters import agreement_chart, distribution_chart, movie_facts, placeholder_colors

PAGE_SIZE = 24


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def movie_list(request):
    """The catalog; everything below its header is the same for every viewer and read-cached whole,
    except for title searches (too many different ones to be worth keeping)."""
    params = request.GET
    query = params.get("q", "").strip()
    if query:
        catalog = _catalog_html(request, query)
    else:
        catalog, versions = cached(
            "movies:catalog", [CATALOG], sorted(params.lists()), lambda: _catalog_html(request, query)
        )
        page_cacheable(request, versions)  # a visitor's whole page
    return render(request, "movies/movie_list.html", {"catalog": catalog})


def _catalog_html(request, query: str) -> str:
    """The filters, one page of movie cards and the pagination, rendered without the request's
    context (no user, no CSRF token): what the read cache may share between viewers."""
    params = request.GET
    genre, sort, year = params.get("genre", ""), params.get("sort", "title"), _int_or_none(params.get("year"))
    movies = selectors.movie_list(query=query, genre=genre, year=year, sort=sort)
    page = Paginator(movies, PAGE_SIZE).get_page(params.get("page"))
    for movie in page.object_list:
        movie.placeholder = placeholder_colors(movie.title)
    return render_to_string(
        "movies/_catalog.html",
        {
            "page_obj": page,
            "query": query,
            "genre": genre,
            "year": year,
            "sort": sort,
            "request": request,
            "genres": selectors.genre_list(),
            "years": selectors.movie_years(),
            "sorts": SORT_LABELS,
        },
    )


SORT_LABELS = [
    ("title", "Title"),
    ("rating", "AI rating (high first)"),
    ("-rating", "AI rating (low first)"),
    ("date", "Release date (new first)"),
    ("-date", "Release date (old first)"),
    ("new", "Recently added"),
]


REVIEW_SORT_LABELS = [("new", "Newest"), ("positive", "Most positive"), ("negative", "Most negative")]
REVIEWS_PAGE_SIZE = 20


def _review_sort(request) -> dict:
    sort = request.GET.get("sort", "new")
    return {"review_sort": sort if sort in selectors.REVIEW_SORTS else "new", "review_sorts": REVIEW_SORT_LABELS}


def _reviews_context(request, movie) -> dict:
    """The rating card (with the AI/reviewer agreement) and the review list (one page) of a movie."""
    sort = _review_sort(request)
    return {
        **_ratings(movie),
        **sort,
        "page_obj": Paginator(selectors.review_list(movie=movie, sort=sort["review_sort"]), REVIEWS_PAGE_SIZE).get_page(
            request.GET.get("page")
        ),
    }


def _ratings(movie) -> dict:
    summary, agreement = selectors.movie_rating_summary(movie=movie), selectors.movie_agreement(movie=movie)
    return {
        "movie": movie,
        "summary": summary,
        "chart": distribution_chart(summary["distribution"]),
        "agreement": agreement,
        "agreement_chart": agreement_chart(agreement),
    }


def _movie_shared(pk, sort: str, page: int | None) -> dict:
    """What every viewer of a movie page sees, for the read cache: the movie and its facts, the
    rating card's HTML, and the review list's HTML as anyone who wrote none of its reviews sees it
    (no user, no CSRF token in either) with the ids of those reviews."""
    movie = selectors.movie_get(pk=pk)
    reviews = Paginator(selectors.review_list(movie=movie, sort=sort), REVIEWS_PAGE_SIZE).get_page(page)
    links = QueryDict(mutable=True)  # what the pagination links keep: the sort, not other parameters
    links["sort"] = sort
    return {
        "movie": movie,
        "review_ids": [review.pk for review in reviews],
        "facts": movie_facts(movie),
        "placeholder": placeholder_colors(movie.title),
        "rating_html": render_to_string("movies/_rating_summary.html", _ratings(movie)),
        "reviews_html": render_to_string(
            "movies/_review_list.html",
            {
                "movie": movie,
                "page_obj": reviews,
                "review_sort": sort,
                "review_sorts": REVIEW_SORT_LABELS,
                "request": SimpleNamespace(GET=links),
            },
        ),
    }


def _review_form_initial(review) -> dict | None:
    return {"text": review.text, "user_rating": review.user_rating} if review else None


def movie_detail(request, pk, review_form=None, status=200):
    """The movie page: the shared part read-cached per movie version, then the viewer's own
    (their review and form, edit rights) read for each request."""
    sort, page = _review_sort(request), _int_or_none(request.GET.get("page"))
    shared, versions = cached(
        "movies:page",
        [movie_version(pk), GENRES],
        (pk, sort["review_sort"], page),
        lambda: _movie_shared(pk, sort["review_sort"], page),
    )
    if review_form is None:
        page_cacheable(request, versions)  # a visitor's whole page: no review, form or rights of theirs
    movie = shared["movie"]
    mine = selectors.review_of(movie=movie, user=request.user)
    if mine and mine.pk in shared["review_ids"]:  # their own review on this page: its controls are theirs
        reviews = selectors.review_list(movie=movie, sort=sort["review_sort"])
        shared = {**shared, "reviews_html": "", "page_obj": Paginator(reviews, REVIEWS_PAGE_SIZE).get_page(page)}
    return render(
        request,
        "movies/movie_detail.html",
        {
            **shared,
            **sort,
            "my_review": mine,
            "review_form": review_form or ReviewForm(initial=_review_form_initial(mine)),
            "can_edit": services.movie_editable_by(movie=movie, user=request.user),
        },
        status=status,
    )


def person_reviews(request, pk):
    """Someone's reviews, newest first or by the AI's reading; one's own from the profile page."""
    person = selectors.reviewer_get(pk=pk)
    sort = _review_sort(request)
    reviews = selectors.review_list(author=person, sort=sort["review_sort"])
    return render(
        request,
        "movies/person_reviews.html",
        {
            "person": person,
            "is_me": person.pk == request.user.pk,
            **sort,
            "page_obj": Paginator(reviews, REVIEWS_PAGE_SIZE).get_page(request.GET.get("page")),
        },
    )


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
    return render(request, "movies/movie_form.html", {"form": form, "movie": None}, status=400 if form.errors else 200)


@login_required
def movie_update(request, pk):
    movie = selectors.movie_get(pk=pk)
    if not services.movie_editable_by(movie=movie, user=request.user):
        raise PermissionDenied(services.EDITORS_ONLY)  # before the form, not after Save
    initial = {
        **{name: getattr(movie, name) for name in services.MOVIE_FIELDS},
        "genres": list(movie.genres.all()),
        "poster_url": movie.poster_url,
    }
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
    return render(request, "movies/movie_form.html", {"form": form, "movie": movie}, status=400 if form.errors else 200)


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
    mine = selectors.review_of(movie=movie, user=request.user)
    if form.is_valid():
        values = {"text": form.cleaned_data["text"], "user_rating": form.cleaned_data["user_rating"]}
        try:
            if mine:
                review = services.review_update(review=mine, user=request.user, **values)
            else:
                review = services.review_create(movie=movie, author=request.user, **values)
        except ApplicationError as exc:
            form.add_error(exc.extra.get("field", "text"), exc.message)
    if form.errors:
        if request.headers.get("HX-Request"):
            return render(
                request,
                "movies/_review_form.html",
                {"movie": movie, "review_form": form, "my_review": mine},
                status=200,
            )
        return movie_detail(request, pk, review_form=form, status=400)
    if request.headers.get("HX-Request"):
        return render(
            request,
            "movies/_review_saved.html",
            {
                **_reviews_context(request, movie),
                "review_form": ReviewForm(initial=_review_form_initial(review)),
                "my_review": review,
                "just_saved": True,
            },
        )
    messages.success(request, _scored_message(review))
    return redirect("movies:detail", pk=movie.pk)


def _scored_message(review) -> str:
    if not review.is_scored:
        return "Your review was saved; its AI rating will appear once the model has scored it."
    if review.has_no_opinion:
        return (
            "Your review was saved. No opinion found in it (it reads as a fact, off-topic text or "
            "random letters), so it has no AI rating and the average leaves it out."
        )
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
