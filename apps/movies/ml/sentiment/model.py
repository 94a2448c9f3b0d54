"""Runtime sentiment + rating model: one ``LanguageModel`` per language, routed per review.

An artifact is one ``.npz`` file (no pickle: ``allow_pickle=False``) holding the hashed n-gram
weights (float16, or int8 + scales), the optional convolutional model, optional extra ridge
weights and networks (Korean: over Kiwi morphemes), the optional fine-tuned encoder (English:
its weights but the word embeddings, or a LoRA adapter, on e5-small or MiniLM; see
:mod:`apps.movies.ml.encoder`), the blend and
calibration tables, and a JSON ``meta`` record (language, version, feature specs, metrics).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from apps.core.ml.quant import vector_load

from ..features import FeatureSpec, Featurizer, normalize
from ..lang import detect_language, language_route
from ..neural import conv_from_bytes, conv_predict

POSITIVE, NEGATIVE = "positive", "negative"


@dataclass(frozen=True)
class Prediction:
    label: str
    p_positive: float
    rating: float  # 0-10, one decimal
    language: str
    model_version: str

    def as_dict(self) -> dict:
        return asdict(self)


def signal_count(meta: dict) -> int:
    """Number of :meth:`LanguageModel.signals` columns of an artifact with this ``meta``: four,
    one per extra ridge, two per extra network, three for an encoder."""
    return (
        4 + len(meta.get("extra_linear", [])) + 2 * len(meta.get("extra_nets", [])) + (3 if meta.get("encoder") else 0)
    )


def length_gate(texts: list[str]) -> np.ndarray:
    """0-1 per text, log of its word count (1 from 255 words on): the blend weighs the encoder
    against the n-gram model by length (n-grams read a long review well, a short negated
    sentence badly)."""
    words = np.array([len(t.split()) for t in texts], dtype=np.float64)
    return np.minimum(1.0, np.log1p(words) / np.log(256.0))


class LanguageModel:
    """Scores normalised texts of one language.

    Pipeline: hashed n-grams -> linear sentiment score (optional) and linear rating; optional
    conv model -> its own sentiment logit and rating; optional extra ridge regressors on other
    features (Kiwi morphemes) and extra networks (over morphemes); ``blend`` (logistic
    regression fitted on the validation split) mixes the sentiment scores; ``calib_x/calib_y``
    (isotonic, validation split) turn the blend into a calibrated probability; ``rate_w`` mixes
    the rating signals and ``rate_x/rate_y`` map that score to the validation split's
    conditional median rating (the best point estimate for absolute error).
    """

    def __init__(self, arrays: dict[str, np.ndarray]):
        self.meta = json.loads(bytes(arrays["meta"]).decode("utf-8"))
        self.language = self.meta["language"]
        self.version = self.meta["version"]
        self.max_len = int(self.meta.get("max_len", 128))
        self.featurizer = Featurizer(FeatureSpec.from_dict(self.meta["features"]))
        # No classifier in newer Korean artifacts (its blend weight was ~0): signal 0 stays 0.
        has_cls = "w_cls" in arrays or "w_cls_q" in arrays
        self.w_cls = vector_load(arrays, "w_cls") if has_cls else None
        self.w_reg = vector_load(arrays, "w_reg")
        self.b_cls, self.b_reg = float(arrays["b"][0]), float(arrays["b"][1])
        self.blend = arrays["blend"].astype(np.float64)
        self.calib_x, self.calib_y = arrays["calib_x"], arrays["calib_y"]
        self.rate_w = arrays["rate_w"].astype(np.float64)
        self.rate_x, self.rate_y = arrays["rate_x"], arrays["rate_y"]
        self.rate_mix = float(arrays["rate_mix"][0]) if "rate_mix" in arrays else 0.0
        self.conv = _net_load(arrays, "conv") if "conv_state" in arrays else None
        # More ridge regressors on other features (e.g. Kiwi morphemes), one signal each, and
        # more networks (e.g. over morphemes), two signals each, after the first four.
        self.extra_linear = [
            (Featurizer(FeatureSpec.from_dict(head["features"])), vector_load(arrays, f"lin{i}_w"), float(head["bias"]))
            for i, head in enumerate(self.meta.get("extra_linear", []))
        ]
        self.extra_nets = [
            (net["input"], int(net["max_len"]), _net_load(arrays, f"net{i}"))
            for i, net in enumerate(self.meta.get("extra_nets", []))
        ]
        self.encoder = None
        if "enc_state" in arrays:
            from ..encoder import encoder_from_bytes

            self.encoder = encoder_from_bytes(self.meta["encoder"], bytes(arrays["enc_state"]))
        self.n_signals = signal_count(self.meta)
        self.needs_morphemes = (
            self.featurizer.spec.uses_morphemes
            or any(f.spec.uses_morphemes for f, _, _ in self.extra_linear)
            or any(kind == "morphemes" for kind, _, _ in self.extra_nets)
        )

    def signal_columns(self) -> tuple[list[int], list[int]]:
        """(sentiment columns, rating columns) of :meth:`signals` that this model fills."""
        sentiment = ([0] if self.w_cls is not None else []) + ([2] if self.conv is not None else [])
        rating = [1] + ([3] if self.conv is not None else []) + list(range(4, 4 + len(self.extra_linear)))
        first = 4 + len(self.extra_linear)
        for i in range(len(self.extra_nets)):
            sentiment.append(first + 2 * i)
            rating.append(first + 2 * i + 1)
        if self.encoder is not None:
            sentiment.extend(range(first + 2 * len(self.extra_nets), self.n_signals))
        return sentiment, rating

    def signals(self, texts: list[str]) -> np.ndarray:
        """Raw signals per text: [linear logit, linear rating, conv logit, conv rating, one per
        extra ridge, logit and rating per extra network, then with an encoder: its logit, its
        logit and the linear logit each times :func:`length_gate`]."""
        morph = None
        if self.needs_morphemes and texts:
            from ..morph import morphemes

            morph = morphemes(texts)
        x = self.featurizer.transform(texts, normalized=True, morphemes=morph)
        out = np.zeros((len(texts), self.n_signals), dtype=np.float64)
        if self.w_cls is not None:
            out[:, 0] = x @ self.w_cls + self.b_cls
        reg = x @ self.w_reg
        if self.meta.get("reg_row_norm"):
            # The ridge regressor was fitted on unit-length rows: divide by each row's L2 norm.
            reg = reg / row_norms(x)
        out[:, 1] = reg + self.b_reg
        if self.conv is not None and texts:
            tokenizer, net = self.conv
            out[:, 2], out[:, 3] = conv_predict(tokenizer, net, texts, max_len=self.max_len)
        col = 4
        for featurizer, weights, bias in self.extra_linear:
            xe = featurizer.transform(texts, normalized=True, morphemes=morph)
            out[:, col] = xe @ weights / row_norms(xe) + bias  # ridge fitted on unit-length rows
            col += 1
        for kind, max_len, (tokenizer, net) in self.extra_nets:
            if texts:
                inputs = [" ".join(m) for m in morph] if kind == "morphemes" else texts
                out[:, col], out[:, col + 1] = conv_predict(tokenizer, net, inputs, max_len=max_len)
            col += 2
        if self.encoder is not None and texts:
            from ..encoder import encoder_predict

            gate = length_gate(texts)
            out[:, col] = encoder_predict(*self.encoder, texts, max_len=int(self.meta["encoder"]["max_len"]))
            out[:, col + 1], out[:, col + 2] = out[:, col] * gate, out[:, 0] * gate
        return out

    def predict_arrays(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Return (calibrated P(positive), rating 0-10) for normalised texts."""
        s = self.signals(texts)
        return self.from_signals(s)

    def from_signals(self, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        n = s.shape[1]
        score = s @ self.blend[:n] + self.blend[n]
        p = np.interp(score, self.calib_x, self.calib_y)
        feats = np.column_stack([s, score])
        raw = feats @ self.rate_w[: n + 1] + self.rate_w[n + 1]
        mapped = np.interp(raw, self.rate_x, self.rate_y)
        rating = np.clip((1 - self.rate_mix) * mapped + self.rate_mix * raw, 0.0, 10.0)
        return p, rating


def row_norms(x) -> np.ndarray:
    """L2 norm of each sparse row (at least 1e-6, so empty rows divide safely)."""
    return np.sqrt(np.maximum(x.multiply(x).sum(axis=1).A1, 1e-12))


def _net_load(arrays: dict[str, np.ndarray], prefix: str):
    return conv_from_bytes(
        {
            part: bytes(arrays[f"{prefix}_{part}"])
            if part == "state"
            else bytes(arrays[f"{prefix}_{part}"]).decode("utf-8")
            for part in ("tokenizer", "config", "state")
        }
    )


def load_arrays(path: str | Path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as data:
        return {k: data[k] for k in data.files}


def load_language_model(path: str | Path) -> LanguageModel:
    return LanguageModel(load_arrays(path))


class SentimentPredictor:
    """Routes each review to its language's model; the public entry point for the app."""

    def __init__(self, models: dict[str, LanguageModel]):
        if not models:
            raise ValueError("at least one language model is needed")
        self.models = models

    @property
    def version(self) -> str:
        return "+".join(f"{lang}:{self.models[lang].version}" for lang in sorted(self.models))

    def route(self, text: str) -> str:
        return language_route(detect_language(text), self.models)

    def predict(self, texts: list[str]) -> list[Prediction]:
        """Score many texts (batched per language). Empty texts must be rejected by the caller."""
        normalized = [normalize(t) for t in texts]
        langs = [self.route(t) for t in normalized]
        results: list[Prediction | None] = [None] * len(texts)
        for lang, model in self.models.items():
            index = [i for i, lg in enumerate(langs) if lg == lang]
            if not index:
                continue
            p, rating = model.predict_arrays([normalized[i] for i in index])
            for j, i in enumerate(index):
                prob = float(round(p[j], 4))
                results[i] = Prediction(
                    label=POSITIVE if p[j] >= 0.5 else NEGATIVE,
                    p_positive=prob,
                    rating=float(round(rating[j], 1)),
                    language=lang,
                    model_version=model.version,
                )
        return results  # type: ignore[return-value]

    def predict_one(self, text: str) -> Prediction:
        return self.predict([text])[0]
