"""Id and parameter fuzzing on every route of the project: odd input never gets a 500.

Finding: 500s on non-numeric ids (`?limit=abc` on shot similarity, `moodboard=abc`
on moodboard add, `analysis=abc` on Notion export). Every URL pattern is walked
(django.urls.get_resolver, recursively); placeholders get the ids of real objects and odd values;
every parameter a view reads (named in its source, or a field of a form or serializer it uses) gets
odd values, one at a time, in the query string, a form body and (API) a JSON body. Paths are tried
anonymous, as the owner of every object and as a superuser; parameters as the first of these the
view lets in. Each request runs in a savepoint that is rolled back, so a delete does not starve
the requests after it.
"""

import inspect
import io
import json
import logging
import re
from http.cookies import SimpleCookie
from urllib.parse import quote, unquote, urlencode

import pytest
from django import forms
from django.apps import apps as django_apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern
from PIL import Image
from rest_framework import serializers

from apps.accounts.services import user_make_curator
from apps.adstudio import services as ad_services
from apps.adstudio.models import Analysis, SceneGroup, Shot, Video
from apps.core.jobs import job_enqueue
from apps.genres.models import Experiment, GenreSuggestion
from apps.scents.models import Ingredient, Recipe, RecipeIngredient
from apps.scents.services import ingredient_master_load
from tests.factories import UserFactory
from tests.movies.factories import MovieFactory, ReviewFactory
from tests.scents.factories import SceneFactory

ODD = ["abc", "-1", "0", str(2**63), str(10**30), "1.5", "١٢", "", " ", "\x00", "x" * 5000]
# The same in a JSON body, where types matter too.
ODD_JSON = ["abc", -1, 0, 2**63, 10**30, 1.5, 1e308, "١٢", "", "\x00", None, [], {"a": 1}, True, "x" * 5000]
# Path segment before an id -> the fixture object the route is about.
SEGMENT_OBJECTS = {
    "movies": "movie",
    "reviews": "review",
    "genre-suggestions": "suggestion",
    "suggestions": "suggestion",
    "genre-experiments": "experiment",
    "experiments": "experiment",
    "ingredients": "ingredient",
    "scenes": "scene",
    "recipes": "recipe",
    "videos": "video",
    "analyses": "analysis",
    "shots": "shot",
    "moodboards": "moodboard",
    "moodboard-items": "item",
    "jobs": "job",
    "batches": "job",
    "batch": "job",
    "compare": "recipe",
    "people": "person",
    "items": "item",
}
# Parameters that name an object: a form or query gets real ids in them while another is odd,
# so a view that checks them in turn reaches the odd one.
PARAM_OBJECTS = {name: name for name in ("moodboard", "shot", "analysis", "video", "scene", "movie", "recipe")}
# Placeholders that are not object ids.
OTHER_VALUES = {
    "decision": "accept",
    "app_label": "movies",
    "url": "nowhere/",
    "path": "movies/posters/fuzz.txt",
    "queue_index": "0",
    "scheduler_index": "0",
    "connection_index": "0",
    "job_id": "nojob",
    "key": "noworker",
    "result_id": "noresult",
    "scheduler_name": "none",
    "cron_job_name": "none",
    "token": "notoken",
    "uidb64": "MQ",
}
PLACEHOLDER = re.compile(r"<(?:(\w+):)?(\w+)>")
# request.GET.get("x"), request.POST["x"], request.query_params.get("x"), request.data.getlist("x")...
PARAM_IN_SOURCE = re.compile(r"""(?:GET|POST|query_params|data|FILES)(?:\.get(?:list)?\(|\[)\s*["'](\w+)["']""")
CLASS_IN_SOURCE = re.compile(r"\b(\w+(?:Form|Serializer))\b")
SKIPPED_NAMES = {"csrfmiddlewaretoken"}
# Routes of other projects' views: odd ids in their paths only, as a superuser.
THIRD_PARTY_ROUTES = ("/admin/", "/ops/rq/", "/api/schema/", "/api/docs/")


def _template(pattern) -> str:
    """A route's text with placeholders as `<name>` (regex routes) or `<conv:name>`."""
    if not isinstance(pattern, RegexPattern):
        return str(pattern)
    text = re.sub(r"\(\?P<(\w+)>[^()]*\)\??", r"<\1>", str(pattern))
    return re.sub(r"/\?", "/", text).replace("\\", "").strip("^$")


def _routes(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        text = prefix + _template(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry, text)
        else:
            yield "/" + text, entry.callback


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _field_names() -> dict[str, set[str]]:
    """Form and serializer class name -> its field names (our apps' classes only)."""
    found = {}
    for cls in [*_subclasses(forms.BaseForm), *_subclasses(serializers.BaseSerializer)]:
        if cls.__module__.startswith("apps."):
            names = set(getattr(cls, "base_fields", None) or getattr(cls, "_declared_fields", {}))
            meta_fields = getattr(getattr(cls, "Meta", None), "fields", ())
            if isinstance(meta_fields, (list, tuple)):
                names.update(meta_fields)
            found.setdefault(cls.__name__, set()).update(names)
    return found


def _view_code(callback):
    return getattr(callback, "view_class", None) or getattr(callback, "cls", None) or inspect.unwrap(callback)


def _names_read_by(callback, fields) -> list[str]:
    """Parameters the view reads: literal names in its source, fields of the forms/serializers
    it names (helpers of the same module that it calls are followed one level)."""
    code = _view_code(callback)
    try:
        source = inspect.getsource(code)
    except (OSError, TypeError):
        return []
    module = inspect.getmodule(code)
    for helper in re.findall(r"\b(_\w+)\(", source):
        if callable(getattr(module, helper, None)):
            source += inspect.getsource(getattr(module, helper))
    names = set(PARAM_IN_SOURCE.findall(source))
    for cls_name in CLASS_IN_SOURCE.findall(source):
        names |= fields.get(cls_name, set())
    return sorted(names - SKIPPED_NAMES)


def _methods(callback) -> list[str]:
    drf = getattr(callback, "cls", None)
    extra = [m for m in ("put", "patch", "delete") if drf is not None and hasattr(drf, m)]
    return ["get", "post", *extra]


@pytest.fixture
def world(settings, tmp_path, user):
    """One of each object, owned by `user`, with files in a fresh media folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    default_storage.save("movies/posters/fuzz.txt", ContentFile(b"fuzz"))
    jpeg = io.BytesIO()
    Image.new("RGB", (16, 9), "red").save(jpeg, "JPEG")
    keyframe = default_storage.save(f"adstudio/{user.pk}/analyses/shot.jpg", ContentFile(jpeg.getvalue()))

    ingredient_master_load()
    movie = MovieFactory(created_by=user)
    scene = SceneFactory(owner=user, movie=movie)
    recipe = Recipe.objects.create(
        scene=scene,
        created_by=user,
        input_key="fuzz",
        model_version="fuzz",
        concentration="eau de parfum",
        longevity_hours=6,
        season="autumn",
        confidence=0.5,
    )
    RecipeIngredient.objects.create(
        recipe=recipe, ingredient=Ingredient.objects.order_by("pk").first(), tier="base", percent=10, position=0
    )
    video = Video.objects.create(owner=user, title="Fuzz video")
    analysis = Analysis.objects.create(owner=user, video=video)
    group = SceneGroup.objects.create(analysis=analysis, index=0, start=0, end=1, description="A red frame")
    shot = Shot.objects.create(
        analysis=analysis,
        scene=group,
        index=0,
        first_frame=0,
        last_frame=9,
        start=0,
        end=1,
        keyframe_frame=0,
        keyframe=keyframe,
    )
    board = ad_services.moodboard_create(owner=user, title="Fuzz board")
    item = ad_services.moodboard_item_add(owner=user, moodboard=board, shot=shot)
    ad_services.moodboard_share(owner=user, moodboard=board)
    board.refresh_from_db()
    return {
        "movie": movie,
        "review": ReviewFactory(movie=movie, author=user),
        "scene": scene,
        "recipe": recipe,
        "ingredient": Ingredient.objects.order_by("pk").first(),
        "suggestion": GenreSuggestion.objects.create(movie=movie, genre_name="Drama", score=0.7, model_version="fuzz"),
        "experiment": Experiment.objects.create(name="fuzz", created_by=user),
        "video": video,
        "analysis": analysis,
        "shot": shot,
        "moodboard": board,
        "item": item,
        "job": job_enqueue(kind="core.system_check", user=user),
        "person": user,
    }


def _real_value(route: str, name: str, world) -> str:
    if name in OTHER_VALUES:
        return OTHER_VALUES[name]
    if route.startswith("/admin/r/"):  # the admin's "view on site" redirect
        return str(
            ContentType.objects.get_for_model(world["movie"]).pk if name == "content_type_id" else world["movie"].pk
        )
    if route.startswith("/admin/"):  # /admin/<app>/<model>/<path:object_id>/...
        app_label, model_name = route.split("/")[2:4]
        model = django_apps.get_model(app_label, model_name)
        row = model.objects.order_by("pk").first() if model._meta.managed else None
        return str(row.pk) if row else "1"
    if name == "token" and route.startswith("/adstudio/shared/"):  # a shared moodboard's link
        return world["moodboard"].share_token
    # The path segment just before this placeholder: /shared/<token>/items/<pk>/ -> "items".
    prefix = route[: route.index(f"{name}>")]
    before = prefix[: prefix.rindex("<")].rstrip("/").rsplit("/", 1)[-1]
    assert before in SEGMENT_OBJECTS, f"the fuzz test has no real object for <{name}> in {route}: add one"
    return str(world[SEGMENT_OBJECTS[before]].pk)


def _fill(route: str, values: dict) -> str:
    return PLACEHOLDER.sub(lambda m: quote(values[m.group(2)], safe=""), route)


class Fuzzer:
    """Sends requests as one client, each in a savepoint rolled back after it; collects 500s
    as {(method, route, what is odd): an example}."""

    def __init__(self, client: Client, who: str):
        self.client, self.who, self.failures = client, who, {}
        self.cookies = SimpleCookie(client.cookies.output(header="", sep=";"))

    def send(self, method: str, path: str, *, route: str, odd: str, **kwargs):
        try:
            with transaction.atomic():
                try:
                    response = getattr(self.client, method)(path, **kwargs)
                finally:
                    transaction.set_rollback(True)
        except Exception as exc:  # the test client re-raises what the view raised
            response, error = None, f"{type(exc).__name__}: {str(exc)[:150]}"
        else:
            error = f"status {response.status_code}" if response.status_code == 500 else ""
        finally:
            self.client.cookies = SimpleCookie(self.cookies.output(header="", sep=";"))
        if error:
            example = f"{self.who} {path[:100]!r} {repr(kwargs.get('data', ''))[:100]}: {error}"
            self.failures.setdefault((method.upper(), route, odd), example)
        return response


def _clients(user):
    anonymous = Client()
    owner = Client()
    owner.force_login(user)
    admin = Client()
    superuser = UserFactory(username="fuzz-admin", is_staff=True, is_superuser=True)
    user_make_curator(user=superuser)
    admin.force_login(superuser)
    return {"anonymous": anonymous, "owner": owner, "superuser": admin}


def _reached(response) -> bool:
    """The view ran past authentication and routing for this method."""
    if response is None:
        return True
    if response.status_code in (401, 403, 405):
        return False
    return not (response.status_code == 302 and "/login/" in response.get("Location", ""))


def _resolves(path: str, callback) -> bool:
    try:
        return resolve(unquote(path.split("?")[0])).func == callback
    except Resolver404:
        return False


@pytest.mark.django_db
def test_no_route_answers_500_to_odd_ids_or_parameters(world, user, monkeypatch, settings):
    # Each failure is listed below; Django's own error log of each would drown the report.
    monkeypatch.setattr(logging.getLogger("django.request"), "disabled", True)
    settings.RATELIMIT_ENABLE = False  # every request must reach its view, not a 429
    fields = _field_names()
    routes = list(_routes())
    assert len(routes) > 100, "the URL walk found too few routes"
    fuzzers = {who: Fuzzer(client, who) for who, client in _clients(user).items()}
    for route, callback in routes:
        if route.startswith("/admin/") and "<path:object_id>" in route and not route.endswith("/change/"):
            continue  # the admin's history, delete and redirect pages look objects up as its change page
        placeholders = [name for _, name in PLACEHOLDER.findall(route)]
        real = {name: _real_value(route, name, world) for name in placeholders}
        ours = not route.startswith(THIRD_PARTY_ROUTES)
        methods = _methods(callback) if ours else ["get"]
        for who, fuzzer in fuzzers.items():
            if not ours and who != "superuser":
                continue
            # Odd values in the path, one placeholder at a time; a value the URL pattern refuses
            # never reaches a view, so one anonymous GET of it is enough.
            for name in placeholders:
                for value in ODD:
                    path = _fill(route, {**real, name: value})
                    if _resolves(path, callback):
                        for method in methods:
                            fuzzer.send(method, path, route=route, odd=f"<{name}>")
                    elif who == "anonymous" or not ours:
                        fuzzer.send("get", path, route=route, odd=f"<{name}>")
        if not ours:
            continue
        # Odd parameters, one at a time, as the first of owner, superuser, anonymous the view lets in.
        path, names = _fill(route, real), _names_read_by(callback, fields)
        ids = {name: world[PARAM_OBJECTS[name]].pk for name in names if name in PARAM_OBJECTS}
        for method in methods:
            fuzzer = next(
                (
                    f
                    for f in (fuzzers["owner"], fuzzers["superuser"], fuzzers["anonymous"])
                    if _reached(f.send(method, path, route=route, odd="nothing"))
                ),
                None,
            )
            if fuzzer is None or not names:
                continue
            for name in names:
                for value in ODD:
                    params = urlencode({**ids, name: value})
                    if method == "get":
                        fuzzer.send(method, f"{path}?{params}", route=route, odd=name)
                    else:
                        fuzzer.send(
                            method,
                            path,
                            data=params,
                            route=route,
                            odd=name,
                            content_type="application/x-www-form-urlencoded",
                        )
                if path.startswith("/api/") and method != "get":
                    for value in ODD_JSON:
                        fuzzer.send(
                            method,
                            path,
                            data=json.dumps({name: value}),
                            route=route,
                            odd=name,
                            content_type="application/json",
                        )
    failures = {key: example for f in fuzzers.values() for key, example in f.failures.items()}
    assert not failures, f"{len(failures)} odd inputs got a 500:\n" + "\n".join(
        f"{method} {route} [{odd}] e.g. {example}" for (method, route, odd), example in sorted(failures.items())
    )
