"""Does a text read as a film scene? The "I don't know" of the scent model.

A logistic model over a text's signals and its embedding (the student's, the encoder the profile
model reads), fitted on the training archetypes' scenes, the concepts and rule-made scene-like
sentences (devtext.scene_like_generate) against rule-made non-scenes (devtext.junk_generate):
- known-word share: words the student has a vector for (gibberish and foreign words score 0);
- log word count, distinct-word share (one word repeated), non-letter share (code, lists, numbers);
- the first 32 principal components of the standardised embedding (what the text is about: a tax
  report and a rainy street use known words alike).
Why principal components and not the whole embedding: with 384 free weights the model learned
"one of the 44 archetype settings" and turned down real scenes of other settings.
The threshold on P(scene) is the one that maximises TPR + TNR on other seeds of the same kinds
(validation archetypes, new scene-like sentences and junk); the held-out junk and the behavioural
suite never take part. Confidence = P(scene) x P(leading family in the recipe's top two | scene).
"""

import re

import numpy as np

NOT_A_SCENE = (
    "This did not read as a scene — add what you see, hear and smell "
    "(the place, the weather, the time, what is in the air)."
)
N_COMPONENTS = 32
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def text_signals(texts, words):
    """(n, 4): known-word share, log(1 + words), distinct-word share, non-letter share."""
    out = np.zeros((len(texts), 4), dtype=np.float32)
    for i, text in enumerate(texts):
        tokens = _WORD.findall(text.lower())
        chars = [ch for ch in text if not ch.isspace()]
        if tokens:
            # A Korean word is known with or without its particle ("정원에서" -> "정원").
            known = [any(c in words for c in ((t, t[:-1], t[:-2]) if _HANGUL.search(t) else (t,))) for t in tokens]
            out[i, :3] = np.mean(known), np.log1p(len(tokens)), len(set(tokens)) / len(tokens)
        out[i, 3] = np.mean([not ch.isalpha() for ch in chars]) if chars else 1.0
    return out


def scene_features(arrays, emb, texts, words):
    """The check's inputs: text signals and the embedding's leading principal components."""
    z = ((np.asarray(emb, dtype=np.float32) - arrays["mean"]) / arrays["scale"]) @ arrays["components"].T / 10.0
    return np.concatenate([text_signals(texts, words), z], axis=1)


def scene_probability(arrays, emb, texts, words):
    """P(the text reads as a scene), (n,)."""
    x = scene_features(arrays, emb, texts, words)
    return 1.0 / (1.0 + np.exp(-(x @ arrays["w"] + arrays["b"][0])))


def scene_check_fit(encoder, *, scenes, scene_like, junk, val_scenes, val_junk):
    """Fit the check on texts (lists of str) embedded by `encoder` (a StudentEncoder).

    Returns (arrays, development metrics). val_* choose the threshold and give the development
    figures; they are other seeds of the same generators, never the held-out sets.
    """
    from sklearn.decomposition import PCA
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    words = encoder.words or {}
    pos, neg = list(scenes) + list(scene_like), list(junk)
    emb = _embed(encoder, pos + neg)
    # Standardised first: e5 vectors share one large direction and tiny per-axis spreads.
    mean, scale = emb.mean(axis=0), emb.std(axis=0) + 1e-3
    pca = PCA(N_COMPONENTS, random_state=0).fit((emb - mean) / scale)
    arrays = {
        "mean": mean.astype(np.float32),
        "scale": scale.astype(np.float32),
        "components": pca.components_.astype(np.float32),
    }
    y = np.r_[np.ones(len(pos)), np.zeros(len(neg))]
    clf = LogisticRegression(C=1.0, max_iter=3000).fit(scene_features(arrays, emb, pos + neg, words), y)
    arrays.update(w=clf.coef_[0].astype(np.float32), b=clf.intercept_.astype(np.float32))
    val = list(val_scenes) + list(val_junk)
    p = scene_probability(arrays, _embed(encoder, val), val, words)
    yv = np.r_[np.ones(len(val_scenes)), np.zeros(len(val_junk))]
    cuts = np.unique(np.round(p, 3))
    score = [np.mean(p[yv == 1] >= c) + np.mean(p[yv == 0] < c) for c in cuts]
    threshold = float(cuts[int(np.argmax(score))])
    arrays["threshold"] = np.array([threshold], dtype=np.float32)
    dev = {
        "fit_scenes": len(pos),
        "fit_junk": len(neg),
        "threshold": round(threshold, 3),
        "dev_auroc": round(float(roc_auc_score(yv, p)), 4),
        "dev_scenes_understood": round(float(np.mean(p[yv == 1] >= threshold)), 4),
        "dev_junk_understood": round(float(np.mean(p[yv == 0] >= threshold)), 4),
    }
    return arrays, dev


def _embed(encoder, texts):
    return np.concatenate([encoder.encode_uncached(texts[s : s + 512]) for s in range(0, len(texts), 512)])


def reliability(conf, outcome, bins=10):
    """Brier score and expected calibration error (equal-width bins) of probabilities."""
    conf, outcome = np.asarray(conf, dtype=float), np.asarray(outcome, dtype=float)
    idx = np.minimum((conf * bins).astype(int), bins - 1)
    ece = sum(
        abs(conf[idx == b].mean() - outcome[idx == b].mean()) * np.mean(idx == b)
        for b in range(bins)
        if np.any(idx == b)
    )
    return {"brier": round(float(np.mean((conf - outcome) ** 2)), 4), "ece": round(float(ece), 4)}
