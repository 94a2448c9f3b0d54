"""Batch prediction over a JSONL file (the engine of ``manage.py genres_predict``).

Input lines: ``{"id", "plot": str | null, "poster": path | null}``. Output lines, in input order:
``{"id", "genres", "scores", "model_version"}`` plus ``notes`` when something was ignored (an
unreadable poster is predicted without a poster, not refused). A line that is not a JSON object
gets an output line with ``error`` so every input line has exactly one output line.
"""

from __future__ import annotations

import json
from pathlib import Path

from .predictor import GenrePredictor, MovieInput


def _parse(line: str, line_no: int, base: Path) -> tuple[MovieInput | None, dict | None]:
    try:
        row = json.loads(line)
        if not isinstance(row, dict):
            raise ValueError("not a JSON object")
    except ValueError as exc:
        return None, {"id": None, "line": line_no, "error": f"invalid JSON line: {exc}"}
    plot = row.get("plot")
    poster = row.get("poster")
    notes = []
    if plot is not None and not isinstance(plot, str):
        notes.append("plot is not a string; ignored")
        plot = None
    if poster is not None and not isinstance(poster, str):
        notes.append("poster is not a path; ignored")
        poster = None
    if poster:
        path = Path(poster)
        poster = path if path.is_absolute() or path.exists() else base / path
    item = MovieInput(id=row.get("id"), plot=plot, poster=poster)
    item.parse_notes = notes
    return item, None


def predict_jsonl(
    predictor: GenrePredictor, input_path: Path, output_path: Path, *, batch_size: int = 32, progress=None
) -> dict:
    """Stream ``input_path`` through the predictor into ``output_path``; return counts."""
    input_path, output_path = Path(input_path), Path(output_path)
    lines = [(n, line) for n, line in enumerate(input_path.read_text(encoding="utf-8").splitlines(), 1) if line.strip()]
    counts = {"lines": len(lines), "predicted": 0, "errors": 0, "without_poster": 0, "without_plot": 0}
    tmp = output_path.with_suffix(output_path.suffix + ".part")
    with open(tmp, "w", encoding="utf-8") as out:
        for start in range(0, len(lines), batch_size):
            chunk = [_parse(line, n, input_path.parent) for n, line in lines[start : start + batch_size]]
            items = [item for item, _ in chunk if item is not None]
            preds = iter(predictor.predict(items, batch_size=batch_size))
            for item, error in chunk:
                if error:
                    counts["errors"] += 1
                    out.write(json.dumps(error) + "\n")
                    continue
                pred = next(preds)
                counts["predicted"] += 1
                counts["without_poster"] += pred.pattern in ("text", "none")
                counts["without_plot"] += pred.pattern in ("image", "none")
                row = {"id": pred.id, "genres": pred.genres, "scores": pred.scores, "model_version": predictor.version}
                notes = item.parse_notes + pred.notes
                if notes:
                    row["notes"] = notes
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
            if progress:
                progress(min(start + batch_size, len(lines)), len(lines), "")
    tmp.replace(output_path)  # a crash half-way never leaves a truncated OUT file behind
    return counts
