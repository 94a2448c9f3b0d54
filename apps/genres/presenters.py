"""Chart and table helpers for the genre research pages (plain dicts for inline SVG)."""

COLORS = {
    "text": "#4e79a7",
    "image": "#f28e2b",
    "early": "#76b7b2",
    "late": "#59a14f",
    "attention": "#edc948",
    "cross": "#b07aa1",
    "gmu": "#e15759",
    "ensemble": "#9c755f",
}
METRIC_LABELS = [
    ("f1_macro", "macro-F1"),
    ("f1_micro", "micro-F1"),
    ("f1_weighted", "weighted-F1"),
    ("f1_samples", "samples-F1"),
    ("precision_macro", "macro precision"),
    ("recall_macro", "macro recall"),
    ("roc_auc_macro", "macro ROC-AUC"),
    ("map_macro", "mAP"),
    ("f1_macro_halfsplit", "macro-F1, thresholds from the other half (validation pick)"),
]


def bar_chart(rows: list[tuple[str, float, str]], *, width: int = 520, bar_h: int = 18, label_w: int = 150) -> dict:
    """Horizontal bars for (label, value in 0..1, colour) rows."""
    bars = []
    scale = width - label_w - 50
    for i, (label, value, color) in enumerate(rows):
        v = max(0.0, min(1.0, value or 0.0))
        bars.append(
            {
                "label": label,
                "value": round(value or 0.0, 3),
                "y": i * (bar_h + 6) + 4,
                "w": round(v * scale, 1),
                "x": label_w,
                "text_x": label_w + round(v * scale, 1) + 4,
                "color": color,
                "label_y": i * (bar_h + 6) + 4 + bar_h * 0.75,
                "h": bar_h,
            }
        )
    return {"width": width, "height": len(rows) * (bar_h + 6) + 8, "bars": bars, "label_w": label_w}


def comparison_rows(experiments) -> list[dict]:
    """One row per (experiment, model) with the headline figures."""
    rows = []
    for exp in experiments:
        for kind, m in (exp.metrics or {}).items():
            both, image = m.get("test_both", {}), m.get("test_image", {})
            rows.append(
                {
                    "experiment": exp,
                    "kind": kind,
                    "both": both,
                    "image": image,
                    "best": kind in (exp.summary.get("best_single"), exp.summary.get("best_fusion")),
                    "deploy_candidate": kind == exp.summary.get("deploy_candidate"),
                }
            )
    return rows


def models_chart(experiment, subset: str = "test_both", metric: str = "f1_macro") -> dict:
    rows = [(kind, m.get(subset, {}).get(metric), COLORS.get(kind, "#888")) for kind, m in experiment.metrics.items()]
    return bar_chart(sorted(rows, key=lambda r: -(r[1] or 0)))


def per_genre_table(experiment) -> tuple[list[str], list[dict]]:
    kinds = list(experiment.per_genre)
    genres = sorted(
        {g for table in experiment.per_genre.values() for g, v in table.items() if v.get("support")},
        key=lambda g: -max(experiment.per_genre[k].get(g, {}).get("support", 0) for k in kinds),
    )
    rows = []
    for g in genres:
        cells = [experiment.per_genre[k].get(g, {}).get("f1") for k in kinds]
        best = max((c for c in cells if c is not None), default=None)
        support = max(experiment.per_genre[k].get(g, {}).get("support", 0) for k in kinds)
        rows.append({"genre": g, "support": support, "cells": [{"f1": c, "best": c == best and c} for c in cells]})
    return kinds, rows


SUBSETS = [
    ("test_both", "test movies with plot and poster"),
    ("test_image", "poster-only test movies"),
    ("test_plot_only", "test movies with plot and poster, poster hidden"),
    ("test_all", "all test movies"),
    ("val_both", "validation movies with plot and poster"),
]


def metric_tables(experiment) -> list[dict]:
    """One table per evaluation subset: a row per model with the figures of METRIC_LABELS."""
    tables = []
    for subset, label in SUBSETS:
        rows = []
        for kind, m in (experiment.metrics or {}).items():
            row = m.get(subset) or {}
            rows.append({"kind": kind, "n": row.get("n"), "values": [row.get(key) for key, _ in METRIC_LABELS]})
        tables.append({"subset": subset, "label": label, "rows": rows})
    return tables


def word_highlights(words: list[dict] | None) -> list[dict]:
    """Words with a background colour: green pushes toward the genre, red away; alpha = |score|."""
    out = []
    for w in words or []:
        score = float(w.get("score") or 0.0)
        rgb = "46,160,67" if score >= 0 else "214,39,40"
        out.append({"word": w.get("word", ""), "score": score, "bg": f"rgba({rgb},{min(1.0, abs(score)) * 0.6:.2f})"})
    return out
