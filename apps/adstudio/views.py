"""Server-rendered pages: selector -> form -> service -> message -> redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST, require_safe

from apps.adstudio import selectors, services
from apps.adstudio.forms import (
    AnalyseForm,
    MoodboardAddForm,
    MoodboardForm,
    NoteForm,
    NotionExportForm,
    NotionSettingsForm,
)
from apps.adstudio.uploads import too_large_message, upload_limit_install, upload_was_too_large
from apps.accounts.ratelimit import ratelimited
from apps.core.errors import ApplicationError
from apps.core.files import file_response
from apps.scents import selectors as scent_selectors


def _bad_request(request, form):
    """The 400 page listing what is wrong in a form posted by a button of our pages (only a
    hand-made request gets it wrong)."""
    return render(request, "400.html", {"form": form}, status=400)


def _get(func, **kwargs):
    try:
        return func(**kwargs)
    except ApplicationError as exc:
        raise Http404(exc.message) from exc


@csrf_exempt  # the upload limit must be in place before CSRF checking reads the body
@ratelimited("analyse")  # before the upload is read
def index(request):
    upload_limit_install(request)
    return _index(request)


@login_required
@csrf_protect
def _index(request):
    posted = request.method == "POST"
    form = AnalyseForm(request.POST, request.FILES) if posted else AnalyseForm()
    valid = posted and form.is_valid()
    if upload_was_too_large(request):
        form.add_error(None, too_large_message())
        valid = False
    if valid:
        data = form.cleaned_data
        try:
            if data["upload"]:
                analysis = services.analysis_start_from_upload(
                    owner=request.user, upload=data["upload"], title=data["title"], provider=data["provider"]
                )
            else:
                with transaction.atomic():  # the video and its analysis, or neither (queue down)
                    video = services.video_create_from_url(owner=request.user, url=data["url"], title=data["title"])
                    analysis = services.analysis_start(owner=request.user, video=video, provider=data["provider"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Analysis queued: watch it below.")
            return redirect("adstudio:analysis_detail", pk=analysis.pk)
    services.analyses_recover(owner=request.user)
    page = Paginator(selectors.analysis_list(user=request.user), 20).get_page(request.GET.get("page"))
    return render(request, "adstudio/index.html", {"form": form, "page_obj": page})


@login_required
def analysis_detail(request, pk):
    services.analyses_recover(owner=request.user)
    analysis = _get(selectors.analysis_get, user=request.user, pk=pk)
    shots = selectors.shot_list(user=request.user, analysis=analysis)
    return render(
        request,
        "adstudio/analysis_detail.html",
        {
            "analysis": analysis,
            "shots": shots,
            "scenes": _scenes_with_scents(request.user, analysis, shots),
            "moodboards": selectors.moodboard_list(user=request.user),
            "export": selectors.export_for(user=request.user, analysis=analysis),
            "notion_ready": selectors.notion_settings_get(user=request.user) is not None,
        },
    )


def _scenes_with_scents(user, analysis, shots) -> list:
    """The analysis's scenes, each with ``key_shot`` (what "Compose a scent" composes from) and
    ``scent_recipes`` (the user's recipes composed from any of its shots)."""
    scenes = list(selectors.scene_list(user=user, analysis=analysis))
    recipes = list(scent_selectors.recipes_from(user=user, shots=shots).select_related("scene__source_shot"))
    for scene in scenes:
        scene.key_shot = selectors.scene_key_shot(scene)
        scene.scent_recipes = [r for r in recipes if r.scene.source_shot.scene_id == scene.pk]
    return scenes


@login_required
def analysis_status(request, pk):
    """htmx poll from the analysis page: nothing while the job runs, a page refresh when the
    analysis has finished (so shots and scenes appear without a manual reload)."""
    services.analyses_recover(owner=request.user)
    analysis = _get(selectors.analysis_get, user=request.user, pk=pk)
    response = HttpResponse(status=204)
    if analysis.status not in (analysis.Status.QUEUED, analysis.Status.RUNNING):
        response = HttpResponse(status=200)
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_safe
def keyframe(request, pk):
    """A shot's keyframe JPEG, for its owner only (private files are never served by URL)."""
    shot = _get(selectors.shot_get, user=request.user, pk=pk)
    return file_response(request, shot.keyframe.name, private=True, content_type="image/jpeg")


@login_required
@require_POST
def keyframe_full(request, pk):
    """A shot's keyframe at the video's own resolution (PNG), as a download for its owner only.
    A POST: the first request decodes the frame from the source and stores it, which a link
    prefetcher or a crawler following a GET must never start."""
    shot = _get(selectors.shot_get, user=request.user, pk=pk)
    try:
        name = services.shot_frame_full(owner=request.user, shot=shot)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(shot)
    response = file_response(request, name, private=True, content_type="image/png")
    response["Content-Disposition"] = (
        f'attachment; filename="shot-{shot.index + 1}-' f'{shot.analysis.video.width}x{shot.analysis.video.height}.png"'
    )
    return response


@login_required
@require_POST
@ratelimited("compose")
def shot_scent(request, pk):
    """Compose a private scent from one of the user's shots (its scene's words, its tags,
    colours and light) and open the recipe."""
    shot = _get(selectors.shot_get, user=request.user, pk=pk)
    return _scent(request, services.shot_scent_compose, shot, shot=shot)


def _scent(request, func, back, **kwargs):
    try:
        recipe = func(owner=request.user, **kwargs)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(request, "Scent composed from this moment: private to you until you share it.")
    return redirect(recipe)


@login_required
@require_safe
def video_source(request, pk):
    """A video's source file, for its owner only, with byte ranges (the analysis page's player
    seeks in it)."""
    video = _get(selectors.video_get, user=request.user, pk=pk)
    if not video.file:
        raise Http404("This video has not been downloaded yet.")
    return file_response(request, video.file.name, private=True)


@login_required
def shot_similar(request, pk):
    shot = _get(selectors.shot_get, user=request.user, pk=pk)
    return render(
        request,
        "adstudio/search.html",
        {
            "similar_to": shot,
            "shots": selectors.shot_list_similar(user=request.user, shot=shot),
            "tags": selectors.tag_names(user=request.user),
        },
    )


@login_required
def search(request):
    tag, text = request.GET.get("tag", "").strip(), request.GET.get("q", "").strip()
    colour = request.GET.get("colour", "").strip()
    scenes, error = None, ""
    if tag or text or colour:
        try:
            scenes = selectors.scene_search(user=request.user, tag=tag, text=text, colour=colour)[:60]
        except ApplicationError as exc:
            error = exc.message
    return render(
        request,
        "adstudio/search.html",
        {
            "tag": tag,
            "q": text,
            "colour": colour,
            "error": error,
            "scenes": scenes,
            "tags": selectors.tag_names(user=request.user),
        },
    )


@login_required
def moodboard_list(request):
    form = MoodboardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            board = services.moodboard_create(owner=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("adstudio:moodboard_detail", pk=board.pk)
    return render(
        request, "adstudio/moodboard_list.html", {"form": form, "boards": selectors.moodboard_list(user=request.user)}
    )


@login_required
def moodboard_detail(request, pk):
    board = _get(selectors.moodboard_get, user=request.user, pk=pk)
    return render(
        request,
        "adstudio/moodboard_detail.html",
        {
            "board": board,
            "items": selectors.moodboard_items(moodboard=board),
            "share_url": board.share_token
            and request.build_absolute_uri(reverse("adstudio:moodboard_shared", args=[board.share_token])),
            "scent_recipes": scent_selectors.recipes_from(user=request.user, moodboard=board)[:5],
            "export": selectors.export_for(user=request.user, moodboard=board),
            "notion_ready": selectors.notion_settings_get(user=request.user) is not None,
        },
    )


def _act(request, func, done: str, **kwargs):
    try:
        func(owner=request.user, **kwargs)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        if done:
            messages.success(request, done)


@login_required
@require_POST
def moodboard_add(request):
    form = MoodboardAddForm(request.POST)
    if not form.is_valid():
        return _bad_request(request, form)
    board = _get(selectors.moodboard_get, user=request.user, pk=form.cleaned_data["moodboard"])
    shot = _get(selectors.shot_get, user=request.user, pk=form.cleaned_data["shot"])
    _act(
        request,
        services.moodboard_item_add,
        f"Added to “{board.title}”.",
        moodboard=board,
        shot=shot,
        note=form.cleaned_data["note"],
    )
    if request.POST.get("back") == "analysis":
        return redirect("adstudio:analysis_detail", pk=shot.analysis_id)
    return redirect("adstudio:moodboard_detail", pk=board.pk)


@login_required
@require_POST
def moodboard_item_move(request, pk):
    item = _get(selectors.moodboard_item_get, user=request.user, pk=pk)
    ids = list(selectors.moodboard_items(moodboard=item.moodboard).values_list("pk", flat=True))
    at = ids.index(item.pk)
    to = at - 1 if request.POST.get("direction") == "up" else at + 1
    if 0 <= to < len(ids):
        ids[at], ids[to] = ids[to], ids[at]
        _act(request, services.moodboard_items_reorder, "", moodboard=item.moodboard, item_ids=ids)
    return redirect("adstudio:moodboard_detail", pk=item.moodboard_id)


@login_required
@require_POST
def moodboard_order(request, pk):
    """The board's new order from drag and drop (``item`` listed once per item, in order):
    204 when saved, 400 with the reason otherwise (the script says so and reloads)."""
    board = _get(selectors.moodboard_get, user=request.user, pk=pk)
    try:
        ids = [int(x) for x in request.POST.getlist("item")]
        services.moodboard_items_reorder(owner=request.user, moodboard=board, item_ids=ids)
    except ValueError:
        return HttpResponse("Item ids must be numbers.", status=400, content_type="text/plain")
    except ApplicationError as exc:
        return HttpResponse(exc.message, status=exc.status, content_type="text/plain")
    return HttpResponse(status=204)


@login_required
@require_POST
def moodboard_share(request, pk):
    """Turn the board's read-only share link on (``share=1``) or revoke it."""
    board = _get(selectors.moodboard_get, user=request.user, pk=pk)
    if request.POST.get("share") == "1":
        _act(request, services.moodboard_share, "Share link made: anyone with it can view this board.", moodboard=board)
    else:
        _act(request, services.moodboard_unshare, "Share link revoked: it no longer opens this board.", moodboard=board)
    return redirect(board)


@login_required
@require_safe
def moodboard_pdf(request, pk):
    board = _get(selectors.moodboard_get, user=request.user, pk=pk)
    try:
        pdf = services.moodboard_pdf_render(owner=request.user, moodboard=board)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(board)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="moodboard-{board.pk}.pdf"'
    return response


@login_required
@require_POST
@ratelimited("compose")
def moodboard_scent(request, pk):
    """One blended private scent for the whole board."""
    board = _get(selectors.moodboard_get, user=request.user, pk=pk)
    return _scent(request, services.moodboard_scent_compose, board, moodboard=board)


@login_required
@require_POST
def moodboard_item_note(request, pk):
    item = _get(selectors.moodboard_item_get, user=request.user, pk=pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        _act(request, services.moodboard_item_annotate, "Note saved.", item=item, note=form.cleaned_data["note"])
    return redirect("adstudio:moodboard_detail", pk=item.moodboard_id)


@login_required
@require_POST
def moodboard_item_remove(request, pk):
    item = _get(selectors.moodboard_item_get, user=request.user, pk=pk)
    _act(request, services.moodboard_item_remove, "Removed.", item=item)
    return redirect("adstudio:moodboard_detail", pk=item.moodboard_id)


@login_required
def moodboard_collage(request, pk):
    board = _get(selectors.moodboard_get, user=request.user, pk=pk)
    try:
        png = services.moodboard_collage_render(owner=request.user, moodboard=board)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("adstudio:moodboard_detail", pk=board.pk)
    response = HttpResponse(png, content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="moodboard-{board.pk}.png"'
    return response


@login_required
@require_POST
def moodboard_delete(request, pk):
    board = _get(selectors.moodboard_get, user=request.user, pk=pk)
    _act(request, services.moodboard_delete, "Moodboard deleted.", moodboard=board)
    return redirect("adstudio:moodboard_list")


@login_required
def notion_settings(request):
    current = selectors.notion_settings_get(user=request.user)
    form = NotionSettingsForm(request.POST or None, initial={"database_id": current.database_id if current else ""})
    if request.method == "POST" and request.POST.get("clear"):
        services.notion_settings_clear(user=request.user)
        messages.success(request, "Notion settings removed.")
        return redirect("adstudio:notion_settings")
    if request.method == "POST" and form.is_valid():
        try:
            services.notion_settings_save(user=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(exc.extra.get("field"), exc.message)
        else:
            messages.success(request, "Notion settings saved.")
            return redirect("adstudio:notion_settings")
    return render(request, "adstudio/notion_settings.html", {"form": form, "current": current})


@login_required
@require_POST
def notion_export(request):
    form = NotionExportForm(request.POST)
    if not form.is_valid():
        return _bad_request(request, form)
    analysis = moodboard = None
    if form.cleaned_data["analysis"]:
        analysis = _get(selectors.analysis_get, user=request.user, pk=form.cleaned_data["analysis"])
    else:
        moodboard = _get(selectors.moodboard_get, user=request.user, pk=form.cleaned_data["moodboard"])
    _act(request, services.notion_export_start, "Export to Notion queued.", analysis=analysis, moodboard=moodboard)
    if analysis:
        return redirect("adstudio:analysis_detail", pk=analysis.pk)
    return redirect("adstudio:moodboard_detail", pk=moodboard.pk)
