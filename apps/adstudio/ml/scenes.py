"""Group consecutive shots into scenes by image-embedding similarity and time. Pure numpy.

A shot joins the current scene when its embedding is close to the scene's (the mean of the
shots so far) or to one of the scene's last few shots (shot / reverse-shot cutting alternates
between two looks that both belong to the scene), and the scene is not too long yet. A fade
to black always starts a new scene: editors use it for exactly that.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SceneParams:
    join_similarity: float = 0.78   # cosine to the scene mean (or a recent shot) to join it
    recent_shots: int = 3
    max_seconds: float = 90.0


def scenes_group(
    embeddings: np.ndarray, spans: list[tuple[float, float]], *,
    hard_breaks: set[int] | frozenset = frozenset(), params: SceneParams = SceneParams(),
) -> list[list[int]]:
    """Return scenes as lists of consecutive shot indices.

    ``embeddings``: (shots, d) L2-normalised; ``spans``: (start, end) seconds per shot;
    ``hard_breaks``: shot indices that must start a new scene (e.g. after a fade).
    """
    n = len(spans)
    if n == 0:
        return []
    emb = np.asarray(embeddings, np.float32)
    scenes = [[0]]
    for i in range(1, n):
        current = scenes[-1]
        if i not in hard_breaks and _joins(emb, current, i, spans, params):
            current.append(i)
        else:
            scenes.append([i])
    return scenes


def _joins(emb, current: list[int], i: int, spans, params: SceneParams) -> bool:
    if spans[i][1] - spans[current[0]][0] > params.max_seconds:
        return False
    mean = emb[current].mean(axis=0)
    mean /= np.linalg.norm(mean) + 1e-8
    best = float(mean @ emb[i])
    for j in current[-params.recent_shots:]:
        best = max(best, float(emb[j] @ emb[i]))
    return best >= params.join_similarity
