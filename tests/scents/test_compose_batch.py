"""The fast batch path composes exactly what the one-scene path and the earlier composer did.

tests/fixtures/scents/composer_recipes.json holds a digest of each formula the composer gave,
before it was made faster, for the profiles and preferences of `cases()` on the default master.
A change to the master data changes them too: rewrite the file with `golden_write()` then.
"""

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command

from apps.scents.ml import composer
from apps.scents.ml.ingredients import master_default
from apps.scents.ml.vocab import FAMILIES

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "scents" / "composer_recipes.json"


def cases():
    """400 profiles from sparse to flat, half of them with likes and dislikes."""
    rng = np.random.default_rng(20)
    names = sorted(m.name for m in master_default().materials)
    out = []
    for i in range(400):
        profile = rng.dirichlet(np.full(len(FAMILIES), (0.1, 0.3, 1.0, 3.0)[i % 4]))
        liked = rng.choice(names, size=12, replace=False) if i % 2 else []
        prefs = {str(n): float(rng.choice([-1.0, -0.6, -0.2, 0.3, 0.8])) for n in liked}
        out.append((profile, prefs))
    return out


def digest(lines) -> str:
    return hashlib.sha256(repr([(ln.material.name, ln.units) for ln in lines]).encode()).hexdigest()[:16]


def golden_write():
    master = master_default()
    digests = [digest(composer.compose(p, master, prefs)) for p, prefs in cases()]
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN.write_text(json.dumps(digests, indent=0) + "\n")


def test_the_composer_gives_every_formula_it_gave_before_it_was_made_faster():
    master, expected = master_default(), json.loads(GOLDEN.read_text())
    changed = [
        i
        for i, ((p, prefs), want) in enumerate(zip(cases(), expected))
        if digest(composer.compose(p, master, prefs)) != want
    ]
    assert len(expected) == 400 and changed == [], f"formulas changed for cases {changed[:10]}"


@pytest.mark.django_db
def test_the_batch_command_and_one_scene_at_a_time_give_identical_recipes(master, tmp_path):
    from apps.scents.engine import engine_get
    from apps.scents.ml.text import scene_input_clean

    rows = [
        {"id": i, "description": f"{text} {i}", **fields}
        for i, (text, fields) in enumerate(
            [
                ("Rain on a neon street at night", {"weather": "rain"}),
                ("장미 정원의 봄날 오후", {"genre": "romance", "mood": "romantic"}),
                ("Smoke over a frozen battlefield", {"time_of_day": "dawn"}),
                ("바닷가 오두막, 모닥불", {}),
                ("A library of old leather books", {"mood": "serene"}),
            ]
            * 12
        )
    ]
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    call_command("scenes_compose", "--input", str(src), "--output", str(out))
    batch = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    engine = engine_get()
    for row, line in zip(rows, batch, strict=True):
        engine._cache.clear()  # composed afresh, one scene alone, not read back from the batch
        single = engine.compose_one(scene_input_clean(row), explain=False)
        assert line["id"] == row["id"]
        assert {k: single[k] for k in ("recipe", "confidence", "understood", "model_version")} == {
            k: line[k] for k in ("recipe", "confidence", "understood", "model_version")
        }
