"""What int8 storage of the student's tables does to its embeddings (no timing of the page).

    .venv/bin/python bench/scents_quantise.py [--model ARTIFACT] [--against OTHER_ARTIFACT]

--model: an artifact; its student's tables (E, word_vecs) are compared as stored (float16 in
artifacts before int8 storage) and after student.student_quantise (int8 + float32 row scale), same
weights otherwise: cosine of the two embeddings of each text, and whether the profile model's two
leading families change. --against: also compare the model's student with another artifact's
student (e.g. a retrain), same texts.
Texts (~3,400): the hand-written set, 20 scenes of each of the 44 archetypes (seed 4242, never a
training seed) and the 62 concepts' 40 texts.
"""

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from apps.scents.ml.profile.load import profile_model_load
from apps.scents.ml.scenarios import concept_scenarios, scenarios_generate
from apps.scents.ml.student import StudentEncoder, student_quantise


def texts_default():
    rows = [
        json.loads(line)
        for line in (ROOT / "apps/scents/data/handwritten_eval.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    texts = [r["description"] for r in rows]
    texts += [s.description for s in scenarios_generate(per_archetype=20, seed=4242)]
    texts += [s.description for s in concept_scenarios(seed=4242, per_concept=40)]
    return list(dict.fromkeys(texts))


def encode(student, texts):
    return np.concatenate([student.encode_uncached(texts[s : s + 512]) for s in range(0, len(texts), 512)])


def cos_summary(a, b):
    cos = np.sum(a * b, axis=1)
    return {
        "mean": round(float(cos.mean()), 6),
        "min": round(float(cos.min()), 6),
        "p01": round(float(np.quantile(cos, 0.01)), 6),
    }


def top2(model, emb, texts):
    probs = model.predict_members(emb, [{}] * len(emb), texts).mean(axis=0)
    return np.sort(np.argsort(-probs, axis=1)[:, :2], axis=1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=str(ROOT / "models_store" / "scents-profile.npz"))
    parser.add_argument("--against", default="")
    args = parser.parse_args()
    texts = texts_default()
    model = profile_model_load(args.model, "bench")
    stored = model.student
    fmt = {k: str(v.dtype) for k, v in stored.items() if k in ("E", "E_q", "word_vecs", "word_vecs_q")}
    t0 = time.perf_counter()
    a = StudentEncoder(stored, cache_size=0)
    load_stored = time.perf_counter() - t0
    quantised = student_quantise(stored)
    t0 = time.perf_counter()
    b = StudentEncoder(quantised, cache_size=0)
    load_int8 = time.perf_counter() - t0
    ea, eb = encode(a, texts), encode(b, texts)
    out = {
        "texts": len(texts),
        "stored_tables": fmt,
        "stored_vs_int8": {
            "cosine": cos_summary(ea, eb),
            "max_abs_table_error_E": float(np.abs(a.E - b.E).max()),
            "profile_top2_same_share": round(
                float(np.mean(np.all(top2(model, ea, texts) == top2(model, eb, texts), axis=1))), 4
            ),
        },
        "load_seconds": {"stored": round(load_stored, 3), "int8": round(load_int8, 3)},
    }
    if args.against:
        other = StudentEncoder(profile_model_load(args.against, "other").student, cache_size=0)
        out["against"] = {"artifact": args.against, "cosine": cos_summary(ea, encode(other, texts))}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
