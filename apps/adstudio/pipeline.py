"""The analysis of one local video file, start to finish, as plain data. No ORM here.

Stages (each reports progress): probe -> decode at analysis size (shot features + motion) ->
shots -> keyframes (one decode pass that picks only the chosen frames, full size) -> vocabulary
tags (EfficientNet-Lite0 classes, faces and measurements, see ml/vocabulary.py), embeddings and
shot attributes (scale, camera motion, light, palette) -> scenes -> per-scene look (palette,
metrics) and the provider's reading. The Django service stores the returned dict; nothing here
writes anywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from .ml.attributes import shot_attributes
from .ml.look import faces_find, image_metrics, palette_extract
from .ml.scenes import SceneParams, scenes_group
from .ml.vocabulary import frame_signals, tags_decide
from .providers import scene_read
from .video.detect import features_from_file
from .video.features import FrameFeatures
from .video.ffmpeg import FFmpegError, frames_read
from .video.probe import VideoInfo, VideoRejected, video_probe
from .video.shots import ShotParams, boundaries_detect, shots_from_boundaries

KEYFRAME_MAX_WIDTH = 640
JPEG_QUALITY = 85
SCENE_KEYFRAMES = 4  # keyframes per scene sent to a provider and used for its look
MOTION_FULL = 0.08  # mean frame change (0..1) that counts as full motion intensity

Progress = Callable[[int, int, str], None]
STAGES = ("probe", "shots", "keyframes", "vision", "scenes", "reading")


@dataclass
class PipelineOptions:
    provider: str = "local"
    provider_config: dict = field(default_factory=dict)
    max_seconds: float | None = None
    shot_params: ShotParams = field(default_factory=ShotParams)
    scene_params: SceneParams = field(default_factory=SceneParams)


def _no_progress(done: int, total: int, note: str = "") -> None:
    pass


def video_analyse(
    path: Path, *, model, options: PipelineOptions = PipelineOptions(), progress: Progress = _no_progress
) -> dict:
    """Analyse a local file. Raises ``VideoRejected`` for bad input, ``ProviderError`` when the
    chosen provider cannot read a scene. ``model`` is a loaded ``ml.vision.ImageModel``."""
    progress(0, len(STAGES), "Probing the file")
    info = video_probe(path, max_duration=options.max_seconds)
    progress(
        1,
        len(STAGES),
        f"{info.width}x{info.height} {info.codec}, {info.fps:g} fps, " f"{info.duration:.1f} s; finding shots",
    )
    features = _features(path, info)
    kinds = boundaries_detect(features, options.shot_params)
    spans = shots_from_boundaries(list(kinds), features.count)
    progress(2, len(STAGES), f"{len(spans)} shots found; extracting keyframes")
    shots = _shots(path, info, features, spans, kinds)
    progress(3, len(STAGES), "Tagging keyframes")
    images = [s.pop("_image") for s in shots]
    for shot, image, pred in zip(shots, images, model.predict(images)):
        _describe_shot(shot, image, pred, model.names, features)
    progress(4, len(STAGES), "Grouping shots into scenes")
    groups = scenes_group(
        np.stack([s["embedding"] for s in shots]),
        [(s["start"], s["end"]) for s in shots],
        hists=features.hist[[s["keyframe"] for s in shots]],
        hard_breaks={i for i, s in enumerate(shots) if s["first"] in kinds and kinds[s["first"]].via_black},
        params=options.scene_params,
    )
    progress(5, len(STAGES), f"{len(groups)} scenes; reading them with {options.provider}")
    scenes = [_scene(i, g, shots, images, options) for i, g in enumerate(groups)]
    progress(6, len(STAGES), "Analysis complete")
    return {
        "info": info.as_dict(),
        "fps": info.fps,
        "frames": features.count,
        "shots": shots,
        "scenes": scenes,
        "provider": options.provider,
    }


def _features(path: Path, info: VideoInfo) -> FrameFeatures:
    try:
        features = features_from_file(
            path, fps=info.fps, width=info.width, height=info.height, expected=info.frames_estimate
        )
    except FFmpegError as exc:
        raise VideoRejected(f"The video could not be decoded: {exc}") from exc
    if features.count == 0:
        raise VideoRejected("The video has no frames that can be decoded.")
    if features.count < 0.5 * info.frames_estimate:
        raise VideoRejected(
            f"Only {features.count} of about {info.frames_estimate} frames could be decoded; "
            "the file looks truncated or damaged."
        )
    return features


def _describe_shot(shot: dict, image, pred, names: list[str], features: FrameFeatures) -> None:
    """The shot's vocabulary tags, embedding and attributes (faces are found once for both)."""
    faces = faces_find(image)
    signals = frame_signals(image, pred.probs, names, faces)
    shot["labels"], shot["embedding"] = tags_decide(signals), pred.embedding
    shot["attributes"] = shot_attributes(
        image=image,
        faces=faces,
        grey=features.gray[shot["first"] : shot["last"] + 1],
        fps=features.fps,
        signals=signals,
    )


def keyframe_pick(features: FrameFeatures, first: int, last: int) -> int:
    """The sharpest frame of the shot's middle half that is not a flash."""
    lo, hi = first + (last - first) // 4, last - (last - first) // 4
    frames = range(lo, hi + 1)
    luma = features.luma[first : last + 1]
    ceiling = float(np.median(luma)) + 30
    best, best_score = (first + last) // 2, -1.0
    for i in frames:
        if features.luma[i] > ceiling:
            continue
        score = float(cv2.Laplacian(features.gray[i], cv2.CV_32F).var())
        if score > best_score:
            best, best_score = i, score
    return best


def _shots(path, info, features, spans, kinds) -> list[dict]:
    fps = info.fps or 25.0
    picks = [keyframe_pick(features, a, b) for a, b in spans]
    scale = min(1.0, KEYFRAME_MAX_WIDTH / info.width)
    w, h = int(round(info.width * scale / 2) * 2), int(round(info.height * scale / 2) * 2)
    images = dict(zip(sorted(set(picks)), frames_read(path, width=w, height=h, select=picks)))
    shots = []
    for i, ((a, b), k) in enumerate(zip(spans, picks)):
        image = images.get(k)
        if image is None:  # the decoder stopped early: fall back to the nearest frame we have
            image = images[min(images, key=lambda x: abs(x - k))]
        motion = features.motion[a + 1 : b + 1]
        shots.append(
            {
                "index": i,
                "first": a,
                "last": b,
                "start": round(a / fps, 3),
                "end": round((b + 1) / fps, 3),
                "keyframe": k,
                "cut_in": kinds[a].kind if a in kinds else "start",
                "motion": round(float(min(1.0, motion.mean() / MOTION_FULL)) if motion.size else 0, 3),
                "keyframe_jpeg": jpeg_encode(image),
                "_image": image,
            }
        )
    return shots


def jpeg_encode(rgb: np.ndarray, quality: int = JPEG_QUALITY) -> bytes:
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    return buf.tobytes()


def _scene(index: int, group: list[int], shots: list[dict], images: list, options) -> dict:
    members = [shots[i] for i in group]
    chosen = _spread(group, SCENE_KEYFRAMES)
    pics = [images[i] for i in chosen]
    metrics = image_metrics(pics)
    metrics["motion"] = round(float(np.mean([s["motion"] for s in members])), 3)
    metrics["faces"] = max(s["attributes"]["faces"] for s in members)
    labels = _labels(members)
    palette = palette_extract(pics)
    duration = members[-1]["end"] - members[0]["start"]
    local = {"labels": labels, "palette": palette, "metrics": metrics}
    scene_in = {
        "keyframes": [shots[i]["keyframe_jpeg"] for i in chosen],
        "duration": duration,
        "shot_count": len(group),
        "local": local,
    }
    reading = scene_read(options.provider, scene_in, config=options.provider_config)
    embedding = np.mean([s["embedding"] for s in members], axis=0)
    return {
        "index": index,
        "shots": group,
        "start": members[0]["start"],
        "end": members[-1]["end"],
        "labels": labels,
        "palette": palette,
        "metrics": metrics,
        "reading": reading,
        "embedding": embedding / (np.linalg.norm(embedding) + 1e-8),
    }


def _spread(items: list[int], k: int) -> list[int]:
    if len(items) <= k:
        return list(items)
    idx = np.linspace(0, len(items) - 1, k).round().astype(int)
    return [items[i] for i in idx]


def _labels(shots: list[dict]) -> list[tuple[str, float]]:
    """Scene tags: every vocabulary tag one of its shots has, at its best confidence."""
    best: dict[str, float] = {}
    for shot in shots:
        for name, p in shot["labels"]:
            best[name] = max(best.get(name, 0.0), p)
    return sorted(best.items(), key=lambda x: -x[1])
