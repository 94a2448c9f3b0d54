"""Bulk review files: reading TSV/CSV rows (``reviews_score`` command, import job)."""

from __future__ import annotations

import csv
import io
import sys
from typing import Iterator

from django.core.files.storage import default_storage
from django.db import transaction

from apps.core.errors import ApplicationError
from apps.movies.cache import catalog_changed
from apps.movies.models import Movie, Review

BATCH = 1000


def rows_read(handle, *, required=("review_id", "text")) -> Iterator[tuple[int, dict | None, str]]:
    """Yield (line number, row or None, error) for a TSV or CSV text stream with a header.

    The delimiter is a tab when the header line has one, otherwise a comma. A row whose field
    count differs from the header's is reported as malformed instead of being guessed at.
    """
    csv.field_size_limit(sys.maxsize)
    header_line = handle.readline()
    if not header_line:
        raise ApplicationError("The file is empty.", code="file_empty")
    delimiter = "\t" if "\t" in header_line else ","
    header = next(csv.reader([header_line], delimiter=delimiter))
    header = [h.strip().lstrip("\ufeff") for h in header]
    missing = [c for c in required if c not in header]
    if missing:
        raise ApplicationError(
            f"The header lacks the column(s) {', '.join(missing)} " f"(found: {', '.join(header) or 'nothing'}).",
            code="file_header",
        )
    quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
    reader = csv.reader(handle, delimiter=delimiter, quoting=quoting)
    line = 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            line += 1
            yield line, None, f"unreadable row: {exc}"
            continue
        line += 1
        if not values:
            continue
        if len(values) != len(header):
            yield line, dict(zip(header, values)), (f"expected {len(header)} fields, found {len(values)}")
            continue
        yield line, dict(zip(header, values)), ""


def reviews_import(*, path: str, author, progress=None, max_rows: int = 200_000) -> dict:
    """Create reviews by ``author`` from the stored file ``path`` (columns ``movie_id``, ``text``).

    Each row is validated like a review from the form (empty, too long, no words, unknown movie,
    already reviewed -> listed in ``errors``); valid rows are scored and saved in batches.
    """
    from apps.movies.services.catalog import _apply_prediction, review_text_clean
    from apps.movies.scoring import review_score

    with default_storage.open(path, "rb") as raw:
        handle = io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="")
        rows = list(rows_read(handle, required=("movie_id", "text")))[:max_rows]
    errors, pending, created = [], [], 0
    seen = set(Review.objects.filter(author=author).values_list("movie_id", flat=True))
    movies = set(Movie.objects.values_list("pk", flat=True))
    for line, row, error in rows:
        try:
            if error:
                raise ApplicationError(error)
            movie_id = int(row.get("movie_id", ""))
            if movie_id not in movies:
                raise ApplicationError(f"no movie with id {movie_id}")
            if movie_id in seen:
                raise ApplicationError("already reviewed by you")
            pending.append(Review(movie_id=movie_id, author=author, text=review_text_clean(row["text"])))
            seen.add(movie_id)
        except (ApplicationError, ValueError) as exc:
            errors.append({"line": line, "error": str(exc) or "bad movie_id"})
    total = len(pending)
    for start in range(0, total, BATCH):
        chunk = pending[start : start + BATCH]
        for review, prediction in zip(chunk, review_score([r.text for r in chunk])):
            _apply_prediction(review, prediction)
        with transaction.atomic():
            Review.objects.bulk_create(chunk)  # validated above; bulk keeps imports fast
            catalog_changed(*{r.movie_id for r in chunk})
        created += len(chunk)
        if progress:
            progress(created, total)
    return {"created": created, "errors": errors[:200], "error_count": len(errors)}
