"""Symmetric int8 storage of big float tables (scents student tables, sentiment weights).

A table is stored as int8 ``key_q`` plus one float32 scale per row ``key_rowscale``
(scale = max |row| / 127) and dequantised once at load, so run-time cost is unchanged. Long
weight vectors are stored the same way, cut into rows of ``VECTOR_BLOCK`` values.
"""

from __future__ import annotations

import numpy as np

VECTOR_BLOCK = 4096


def table_quantise(table):
    """(int8 table, float32 per-row scale) with table ~= q * scale[:, None]."""
    table = np.asarray(table, dtype=np.float32)
    scale = np.abs(table).max(axis=1) / 127.0
    safe = np.where(scale > 0, scale, 1.0)
    q = np.clip(np.rint(table / safe[:, None]), -127, 127).astype(np.int8)
    return q, scale.astype(np.float32)


def table_load(arrays, key):
    """float32 table from `key_q` + `key_rowscale` (int8 storage) or `key` (float16/32, older artifacts)."""
    if f"{key}_q" in arrays:
        q = np.asarray(arrays[f"{key}_q"])
        out = q.astype(np.float32)
        out *= np.asarray(arrays[f"{key}_rowscale"], dtype=np.float32)[:, None]
        return out
    return np.asarray(arrays[key], dtype=np.float32)


def vector_quantise(vector, key: str) -> dict:
    """Arrays ``{key_q, key_rowscale}`` for a 1-D vector (blocks of VECTOR_BLOCK values, the
    last one zero-padded); :func:`vector_load` gives it back."""
    vector = np.asarray(vector, dtype=np.float32).ravel()
    padded = np.zeros(-(-len(vector) // VECTOR_BLOCK) * VECTOR_BLOCK, dtype=np.float32)
    padded[: len(vector)] = vector
    q, scale = table_quantise(padded.reshape(-1, VECTOR_BLOCK))
    return {f"{key}_q": q, f"{key}_rowscale": scale, f"{key}_len": np.array([len(vector)])}


def vector_load(arrays, key):
    """float32 vector from :func:`vector_quantise` storage, or ``key`` (float16/32)."""
    if f"{key}_q" in arrays:
        return table_load(arrays, key).ravel()[: int(arrays[f"{key}_len"][0])]
    return np.asarray(arrays[key], dtype=np.float32)
