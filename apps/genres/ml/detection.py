"""Object-detection features for posters (YOLO / Faster R-CNN style) behind a small interface.

No detector weights ship with a pip package here and nothing may download at run time, so the
default extractor is ``UnavailableDetector``: it says so plainly and the models run without
detection features. A deployment that has weights registers an extractor under a name and selects
it with ``settings.GENRES_DETECTOR``; ``detections_to_vector`` turns its boxes into a fixed-size
feature (per-class max confidence and box area) that a head could take as a third modality.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol

import numpy as np


@dataclass(frozen=True)
class Detection:
    label: str
    confidence: float
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 as fractions of width/height


class DetectorUnavailable(RuntimeError):
    pass


class ObjectDetector(Protocol):
    name: str
    labels: tuple[str, ...]

    def available(self) -> tuple[bool, str]: ...

    def detect(self, image) -> list[Detection]: ...


class UnavailableDetector:
    name = "none"
    labels: tuple[str, ...] = ()
    REASON = (
        "No object-detector weights (YOLO / Faster R-CNN) are available offline on this "
        "install, so genre models run without object-detection features."
    )

    def available(self) -> tuple[bool, str]:
        return False, self.REASON

    def detect(self, image) -> list[Detection]:
        raise DetectorUnavailable(self.REASON)


_REGISTRY: dict[str, Callable[[], ObjectDetector]] = {"none": UnavailableDetector}


def detector_register(name: str, factory: Callable[[], ObjectDetector]) -> None:
    _REGISTRY[name] = factory


def detector_get(name: str | None = None) -> ObjectDetector:
    """The configured detector; an unknown name or a failing factory falls back to "unavailable"."""
    if name is None:
        try:
            from django.conf import settings

            name = getattr(settings, "GENRES_DETECTOR", "none") or "none"
        except Exception:
            name = "none"
    factory = _REGISTRY.get(name)
    try:
        return factory() if factory else UnavailableDetector()
    except Exception:  # weights missing on this machine: report unavailable, do not crash pages
        return UnavailableDetector()


def detections_to_vector(detections: list[Detection], labels: tuple[str, ...]) -> np.ndarray:
    index = {label: i for i, label in enumerate(labels)}
    vec = np.zeros(2 * len(labels), dtype=np.float32)
    for det in detections:
        i = index.get(det.label)
        if i is None:
            continue
        x0, y0, x1, y1 = det.box
        vec[i] = max(vec[i], det.confidence)
        vec[len(labels) + i] = max(vec[len(labels) + i], max(0.0, x1 - x0) * max(0.0, y1 - y0))
    return vec
