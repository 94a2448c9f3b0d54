"""Server-rendered pages: selector -> form -> service -> message -> redirect."""

import csv
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from apps.accounts.ratelimit import ratelimited
from apps.accounts.selectors import user_is_curator
from apps.core.cache import cached
from apps.core.page_cache import page_cacheable
from apps.core.errors import ApplicationError
from apps.core.selectors import job_get_for_user
from apps.movies.selectors import movie_get
from apps.scents import editor, selectors, services
from apps.scents.cache import INGREDIENTS, SCENES
from apps.scents.compliance import allergen_declaration, ifra_summary
from apps.scents.forms import FeedbackForm, MovieMomentForm, ProductionForm, SceneForm, WeighoutForm
from apps.scents.formula import formula_compare, formula_summary
from apps.scents.ml.vocab import FAMILIES, TIERS
from apps.scents.moments import movie_scent_compose
from apps.scents.presenters import recipe_context


def _get_or_404(func, **kwargs):
    try:
        return func(**kwargs)
    except ApplicationError as exc:
        raise Http404(exc.message) from exc


def index(request):
    """The scenes this viewer may see. Anonymous viewers all see the same public scenes: their
    table is read-cached whole (searches excepted); signed-in viewers' lists hold their own
    private scenes and are never cached."""
    query = request.GET.get("q", "").strip()
    if request.user.is_authenticated or query:
        return render(request, "scents/scene_list.html", {**_scenes_page(request, query), "query": query})
    table, versions = cached(
        "scents:index",
        [SCENES],
        sorted(request.GET.lists()),
        lambda: render_to_string("scents/_scene_table.html", {**_scenes_page(request, query), "request": request}),
    )
    page_cacheable(request, versions)
    return render(request, "scents/scene_list.html", {"scenes_html": table, "query": query})


def _scenes_page(request, query: str) -> dict:
    scenes = selectors.scene_list(user=request.user, query=query)
    return {"page_obj": Paginator(scenes, 20).get_page(request.GET.get("page"))}


def scene_detail(request, pk):
    scene = _get_or_404(selectors.scene_get, pk=pk, user=request.user)
    return render(
        request,
        "scents/scene_detail.html",
        {
            "scene": scene,
            "recipes": selectors.recipe_list(user=request.user, scene=scene)[:10],
            "similar": selectors.scene_list_similar(scene=scene, limit=5, user=request.user),
            "can_edit": request.user.is_authenticated and scene.owner_id == request.user.pk,
        },
    )


@login_required
@require_POST
def scene_share(request, pk):
    """Share a scene (and its recipes) with everyone, or make it private again."""
    scene = _get_or_404(selectors.scene_get, pk=pk, user=request.user)
    shared = request.POST.get("shared") == "1"
    try:
        services.scene_update(scene=scene, user=request.user, is_private=not shared)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            "Shared: everyone can see this scene and its recipes."
            if shared
            else "Private: only you can see this scene and its recipes.",
        )
    return redirect("scents:scene_detail", pk=pk)


@login_required
@ratelimited("compose")
def compose(request):
    form = SceneForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        fields["is_private"] = not fields.pop("share")
        try:
            recipe = services.scene_compose(owner=request.user, **fields)
        except ApplicationError as exc:
            form.add_error(exc.extra.get("field") if exc.extra.get("field") in form.fields else None, exc.message)
            if exc.status == 503:  # a service is down: say so with the status; the form keeps its input
                status = 503
        else:
            messages.success(request, "Scene saved and recipe composed.")
            return redirect("scents:recipe_detail", pk=recipe.pk)
    return render(request, "scents/compose.html", {"form": form}, status=status)


@require_POST
@ratelimited("compose_preview")
def compose_preview(request):
    """htmx partial: the recipe for the form as typed, nothing saved."""
    form = SceneForm(request.POST)
    form.is_valid()
    data = {
        k: form.cleaned_data.get(k, "")
        for k in ("description", "genre", "mood", "time_of_day", "weather", "season", "place")
    }
    try:
        result = services.compose_preview(data=data)
    except ApplicationError as exc:
        return render(request, "scents/_preview.html", {"error": exc.message}, status=200)
    return render(request, "scents/_preview.html", recipe_context(result))


@login_required
@ratelimited("compose")
def movie_compose(request, pk):
    """Compose a private scent from a moment of a catalog film (the movie page's block posts
    here); a refused text comes back on this page with the reason, nothing lost."""
    movie = movie_get(pk=pk)  # Http404 when there is none
    form = MovieMomentForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            recipe = movie_scent_compose(owner=request.user, movie=movie, text=form.cleaned_data["text"])
        except ApplicationError as exc:
            form.add_error("text" if exc.extra.get("field") == "text" else None, exc.message)
            status = 503 if exc.status == 503 else 400
        else:
            messages.success(request, "Scent composed from this film: private to you until you share it.")
            return redirect(recipe)
    return render(request, "scents/movie_compose.html", {"movie": movie, "form": form}, status=status)


@login_required
@require_POST
@ratelimited("compose")
def scene_compose(request, pk):
    try:
        recipe = services.recipe_compose(scene_pk=pk, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("scents:index")
    return redirect("scents:recipe_detail", pk=recipe.pk)


@login_required
@require_POST
def scene_delete(request, pk):
    scene = _get_or_404(selectors.scene_get, pk=pk, user=request.user)
    try:
        services.scene_delete(scene=scene, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("scents:scene_detail", pk=pk)
    messages.success(request, "Scene deleted.")
    return redirect("scents:index")


@login_required
@require_POST
@ratelimited("compose")
def batch_compose(request):
    try:
        job = services.compose_batch_start(user=request.user, scene_ids=request.POST.getlist("scene_ids"))
    except (ApplicationError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", "Choose scenes by their numbers."))
        return redirect("scents:index")
    messages.info(request, "Composing in the background; follow the progress below.")
    return redirect("scents:batch_detail", pk=job.pk)


@login_required
def batch_detail(request, pk):
    """A batch composition: live progress, then each scene with a link to its recipe, saying
    which recipes were composed now and which the scene already had (same text, same model)."""
    job = job_get_for_user(user=request.user, pk=pk)
    if job.kind != "scents.compose_batch":
        raise Http404("No such batch.")
    result = job.result or {}
    found = {
        r.pk: r
        for r in selectors.recipe_list(user=request.user).filter(
            pk__in=[row["recipe"] for row in result.get("recipes", [])]
        )
    }
    rows = [
        {"recipe": found[row["recipe"]], "reused": row.get("reused")}
        for row in result.get("recipes", [])
        if row["recipe"] in found
    ]
    return render(
        request,
        "scents/batch_detail.html",
        {
            "job": job,
            "rows": rows,
            "result": result,
            "recipe_ids": [row["recipe"].pk for row in rows][: services.WEIGHOUT_MAX],
        },
    )


def recipe_detail(request, pk):
    recipe = _get_or_404(selectors.recipe_get, pk=pk, user=request.user)
    feedback_form = FeedbackForm(recipe=recipe)
    if request.user.is_authenticated:
        mine = selectors.feedback_list(recipe=recipe, user=request.user).first()
        if mine:
            feedback_form = FeedbackForm(
                recipe=recipe,
                initial={
                    "rating": mine.rating,
                    "comment": mine.comment,
                    "liked": [i.name for i in mine.liked.all()],
                    "disliked": [i.name for i in mine.disliked.all()],
                },
            )
    context = recipe_context(recipe)
    context.update(
        recipe=recipe,
        feedback_form=feedback_form,
        production_form=ProductionForm(),
        versions=selectors.recipe_versions(recipe=recipe, user=request.user),
        can_edit=_can_edit(recipe, request.user),
        cost=selectors.recipe_cost(recipe),
    )
    return render(request, "scents/recipe_detail.html", context)


def _can_edit(recipe, user):
    return user.is_authenticated and (recipe.scene.owner_id == user.pk or user_is_curator(user))


@login_required
def recipe_edit(request, pk):
    """The recipe editor: every change is checked at once (htmx re-renders the form); Save
    stores the formula as the next version, the edited one stays as it was."""
    recipe = _get_or_404(selectors.recipe_get, pk=pk, user=request.user)
    if not _can_edit(recipe, request.user):
        messages.error(request, "Only the scene's owner (or a curator) may edit its recipes.")
        return redirect("scents:recipe_detail", pk=pk)
    state = editor.editor_state(recipe=recipe, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and request.POST.get("op") == "save":
        try:
            new = services.recipe_version_create(
                recipe=recipe,
                user=request.user,
                lines=editor.editor_lines(state),
                concentration=state["concentration"],
                note=state["note"],
            )
        except ApplicationError as exc:
            state["error"] = exc.message if "problems" not in exc.extra else "Fix the problems below to save."
        else:
            messages.success(request, f"Saved as version {new.version}.")
            if request.headers.get("HX-Request"):
                return HttpResponse(headers={"HX-Redirect": new.get_absolute_url()})
            return redirect(new)
    state.update(recipe=recipe)
    template = "scents/_editor.html" if request.headers.get("HX-Request") else "scents/recipe_edit.html"
    return render(request, template, state)


def recipe_compare(request, pk, other):
    """Two recipes side by side (usually two versions of one): lines, tiers, cost, IFRA status."""
    sides = [_get_or_404(selectors.recipe_get, pk=x, user=request.user) for x in (pk, other)]
    formulas = [selectors.recipe_formula(r) for r in sides]
    return render(
        request,
        "scents/recipe_compare.html",
        {
            "a": sides[0],
            "b": sides[1],
            "rows": formula_compare(*formulas),
            "summaries": [
                {
                    "recipe": r,
                    "summary": formula_summary(f),
                    "cost": selectors.recipe_cost(r),
                    "ifra": ifra_summary(f, r.concentration),
                    "allergens": allergen_declaration(f, r.concentration),
                }
                for r, f in zip(sides, formulas)
            ],
        },
    )


@login_required
@require_POST
def feedback(request, pk):
    recipe = _get_or_404(selectors.recipe_get, pk=pk, user=request.user)
    form = FeedbackForm(request.POST, recipe=recipe)
    if not form.is_valid():
        messages.error(request, "Give a rating from 1 to 5; liked and disliked must be materials of this recipe.")
        return redirect("scents:recipe_detail", pk=pk)
    try:
        services.feedback_submit(recipe=recipe, user=request.user, **form.cleaned_data)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Thank you: your feedback will shape later recipes.")
    return redirect("scents:recipe_detail", pk=pk)


def production(request, pk):
    recipe = _get_or_404(selectors.recipe_get, pk=pk, user=request.user)
    form = ProductionForm(request.GET or None, initial={"volume_ml": 50, "concentration": recipe.concentration})
    sheet, error = None, ""
    if form.is_bound and form.is_valid():
        try:
            sheet = services.production_sheet(
                recipe=recipe,
                volume_ml=form.cleaned_data["volume_ml"],
                concentration=form.cleaned_data["concentration"] or None,
            )
        except ApplicationError as exc:
            error = exc.message
    elif not form.is_bound:
        sheet = services.production_sheet(recipe=recipe, volume_ml=50)
    if sheet and request.GET.get("format") == "csv":
        return _sheet_csv(recipe, sheet)
    context = {"recipe": recipe, "form": form, "sheet": sheet, "error": error}
    if sheet:
        formula, cost = selectors.recipe_formula(recipe), selectors.recipe_cost(recipe)
        context.update(
            ifra=ifra_summary(formula, sheet["concentration"]),
            cost=cost,
            allergens=allergen_declaration(formula, sheet["concentration"]),
            batch_cost=cost["per_kg"] and cost["per_kg"] * Decimal(str(sheet["concentrate_grams"])) / 1000,
        )
    return render(request, "scents/production.html", context)


def weighout(request):
    """One weigh-out sheet for several recipes (`?recipe=1&recipe=2&volume_ml=50`), CSV too."""
    form = WeighoutForm(request.GET if "volume_ml" in request.GET else None, initial={"volume_ml": 50})
    ids = [int(x) for x in request.GET.getlist("recipe") if x.isdigit()]
    recipes = list(selectors.recipe_list(user=request.user).filter(pk__in=ids).order_by("pk"))
    sheet, error = None, ""
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {"volume_ml": 50, "concentration": ""}
        try:
            sheet = services.weighout_sheet(
                recipes=recipes, volume_ml=data["volume_ml"], concentration=data["concentration"] or None
            )
        except ApplicationError as exc:
            error = exc.message
    if sheet and request.GET.get("format") == "csv":
        return _weighout_csv(sheet)
    return render(
        request,
        "scents/weighout.html",
        {"form": form, "sheet": sheet, "error": error, "recipes": recipes, "missing": len(set(ids)) - len(recipes)},
    )


def _weighout_csv(sheet):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="weigh-out-{len(sheet["recipes"])}-recipes.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["material", "cas", "tier"] + [f"recipe {r['recipe'].pk} (g)" for r in sheet["recipes"]] + ["total_grams"]
    )
    for row in sheet["rows"]:
        writer.writerow(
            [row["name"], row["cas"], row["tier"]] + [f"{g:.3f}" for g in row["grams"]] + [f"{row['total']:.3f}"]
        )
    writer.writerow(
        ["Perfumer's alcohol", "64-17-5", ""]
        + [f"{r['alcohol_grams']:.3f}" for r in sheet["recipes"]]
        + [f"{sheet['alcohol_grams']:.3f}"]
    )
    writer.writerow(
        ["TOTAL", "", ""] + [f"{r['total_grams']:.2f}" for r in sheet["recipes"]] + [f"{sheet['total_grams']:.2f}"]
    )
    return response


def _sheet_csv(recipe, sheet):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="recipe-{recipe.pk}-{int(sheet["volume_ml"])}ml.csv"'
    writer = csv.writer(response)
    writer.writerow(["material", "cas", "tier", "percent_of_concentrate", "grams"])
    for row in sheet["rows"]:
        writer.writerow([row["name"], row["cas"], row["tier"], f'{row["percent"]:.2f}', f'{row["grams"]:.3f}'])
    writer.writerow(["Perfumer's alcohol", "64-17-5", "", "", f'{sheet["alcohol_grams"]:.3f}'])
    writer.writerow(["TOTAL", "", "", "", f'{sheet["total_grams"]:.2f}'])
    return response


def ingredient_list(request):
    """The ingredient master, the same for every viewer: its table is read-cached whole (searches
    excepted)."""
    if request.GET.get("q", "").strip():
        table = _ingredient_table(request)
    else:
        table, versions = cached(
            "scents:ingredients", [INGREDIENTS], sorted(request.GET.lists()), lambda: _ingredient_table(request)
        )
        page_cacheable(request, versions)
    return render(request, "scents/ingredient_list.html", {"table": table})


def _ingredient_table(request) -> str:
    family, tier, query = request.GET.get("family", ""), request.GET.get("tier", ""), request.GET.get("q", "").strip()
    rows = selectors.ingredient_list(
        family=family if family in FAMILIES else "", tier=tier if tier in TIERS else "", query=query
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render_to_string(
        "scents/_ingredient_table.html",
        {
            "page_obj": page,
            "families": FAMILIES,
            "tiers": TIERS,
            "family": family,
            "tier": tier,
            "query": query,
            "request": request,
        },
    )
