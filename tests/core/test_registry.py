"""The model registry: every shipped model is registered at start-up with its format and the command
that rebuilds it, and each "cannot load" message says what to run."""

import json

import pytest
from django.conf import settings

from apps.core.registry import (
    _SPECS,
    _TASK_SPECS,
    ModelUnavailable,
    file_sha256,
    manifest_read,
    manifest_write_entry,
    ml_model_get,
    ml_model_register,
    ml_model_spec,
    ml_task_register,
)


@pytest.fixture
def scratch_specs():
    """Register throw-away specs for one test and remove them again."""
    before, before_tasks = dict(_SPECS), dict(_TASK_SPECS)
    yield
    _SPECS.clear()
    _SPECS.update(before)
    _TASK_SPECS.clear()
    _TASK_SPECS.update(before_tasks)


def _echo(path, entry):
    return path.read_text()


def test_every_shipped_model_has_a_spec_whose_loader_imports():
    """AppConfig.ready registered a loader for each manifest entry, naming a manage.py command."""
    from django.utils.module_loading import import_string

    models = manifest_read(settings.MODELS_STORE)["models"]
    assert models
    for name, entry in models.items():
        spec = ml_model_spec(name, entry)
        assert spec is not None, name
        assert spec.train.startswith("python manage.py train_") or spec.train.startswith("python manage.py scents_")
        assert callable(import_string(spec.loader))
        assert entry.get("format", 1) == spec.format, name


def test_an_artifact_in_another_format_is_refused_with_the_command_that_rebuilds_it(
    scratch_specs, use_models_store, tmp_path
):
    use_models_store(tmp_path)
    (tmp_path / "toy.txt").write_text("hello")
    entry = {"version": "v1", "path": "toy.txt", "sha256": file_sha256(tmp_path / "toy.txt")}
    manifest_write_entry("toy", entry, store=tmp_path)
    ml_model_register("toy", _echo, format=2, train="python manage.py train_toy --data x")
    with pytest.raises(ModelUnavailable) as caught:
        ml_model_get("toy")
    assert "format 1" in str(caught.value) and "format 2" in str(caught.value)
    assert "python manage.py train_toy --data x" in str(caught.value)

    manifest_write_entry("toy", {**entry, "version": "v2", "format": 2}, store=tmp_path)
    assert ml_model_get("toy").obj == "hello"


def test_a_missing_or_altered_artifact_names_the_train_command(scratch_specs, use_models_store, tmp_path):
    use_models_store(tmp_path)
    ml_model_register("toy", "tests.core.test_registry._echo", format=1, train="python manage.py train_toy")
    with pytest.raises(ModelUnavailable, match="not in .*run `python manage.py train_toy`"):
        ml_model_get("toy")
    manifest_write_entry("toy", {"version": "v1", "path": "toy.txt", "sha256": "0" * 64}, store=tmp_path)
    with pytest.raises(ModelUnavailable, match="missing.*train_toy"):
        ml_model_get("toy")
    (tmp_path / "toy.txt").write_text("changed after training")
    with pytest.raises(ModelUnavailable, match="sha256.*train_toy"):
        ml_model_get("toy")


def test_a_task_loader_serves_every_entry_of_that_task(scratch_specs, use_models_store, tmp_path):
    use_models_store(tmp_path)
    ml_task_register("toys", "tests.core.test_registry._echo", format=1, train="python manage.py train_toys")
    for name in ("toy-a", "toy-b"):
        (tmp_path / f"{name}.txt").write_text(name)
        manifest_write_entry(
            name,
            {"version": "v1", "task": "toys", "path": f"{name}.txt", "sha256": file_sha256(tmp_path / f"{name}.txt")},
            store=tmp_path,
        )
    assert ml_model_get("toy-a").obj == "toy-a" and ml_model_get("toy-b").obj == "toy-b"
    assert json.loads((tmp_path / "MANIFEST.json").read_text())["models"]["toy-b"]["task"] == "toys"
