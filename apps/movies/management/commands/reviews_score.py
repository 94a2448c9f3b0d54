"""python manage.py reviews_score --input FILE --output OUT.jsonl

FILE: TSV or CSV with a header holding ``review_id`` and ``text`` (other columns ignored).
OUT: one JSON object per input row, in input order: review_id, label, p_positive, rating,
p_opinion, language, model_version; label "none" (no opinion found: gibberish, a fact, off-topic)
comes with p_positive and rating null. A malformed row gets {"review_id", "error"} and the run
goes on.
"""

import json
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from apps.core.errors import ApplicationError
from apps.core.registry import ModelUnavailable
from apps.movies.scoring import opinion_model_get, predictor_get, review_score
from apps.movies.services import review_text_clean
from apps.movies.services.imports import rows_read

BATCH = 2000
# Existing reviews (evaluation sets, imports) may be longer than what the site accepts; the
# model reads the first 5,000 characters of anything up to this size.
MAX_CHARS = 100_000


class Command(BaseCommand):
    help = "Score a TSV/CSV of reviews (review_id, text) into JSON lines with the sentiment model."

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="TSV or CSV file with review_id and text columns")
        parser.add_argument("--output", required=True, help="JSON-lines output file ('-' for stdout)")

    def handle(self, *args, **options):
        try:
            predictor = predictor_get()
        except ModelUnavailable as exc:
            raise CommandError(f"No sentiment model is available: {exc}") from exc
        started = time.perf_counter()
        counts = {"rows": 0, "errors": 0}
        try:
            source = open(options["input"], encoding="utf-8", errors="replace", newline="")
        except OSError as exc:
            raise CommandError(f"Cannot read {options['input']}: {exc}") from exc
        out = sys.stdout if options["output"] == "-" else open(options["output"], "w", encoding="utf-8")
        try:
            with source:
                batch = []
                for item in self._items(rows_read(source)):
                    batch.append(item)
                    if len(batch) >= BATCH:
                        self._flush(predictor, batch, out, counts)
                        batch = []
                self._flush(predictor, batch, out, counts)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        finally:
            if out is not sys.stdout:
                out.close()
        seconds = time.perf_counter() - started
        opinion = opinion_model_get()
        self.stderr.write(
            f"scored {counts['rows']} rows ({counts['errors']} errors) in {seconds:.2f}s, "
            f"{counts['rows'] / max(seconds, 1e-9):.0f} rows/s, model {predictor.version}"
            + (f" + {opinion.version}" if opinion else " (no opinion detector)")
        )

    @staticmethod
    def _items(rows):
        """(review_id, clean text or None, error) per input row."""
        for line, row, error in rows:
            review_id = (row or {}).get("review_id") or f"line-{line}"
            if error:
                yield review_id, None, f"malformed row at line {line}: {error}"
                continue
            try:
                yield review_id, review_text_clean(row.get("text", ""), max_chars=MAX_CHARS), ""
            except ApplicationError as exc:
                yield review_id, None, exc.message

    @staticmethod
    def _flush(predictor, batch, out, counts):
        texts = [text for _, text, _ in batch if text is not None]
        predictions = iter(review_score(texts, predictor=predictor) if texts else [])
        for review_id, text, error in batch:
            if text is None:
                record = {"review_id": review_id, "error": error}
                counts["errors"] += 1
            else:
                record = {"review_id": review_id, **next(predictions).as_dict()}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            counts["rows"] += 1
