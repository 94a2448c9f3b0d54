"""The deployable genre model: a trained head + thresholds + the names of its (frozen) encoders.

The artifact (``torch.save`` of a plain dict, loaded with ``weights_only=True``) holds no encoder
weights: those come from the pip packages (or the names in the artifact's encoder spec), so the
file stays small. ``GenrePredictor`` encodes posters and plots itself, so it serves the product
(one movie, explanations) and the batch command (many movies).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from apps.core.ml.files import file_sha256

from .data import modality_pattern
from .encoders import EncoderSpec, ImageEncoder, TextEncoder, map_to_features
from .explain import gradcam, heatmap_overlay_png, modality_weights, token_attributions, words_from_encoding
from .heads import head_build
from .images import poster_open
from .metrics import thresholds_for

ARTIFACT_FORMAT = "cinescent-genre-head/1"
MAX_PLOT_CHARS = 20_000  # the encoder reads 128 tokens (~600 characters); longer text is cut first


@dataclass
class MovieInput:
    plot: str | None = None
    poster: object = None  # path, bytes, file object or None
    id: str | None = None


@dataclass
class Prediction:
    id: str | None
    scores: dict[str, float]
    genres: list[str]
    pattern: str  # which modalities were used: both / text / image / none
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "genres": self.genres,
            "scores": self.scores,
            "pattern": self.pattern,
            "notes": self.notes,
        }


def artifact_save(
    path: Path,
    *,
    head,
    thresholds: dict,
    spec: EncoderSpec,
    vocabulary,
    version: str,
    metrics: dict | None = None,
    extra: dict | None = None,
    half: bool = False,
) -> str:
    """Write the artifact and return its sha256 (``half``: float16 weights, half the size)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().cpu() for k, v in head.state_dict().items()}
    if half:
        state = {k: v.half() if v.is_floating_point() else v for k, v in state.items()}
    torch.save(
        {
            "format": ARTIFACT_FORMAT,
            "version": version,
            "head_config": head.config,
            "state_dict": state,
            "thresholds": thresholds,
            "encoder_spec": spec.as_dict(),
            "vocabulary": list(vocabulary),
            "metrics": metrics or {},
            **(extra or {}),
        },
        path,
    )
    return file_sha256(path)


class GenrePredictor:
    def __init__(
        self, artifact: dict, *, text_encoder: TextEncoder | None = None, image_encoder: ImageEncoder | None = None
    ):
        if artifact.get("format") != ARTIFACT_FORMAT:
            raise ValueError(f"not a genre model artifact (format {artifact.get('format')!r})")
        self.artifact = artifact
        self.version = artifact["version"]
        self.vocabulary = list(artifact["vocabulary"])
        self.thresholds = artifact["thresholds"]
        self.spec = EncoderSpec(**artifact["encoder_spec"])
        self.head = head_build(**artifact["head_config"])
        # load_state_dict copies into the float32 parameters, so float16 artifacts load as float32.
        self.head.load_state_dict(artifact["state_dict"])
        self.head.eval()
        self._text, self._image = text_encoder, image_encoder

    @classmethod
    def load(cls, path: str | Path, **encoders) -> "GenrePredictor":
        return cls(torch.load(path, map_location="cpu", weights_only=True), **encoders)

    @property
    def kind(self) -> str:
        return self.head.kind

    @property
    def text_encoder(self) -> TextEncoder:
        if self._text is None:
            self._text = TextEncoder(self.spec)
        return self._text

    @property
    def image_encoder(self) -> ImageEncoder:
        if self._image is None:
            self._image = ImageEncoder(self.spec)
        return self._image

    def warm_up(self) -> None:
        """Load both encoders and run each once (the first poster would otherwise pay for timm)."""
        import io

        from PIL import Image

        buf = io.BytesIO()
        Image.new("RGB", (64, 96), (128, 128, 128)).save(buf, format="PNG")
        self.predict([MovieInput(plot="warm up", poster=buf.getvalue())])

    def _encode(self, items: list[MovieInput]):
        """Batch tensors for ``items`` plus the decoded posters and per-item notes."""
        n = len(items)
        notes = [[] for _ in items]
        plots = [(it.plot or "").strip()[:MAX_PLOT_CHARS] for it in items]
        has_text = torch.tensor([bool(p) for p in plots])
        tokens, mask = self.text_encoder.encode([p or "." for p in plots])
        mask = mask & has_text[:, None]
        images = []
        for i, it in enumerate(items):
            load = poster_open(it.poster) if it.poster is not None else None
            images.append(load.image if load else None)
            if load is not None and load.image is None:
                notes[i].append(f"{load.reason}; predicted without a poster")
        ok = [i for i, img in enumerate(images) if img is not None]
        cells = self.spec.image_cells**2
        image_global = torch.zeros(n, self.image_encoder.dim)
        image_cells = torch.zeros(n, cells, self.image_encoder.dim)
        fmaps = None
        if ok:
            with torch.no_grad():
                fmaps = self.image_encoder.feature_map(self.image_encoder.preprocess([images[i] for i in ok]))
                g, c = map_to_features(fmaps, self.spec.image_cells)
            image_global[ok], image_cells[ok] = g, c
        has_image = torch.zeros(n, dtype=torch.bool)
        has_image[ok] = True
        batch = dict(
            text_tokens=tokens,
            text_mask=mask,
            has_text=has_text,
            image_global=image_global,
            image_cells=image_cells,
            has_image=has_image,
        )
        return batch, images, fmaps, notes

    def predict(self, items: list[MovieInput], batch_size: int = 32) -> list[Prediction]:
        out = []
        for s in range(0, len(items), batch_size):
            out.extend(self._predict_batch(items[s : s + batch_size]))
        return out

    def _predict_batch(self, items: list[MovieInput]) -> list[Prediction]:
        batch, _, _, notes = self._encode(items)
        with torch.no_grad():
            probs = torch.sigmoid(self.head(batch)).numpy()
        preds = []
        for i, it in enumerate(items):
            pattern = modality_pattern(bool(batch["has_text"][i]), bool(batch["has_image"][i]))
            preds.append(self._prediction(it.id, probs[i], pattern, notes[i]))
        return preds

    def _prediction(self, movie_id, probs: np.ndarray, pattern: str, notes: list[str]) -> Prediction:
        th = thresholds_for(self.thresholds, pattern)
        scores = {g: round(float(p), 4) for g, p in zip(self.vocabulary, probs)}
        genres = [g for g, p, t in zip(self.vocabulary, probs, th) if p >= t]
        if pattern == "none":
            notes = notes + ["no plot and no poster: scores are the model's prior only"]
        return Prediction(movie_id, scores, sorted(genres, key=lambda g: -scores[g]), pattern, notes)

    def explain(self, item: MovieInput, *, top_k: int = 3) -> dict:
        """Prediction for one movie plus Grad-CAM PNGs (base64) and word attributions per top genre."""
        batch, images, fmaps, notes = self._encode([item])
        with torch.no_grad():
            probs = torch.sigmoid(self.head(batch)).numpy()[0]
        pattern = modality_pattern(bool(batch["has_text"][0]), bool(batch["has_image"][0]))
        pred = self._prediction(item.id, probs, pattern, notes[0])
        weights = modality_weights(self.head)
        top = list(np.argsort(-probs)[:top_k])
        words = None
        if batch["has_text"][0]:
            enc = self.text_encoder.tokenize([(item.plot or "").strip()[:MAX_PLOT_CHARS]], offsets=True)
            words = words_from_encoding(enc, (item.plot or "").strip()[:MAX_PLOT_CHARS])
        per_genre = []
        for g in top:
            entry = {"genre": self.vocabulary[g], "score": float(probs[g])}
            cam = gradcam(self.head, batch, fmaps, int(g), self.spec.image_cells) if fmaps is not None else None
            if cam is not None:
                entry["gradcam_png"] = base64.b64encode(heatmap_overlay_png(images[0], cam)).decode()
            scores = token_attributions(self.head, batch, int(g), words) if words else None
            if scores is not None:
                entry["words"] = scores
            per_genre.append(entry)
        return {
            "prediction": pred.as_dict(),
            "modality_weights": weights,
            "explanations": per_genre,
            "model_version": self.version,
            "model_kind": self.kind,
        }
