"""Score detected shot boundaries against known transitions (precision, recall, F1).

A detected boundary (first frame of a new shot) matches a transition when it falls inside the
transition's span widened by ``tolerance`` frames each side; each side is matched at most once.
"""
from __future__ import annotations


def boundaries_of(shots: list[list[int]]) -> list[int]:
    return [first for first, _ in shots[1:]]


def boundaries_score(predicted: list[int], transitions: list[dict], *, tolerance: int = 2) -> dict:
    """Return ``{"tp", "fp", "fn", "precision", "recall", "f1"}``."""
    free = sorted(predicted)
    tp = 0
    for t in sorted(transitions, key=lambda t: t["start"]):
        lo, hi = t["start"] - tolerance, t["end"] + tolerance
        centre = (t["start"] + t["end"]) / 2
        inside = [p for p in free if lo <= p <= hi]
        if inside:
            free.remove(min(inside, key=lambda p: abs(p - centre)))
            tp += 1
    fp, fn = len(free), len(transitions) - tp
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}
