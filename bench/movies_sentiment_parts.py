"""Each signal of a shipped sentiment artifact alone, and the blends of its parts.

    .venv/bin/python bench/movies_sentiment_parts.py --lang ko --data ../shared/data/nsmc/reviews.tsv.gz

For each choice of signal columns: logistic regression on those signals, 5-fold cross-validated
on the balanced validation rows (the split the shipped blend is fitted on), and the same
regression fitted on all of them and scored on the balanced test rows (for reference only).
This is the table of parts in apps/movies/README.md.

The validation signals are those the shipped tables were fitted on: for an artifact whose ridges
saw the validation split (cross-fitted, ``meta.linear_fit``), the ridge signals come from the two
fits that each leave one half out, fitted again here (about 8 more minutes for Korean).
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from apps.movies.ml import data
from apps.movies.ml.features import normalize
from apps.movies.ml.sentiment.model import LanguageModel, load_arrays
from apps.movies.ml.sentiment.tables import protocol_rows
from apps.movies.ml.sentiment.train import TrainConfig, artifact_signals


def signal_names(model) -> dict[int, str]:
    """Column -> name, from the artifact's own description of its parts."""
    names = {0: "linear classifier", 1: "word/char ridge", 2: "BPE network logit", 3: "BPE network rating"}
    col = 4
    for head in model.meta.get("extra_linear", []):
        names[col] = "morpheme ridge" if head["features"].get("morph_ngrams") else f"ridge {col}"
        col += 1
    for i, (kind, _, (_, net)) in enumerate(model.extra_nets, start=1):
        label = f"{kind[:-1] if kind.endswith('s') else kind} {net.config.get('arch', 'conv')} {i}"
        names[col], names[col + 1] = f"{label} logit", f"{label} rating"
        col += 2
    return names


def cv_accuracy(x, y) -> float:
    """Accuracy of a logistic regression on the signal columns ``x``, 5-fold cross-validated."""
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    p = cross_val_predict(LogisticRegression(max_iter=2000), x, y, cv=folds, method="predict_proba")[:, 1]
    return float(((p > 0.5) == y).mean())


def balanced_rows(signals, part, lang):
    y, index = protocol_rows(part, lang)
    return signals[index], y[index]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang", choices=["ko", "en"], required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--store", default="models_store")
    args = parser.parse_args()
    arrays = load_arrays(Path(args.store) / f"movies-sentiment-{args.lang}.npz")
    model = LanguageModel(arrays)
    parts = data.split_reviews(data.read_reviews(args.data))
    texts = {name: [normalize(t) for t in part.texts] for name, part in parts.items()}
    cfg = TrainConfig(lang=args.lang, data_path=Path(args.data), out_dir=Path(args.store))
    meta = json.loads(bytes(arrays["meta"]).decode("utf-8"))
    _, _, signals = artifact_signals(cfg, arrays, meta, parts, texts, log=lambda m: print(m, flush=True))
    (sv, yv), (st, yt) = (balanced_rows(signals[name], parts[name], args.lang) for name in (data.VALID, data.TEST))
    sentiment, rating = model.signal_columns()
    every = sorted(sentiment + rating)
    names = signal_names(model)
    choices = [([c], names[c]) for c in every]
    if every[:4] == [1, 2, 3, 4] and len(every) > 4:  # the Korean parts, added one at a time
        choices += [([1, 2, 3], "word/char ridge + BPE network"), ([1, 2, 3, 4], "+ morpheme ridge")]
        choices += [(list(range(1, c + 2)), f"+ {names[c].removesuffix(' logit')}") for c in every[4:-2:2]]
    choices.append((every, "all (the shipped parts)"))
    print(f"model {model.version}; {len(yv)} balanced validation rows, {len(yt)} test rows")
    for columns, label in choices:
        test = LogisticRegression(max_iter=2000).fit(sv[:, columns], yv).predict_proba(st[:, columns])[:, 1]
        print(
            f"{label:32s} validation (5-fold) {cv_accuracy(sv[:, columns], yv):.4f}   "
            f"test {((test > .5) == yt).mean():.4f}"
        )


if __name__ == "__main__":
    main()
