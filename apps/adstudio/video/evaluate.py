"""Score detected shot boundaries against known transitions (precision, recall, F1).

A detected boundary (first frame of a new shot) matches a transition when it falls inside the
transition's span widened by ``tolerance`` frames each side; each side is matched at most once.
Boundaries left unmatched are false; ``false_by_negative`` says which known trap (a light step,
a flash, a pan...) each of them fell on.
"""

from __future__ import annotations


def boundaries_of(shots: list[list[int]]) -> list[int]:
    return [first for first, _ in shots[1:]]


def boundaries_match(
    predicted: list[int], transitions: list[dict], *, tolerance: int = 2
) -> tuple[list[tuple[dict, int]], list[int]]:
    """Pair transitions with boundaries: ``([(transition, boundary), ...], unmatched)``."""
    free = sorted(predicted)
    pairs = []
    for t in sorted(transitions, key=lambda t: t["start"]):
        lo, hi = t["start"] - tolerance, t["end"] + tolerance
        centre = (t["start"] + t["end"]) / 2
        inside = [p for p in free if lo <= p <= hi]
        if inside:
            best = min(inside, key=lambda p: abs(p - centre))
            free.remove(best)
            pairs.append((t, best))
    return pairs, free


def boundaries_score(predicted: list[int], transitions: list[dict], *, tolerance: int = 2) -> dict:
    """Return ``{"tp", "fp", "fn", "precision", "recall", "f1"}``."""
    pairs, free = boundaries_match(predicted, transitions, tolerance=tolerance)
    tp, fp = len(pairs), len(free)
    fn = len(transitions) - tp
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}


def false_by_negative(
    predicted: list[int], transitions: list[dict], negatives: list[dict], *, tolerance: int = 2
) -> dict:
    """``{negative type: false boundaries on negatives of that type}``; ``"other"`` counts
    false boundaries on no known trap."""
    _, free = boundaries_match(predicted, transitions, tolerance=tolerance)
    counts = {n["type"]: 0 for n in negatives}
    counts["other"] = 0
    for p in free:
        hit = next((n for n in negatives if n["start"] - tolerance <= p <= n["end"] + tolerance), None)
        counts[hit["type"] if hit else "other"] += 1
    return counts
