"""Feedback -> ingredient preferences that re-rank later recipes.

A preference is a number in [-1, 1] per material. Liked materials gain, disliked ones lose, and
the recipe's overall rating (1-5, centred on 3) nudges every material in it. A prior of
`PRIOR` pseudo-votes keeps one vote from swinging a material to the extremes. The composer
uses preferences to rank materials inside a family, to scale doses, and skips materials below
composer.DISLIKE_CUTOFF when an alternative exists.
"""

import hashlib
import json

PRIOR = 1.0


def preferences_from_feedback(rows):
    """rows: iterable of dicts {rating, ingredients, liked, disliked} -> {material name: bias}."""
    total, votes = {}, {}
    for row in rows:
        rating = (float(row.get("rating") or 3) - 3.0) / 2.0
        liked, disliked = set(row.get("liked") or ()), set(row.get("disliked") or ())
        for name in set(row.get("ingredients") or ()) | liked | disliked:
            score = 0.5 * rating + (1.0 if name in liked else 0.0) - (1.0 if name in disliked else 0.0)
            total[name] = total.get(name, 0.0) + score
            votes[name] = votes.get(name, 0) + 1
    return {name: round(max(-1.0, min(1.0, total[name] / (votes[name] + PRIOR))), 4) for name in sorted(total)}


def preferences_version(prefs):
    if not prefs:
        return "nofb"
    blob = json.dumps(prefs, sort_keys=True).encode("utf-8")
    return "fb" + hashlib.sha256(blob).hexdigest()[:8]


def preferences_load(path, entry):
    """The registry's loader of ``models_store/scents-preferences.json`` (``scents_feedback_rerank``)."""
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)["preferences"]
