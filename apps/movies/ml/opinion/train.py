"""Training the "no opinion" detector (:mod:`.model`) from real data and rules.

Opinions: IMDB and NSMC reviews, SST-2 sentences and short phrases (the subjective side of Pang
& Lee's 2004 subjectivity task, rebuilt from what is here). No opinion:

- plot sentences of TMDB overviews (the objective side of that task),
- facts stated from TMDB metadata (release year and date, runtime, studio, country, genre) and
  where or with whom someone watched, from templates in English and Korean,
- off-topic text: Django's own English and Korean interface messages (shipped in its package),
- keyboard mash and random letters or syllables, from generators (random walks over QWERTY and
  2-beolsik rows, uniform Latin letters and Hangul syllables).

Splits: reviews by the sentiment models' hash of ``review_id`` (their test split stays unseen),
everything else by a hash of its movie id or text into the same buckets. The logistic regression
and its ``C`` are fitted on train / validation; the threshold is the largest that keeps
abstentions on validation reviews at or below ``max_abstain`` in both languages; the test split
gives the figures, computed with the weights as stored (n-gram weights int8).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from apps.core.ml.quant import vector_load, vector_quantise
from apps.core.ml.student_encoder import StudentEncoder, student_arrays, student_digest

from .. import data
from .load import FORMAT, NAME
from .model import (
    ENCODE_CHARS,
    RULES,
    OpinionModel,
    clean,
    collapse,
    feature_blocks,
    keyboard_counts,
    pack_words,
    tokens,
)

OPINION, NONE = 1, 0
# Opinions and non-opinions drawn per source and split (train, valid, test).
SIZES = {
    "imdb": (500, 300, 600),
    "nsmc": (1200, 500, 1200),
    "sst2": (600, 150, 300),
    "sst2_short": (600, 150, 300),
    "tmdb_plot": (600, 150, 300),
    "facts_en": (300, 100, 150),
    "facts_ko": (300, 100, 150),
    "offtopic_en": (200, 60, 100),
    "offtopic_ko": (200, 60, 100),
    "mash_en": (250, 80, 120),
    "mash_ko": (250, 80, 120),
}
REVIEW_SOURCES = {"imdb": "en", "nsmc": "ko"}
SPLITS = (data.TRAIN, data.VALID, data.TEST)
C_GRID = (1.0, 3.0, 10.0, 30.0, 100.0, 300.0)


@dataclass
class Paths:
    imdb: Path
    nsmc: Path
    tmdb: Path
    sst2: Path | None = None
    offtopic: list[Path] = field(default_factory=list)


@dataclass
class Example:
    text: str
    label: int
    source: str


def split_key(key: str) -> str:
    return data.split_of(key)


# --- sources ---------------------------------------------------------------------------------


def _reviews(path: Path, source: str, sizes: dict, seed: int) -> dict[str, list[Example]]:
    reviews = data.read_reviews(path)
    out = {}
    for split, part in data.split_reviews(reviews).items():
        texts = [t for t in part.texts if clean(t)]
        random.Random(f"{seed}:{source}:{split}").shuffle(texts)
        out[split] = [Example(t, OPINION, source) for t in texts[: sizes[split]]]
    return out


def _sst2(path: Path, sizes: dict, sizes_short: dict, seed: int) -> list[dict[str, list[Example]]]:
    """SST-2 sentences and phrases of six tokens or more (``sst2``) and shorter phrases
    (``sst2_short``: "too long", "a delight"). Binary SST-2 kept only the phrases its annotators
    found positive or negative, so even the shortest carry an opinion."""
    long, short = {s: [] for s in SPLITS}, {s: [] for s in SPLITS}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        _, _, sentence = line.partition("\t")
        (long if len(sentence.split()) >= 6 else short)[split_key(f"sst2:{sentence}")].append(sentence)
    return [_take(long, "sst2", OPINION, sizes, seed), _take(short, "sst2_short", OPINION, sizes_short, seed)]


def _take(by_split: dict, source: str, label: int, sizes: dict, seed: int) -> dict[str, list[Example]]:
    out = {}
    for split, texts in by_split.items():
        texts = sorted(set(texts))
        random.Random(f"{seed}:{source}:{split}").shuffle(texts)
        out[split] = [Example(t, label, source) for t in texts[: sizes[split]]]
    return out


_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def _tmdb(path: Path, sizes_plot: dict, sizes_en: dict, sizes_ko: dict, seed: int) -> dict[str, dict]:
    """Plot sentences and metadata facts, split by movie id."""
    plots, facts_en, facts_ko = ({s: [] for s in SPLITS} for _ in range(3))
    for line in path.read_text(encoding="utf-8").splitlines():
        movie = json.loads(line)
        split = split_key(f"tmdb:{movie['id']}")
        rng = random.Random(f"{seed}:tmdb:{movie['id']}")
        plots[split] += [s for s in _SENTENCE.split(movie.get("overview") or "") if len(s.split()) >= 4]
        facts_en[split] += facts_from_movie(movie, "en", rng)
        facts_ko[split] += facts_from_movie(movie, "ko", rng)
    return {
        "tmdb_plot": _take(plots, "tmdb_plot", NONE, sizes_plot, seed),
        "facts_en": _take(facts_en, "facts_en", NONE, sizes_en, seed),
        "facts_ko": _take(facts_ko, "facts_ko", NONE, sizes_ko, seed),
    }


GENRES_KO = {
    "Action": "액션",
    "Adventure": "모험",
    "Animation": "애니메이션",
    "Comedy": "코미디",
    "Crime": "범죄",
    "Documentary": "다큐멘터리",
    "Drama": "드라마",
    "Family": "가족",
    "Fantasy": "판타지",
    "History": "역사",
    "Horror": "공포",
    "Music": "음악",
    "Mystery": "미스터리",
    "Romance": "로맨스",
    "Science Fiction": "SF",
    "Thriller": "스릴러",
    "War": "전쟁",
    "Western": "서부",
}
WHO = [
    ("my sister", "동생이랑"),
    ("my brother", "형이랑"),
    ("my parents", "부모님과"),
    ("friends", "친구들이랑"),
    ("my wife", "아내와"),
    ("my husband", "남편이랑"),
    ("my kids", "아이들과"),
    ("my girlfriend", "여자친구랑"),
    ("my mom", "엄마랑"),
    ("a coworker", "회사 동료와"),
]
WHEN = [
    ("last night", "어젯밤에"),
    ("yesterday", "어제"),
    ("on Tuesday", "화요일에"),
    ("last weekend", "지난 주말에"),
    ("this morning", "오늘 아침에"),
    ("in 2019", "2019년에"),
    ("on Christmas", "크리스마스에"),
    ("after work", "퇴근하고"),
]
WHERE = [
    ("at the cinema", "극장에서"),
    ("on Netflix", "넷플릭스로"),
    ("on TV", "TV로"),
    ("at home", "집에서"),
    ("on a plane", "비행기에서"),
    ("on my laptop", "노트북으로"),
    ("at a festival", "영화제에서"),
]


def facts_from_movie(movie: dict, lang: str, rng: random.Random) -> list[str]:
    """Up to three statements of fact about ``movie`` (metadata, or someone's viewing) in ``lang``."""
    year = (movie.get("release_date") or "")[:4]
    runtime = movie.get("runtime")
    company = (movie.get("production_companies") or [None])[0]
    genre = (movie.get("genres") or [None])[0]
    who, when, where = rng.choice(WHO), rng.choice(WHEN), rng.choice(WHERE)
    k = lang == "ko"
    options = (
        [
            f"{year}년에 개봉했다." if k else f"It was released in {year}.",
            f"{movie['title']} {year}년 개봉작" if k else f"{movie['title']} came out in {year}.",
            f"개봉일은 {movie.get('release_date')}입니다."
            if k
            else f"The release date is {movie.get('release_date')}.",
        ]
        if year
        else []
    )
    if runtime:
        options += [
            f"상영 시간은 {runtime}분이다." if k else f"It runs {runtime} minutes.",
            f"러닝타임 {runtime}분" if k else f"The film is {runtime} minutes long.",
        ]
    if company:
        options.append(f"{company}에서 제작했어요." if k else f"It was produced by {company}.")
    if genre and genre in GENRES_KO:
        options.append(f"{GENRES_KO[genre]} 영화입니다." if k else f"It is a {genre.lower()} film.")
    options += [
        f"{when[1]} {who[1]} 봤어요." if k else f"I watched it {when[0]} with {who[0]}.",
        f"{where[1]} 봤음" if k else f"I saw it {where[0]}.",
        f"{who[1]} {where[1]} 봤다." if k else f"We watched it {where[0]} {when[0]}.",
    ]
    return rng.sample(options, min(3, len(options)))


_PO = re.compile(r'^msg(id|str) "(.*)"$')


def _po_strings(path: Path) -> tuple[list[str], list[str]]:
    """(English msgids, translated msgstrs) of single-line, placeholder-free entries."""
    english, translated, current = [], [], {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _PO.match(line)
        if match:
            current[match.group(1)] = match.group(2).replace('\\"', '"')
            if match.group(1) == "str":
                msgid, msgstr = current.get("id", ""), current["str"]
                if msgid and msgstr and not re.search(r"%|\{|\\n", msgid + msgstr) and len(msgid.split()) >= 3:
                    english.append(msgid)
                    translated.append(msgstr)
                current = {}
    return english, translated


def _offtopic(paths: list[Path], sizes_en: dict, sizes_ko: dict, seed: int) -> dict[str, dict]:
    en, ko = {s: [] for s in SPLITS}, {s: [] for s in SPLITS}
    for path in paths:
        english, korean = _po_strings(path)
        for text in english:
            en[split_key(f"po:{text}")].append(text)
        for text in korean:
            ko[split_key(f"po:{text}")].append(text)
    return {
        "offtopic_en": _take(en, "offtopic_en", NONE, sizes_en, seed),
        "offtopic_ko": _take(ko, "offtopic_ko", NONE, sizes_ko, seed),
    }


_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_KEY_TO_JAMO = dict(zip("qwertyuiopasdfghjklzxcvbnm", "ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔㅁㄴㅇㄹㅎㅗㅓㅏㅣㅋㅌㅊㅍㅠㅜㅡ"))


def _walk(rng: random.Random) -> str:
    """Letters typed by sliding along a keyboard row (now and then jumping a row)."""
    row = rng.randrange(3)
    col = rng.randrange(len(_ROWS[row]))
    out = []
    for _ in range(rng.randint(3, 9)):
        out.append(_ROWS[row][col])
        if rng.random() < 0.15:
            row = rng.randrange(3)
        col = min(len(_ROWS[row]) - 1, max(0, col + rng.choice((-1, 1, 1, 2))))
    return "".join(out)


def mash(rng: random.Random, lang: str) -> str:
    """One generated non-text: keyboard walks, uniform letters, or (Korean) random syllables."""
    kind = rng.randrange(3)
    words = []
    for _ in range(rng.randint(1, 4)):
        if kind == 0:
            word = _walk(rng)
        else:
            word = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 8)))
        if lang == "ko":
            word = (
                "".join(chr(0xAC00 + rng.randrange(11172)) for _ in range(rng.randint(2, 5)))
                if kind == 2
                else "".join(_KEY_TO_JAMO[c] for c in word)
            )
        words.append(word)
    text = " ".join(words)
    return text + rng.choice(("", "", "!", "..", "?"))


def _mash(sizes: dict, lang: str, seed: int) -> dict[str, list[Example]]:
    return {
        split: [
            Example(mash(random.Random(f"{seed}:mash:{lang}:{split}:{i}"), lang), NONE, f"mash_{lang}")
            for i in range(sizes[split])
        ]
        for split in SPLITS
    }


def examples(paths: Paths, *, seed: int = 13, scale: float = 1.0) -> dict[str, list[Example]]:
    """Every source's examples per split; ``scale`` shrinks the sizes (tests)."""
    sizes = {k: dict(zip(SPLITS, (max(1, int(n * scale)) for n in v))) for k, v in SIZES.items()}
    parts = [
        _reviews(paths.imdb, "imdb", sizes["imdb"], seed),
        _reviews(paths.nsmc, "nsmc", sizes["nsmc"], seed),
        _mash(sizes["mash_en"], "en", seed),
        _mash(sizes["mash_ko"], "ko", seed),
    ]
    if paths.sst2:
        parts += _sst2(paths.sst2, sizes["sst2"], sizes["sst2_short"], seed)
    parts += _tmdb(paths.tmdb, sizes["tmdb_plot"], sizes["facts_en"], sizes["facts_ko"], seed).values()
    parts += _offtopic(paths.offtopic, sizes["offtopic_en"], sizes["offtopic_ko"], seed).values()
    return {split: [e for part in parts for e in part[split]] for split in SPLITS}


# --- vocabulary, fitting, evaluation ------------------------------------------------------------


def vocabularies(paths: Paths, *, min_count: int = 3) -> dict[str, set]:
    """Known units from the training split only: English words of IMDB reviews, SST-2 and TMDB
    plots; Hangul syllables and collapsed jamo runs of NSMC reviews."""
    english, syllables, jamo = Counter(), Counter(), Counter()
    for path, counter in ((paths.imdb, english), (paths.nsmc, None)):
        reviews = data.split_reviews(data.read_reviews(path))[data.TRAIN]
        for text in reviews.texts:
            for word in tokens(clean(text)):
                if word.isascii():
                    english[word] += 1
                elif "\uac00" <= word[0] <= "\ud7a3":
                    syllables.update(word)
                else:
                    jamo[collapse(word)] += 1
    for line in paths.sst2.read_text(encoding="utf-8").splitlines()[1:] if paths.sst2 else []:
        sentence = line.partition("\t")[2]
        if split_key(f"sst2:{sentence}") == data.TRAIN:
            english.update(w for w in tokens(clean(sentence)) if w.isascii())
    for line in paths.tmdb.read_text(encoding="utf-8").splitlines():
        movie = json.loads(line)
        if split_key(f"tmdb:{movie['id']}") == data.TRAIN:
            english.update(w for w in tokens(clean(movie.get("overview") or "")) if w.isascii())
    keep = lambda counter: {w for w, n in counter.items() if n >= min_count}  # noqa: E731
    # NSMC writers pad short reviews with mash (ㅁㄴㅇㄹ): a jamo run typed along a keyboard row
    # is never a known unit, however often it was typed.
    return {
        "vocab": keep(english),
        "syllables": keep(syllables),
        "jamo": {w for w in keep(jamo) if keyboard_counts([w])[1] == 0},
    }


def _weights(coef: np.ndarray, n_hash: int) -> dict[str, np.ndarray]:
    """The regression's weights as stored: the n-gram weights as int8 (one scale per 4,096
    values: a quarter of the size, figures unchanged), the embedding's and the rules' as float32."""
    return {**vector_quantise(coef[:n_hash], "weights_hash"), "weights": np.asarray(coef[n_hash:], dtype=np.float32)}


def _stored_coef(weights: dict[str, np.ndarray]) -> np.ndarray:
    return np.concatenate([vector_load(weights, "weights_hash"), weights["weights"]]).astype(np.float64)


def _arrays(meta: dict, weights: dict, bias: float, mean, scale, vocabs) -> dict[str, np.ndarray]:
    return {
        "meta": np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8),
        **weights,
        "bias": np.array([bias], dtype=np.float64),
        "rule_mean": mean,
        "rule_scale": scale,
        **{name: pack_words(words) for name, words in vocabs.items()},
    }


def abstain_threshold(p: np.ndarray, source: np.ndarray, max_abstain: float) -> float:
    """The largest threshold under which at most ``max_abstain`` of each review source falls."""
    return float(min(np.quantile(p[source == s], max_abstain) for s in REVIEW_SOURCES))


def evaluate(p: np.ndarray, labels: np.ndarray, sources: np.ndarray, threshold: float) -> dict:
    """Abstention rate per review source, recall of "no opinion" per non-opinion source, and the
    precision / recall of "no opinion" over the pooled split, with binomial standard errors."""
    none = p < threshold
    out = {}
    for source in sorted(set(sources)):
        mask = sources == source
        rate = float(none[mask].mean())
        key = "abstain" if source in REVIEW_SOURCES or source.startswith("sst2") else "recall"
        out[f"{source}_{key}"] = round(rate, 4)
        out[f"{source}_n"] = int(mask.sum())
    tp = float((none & (labels == NONE)).sum())
    precision, recall = tp / max(none.sum(), 1), tp / max((labels == NONE).sum(), 1)
    out.update(
        precision=round(precision, 4),
        recall=round(recall, 4),
        precision_se=round(_se(precision, none.sum()), 4),
        recall_se=round(_se(recall, (labels == NONE).sum()), 4),
    )
    return out


def _se(rate: float, n: int) -> float:
    return float(np.sqrt(rate * (1 - rate) / max(int(n), 1)))


def _design(items: list[Example], encoder: StudentEncoder, sets: dict) -> tuple:
    """(sparse n-grams, dense embedding + RULES) of examples, as the runtime computes them."""
    import scipy.sparse as sp

    hashed, embeddings, rules = feature_blocks([clean(e.text) for e in items], encoder, **sets)
    return sp.csr_matrix(hashed, dtype=np.float64), np.hstack([embeddings, rules])


def train_opinion(
    paths: Paths,
    *,
    out_dir: Path,
    encoder_path: Path,
    command: str,
    seed: int = 13,
    scale: float = 1.0,
    max_abstain: float = 0.01,
    log=print,
) -> dict:
    """Fit, choose C and the threshold on validation, evaluate on test, write the artifact.

    ``encoder_path``: the artifact that ships the student encoder (the scents profile); the
    detector records its name and digest and is deployed next to it. Returns the manifest entry
    (the caller writes the manifest).
    """
    import scipy.sparse as sp
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import log_loss

    started = time.time()
    student = student_arrays(encoder_path)
    if not student:
        raise ValueError(f"{encoder_path} ships no student encoder (no student_* arrays)")
    encoder = StudentEncoder(student, cache_size=0)
    parts = examples(paths, seed=seed, scale=scale)
    vocabs = vocabularies(paths)
    log(
        f"[opinion] {', '.join(f'{s} {len(v)}' for s, v in parts.items())} examples; "
        f"{', '.join(f'{k} {len(v)}' for k, v in vocabs.items())} known units; encoder {encoder.name}"
    )
    sets = {k: frozenset(v) for k, v in vocabs.items()}
    design = {split: _design(items, encoder, sets) for split, items in parts.items()}
    y = {split: np.array([e.label for e in items]) for split, items in parts.items()}
    src = {split: np.array([e.source for e in items]) for split, items in parts.items()}
    dense_train = design[data.TRAIN][1]
    mean = dense_train[:, -len(RULES) :].mean(axis=0)
    scale_ = dense_train[:, -len(RULES) :].std(axis=0) + 1e-6
    x = {}
    for split, (hashed, dense) in design.items():
        dense[:, -len(RULES) :] = (dense[:, -len(RULES) :] - mean) / scale_
        x[split] = sp.hstack([hashed, sp.csr_matrix(dense)], format="csr")
    log(f"[opinion] features {x[data.TRAIN].shape[1]}, {time.time() - started:.0f}s")
    fits = {}
    for c in C_GRID:
        model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(x[data.TRAIN], y[data.TRAIN])
        fits[c] = (log_loss(y[data.VALID], model.predict_proba(x[data.VALID])[:, 1]), model)
    best_c = min(fits, key=lambda c: fits[c][0])
    model = fits[best_c][1]
    weights = _weights(model.coef_[0], design[data.TRAIN][0].shape[1])
    bias = float(model.intercept_[0])
    p = {split: 1.0 / (1.0 + np.exp(-(x[split] @ _stored_coef(weights) + bias))) for split in x}
    threshold = abstain_threshold(p[data.VALID], src[data.VALID], max_abstain)
    version = "opinion-" + dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d%H%M%S")
    metrics = {
        "test": evaluate(p[data.TEST], y[data.TEST], src[data.TEST], threshold),
        "valid": evaluate(p[data.VALID], y[data.VALID], src[data.VALID], threshold),
        "threshold": round(threshold, 4),
        "C": best_c,
        "valid_log_loss": round(fits[best_c][0], 4),
        "max_abstain": max_abstain,
        "train_seconds": round(time.time() - started, 1),
    }
    log(f"[opinion] C {best_c}, threshold {threshold:.4f}; test {json.dumps(metrics['test'])}")
    meta = {
        "format": FORMAT,
        "version": version,
        "threshold": round(threshold, 4),
        "encoder": {"name": encoder.name, "artifact": Path(encoder_path).name, "digest": student_digest(student)},
        "encode_chars": ENCODE_CHARS,
        "rules": list(RULES),
        "metrics": metrics,
        "seed": seed,
    }
    arrays = _arrays(meta, weights, bias, mean, scale_, vocabs)
    _check_reads_back(OpinionModel(arrays, encoder), parts[data.VALID][:200], p[data.VALID][:200])
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{NAME}.npz"
    np.savez_compressed(path, **arrays)
    sources = {k: str(v) if v else None for k, v in vars(paths).items() if k != "offtopic"}
    return {
        "name": NAME,
        "version": version,
        "format": FORMAT,
        "path": path.name,
        "sha256": data.file_sha256(path),
        "size_bytes": path.stat().st_size,
        "metrics": metrics,
        "command": command,
        "data": {
            **sources,
            "offtopic": [str(po) for po in paths.offtopic],
            "encoder": f"{encoder.name} in {Path(encoder_path).name} (digest {meta['encoder']['digest']})",
        },
        "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }


def _check_reads_back(model: OpinionModel, items: list[Example], expected: np.ndarray) -> None:
    """The runtime path (raw texts in) gives the probabilities the figures were computed from."""
    got = model.p_opinion([e.text for e in items])
    if not np.allclose(got, expected, atol=1e-5):
        raise RuntimeError(f"the stored detector disagrees with training (max |dp| {np.abs(got - expected).max():.2g})")
