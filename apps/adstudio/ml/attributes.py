"""Shot attributes that need no classifier: scale, camera motion, light and palette. Pure.

* **scale** from the largest face's height (close-up at ``CLOSE_FACE`` of the frame height or
  more, medium from ``MEDIUM_FACE``), else from the subject's area: the largest connected
  region whose colours are not the frame border's (the background usually runs off the edges,
  a subject usually does not); close-up from ``CLOSE_AREA`` of the frame, medium from
  ``MEDIUM_AREA``, wide below.
* **camera** from ``camera.camera_motion`` on the shot's analysis thumbnails.
* **brightness** (mean HSV value, 0..1) and **light**: ``night`` when the night measurement
  passes the vocabulary's threshold, ``day`` when the picture is lit (brightness at least
  ``DAY_MIN``), ``dark`` otherwise (a dim interior is neither day nor night).
* **palette**: the keyframe's three main colours with their shares and colour words.
"""

from __future__ import annotations

import cv2
import numpy as np

from .camera import camera_motion
from .look import colour_name, palette_extract
from .vocabulary import rule_threshold

CLOSE_FACE, MEDIUM_FACE = 0.3, 0.12
CLOSE_AREA, MEDIUM_AREA = 0.5, 0.2
DAY_MIN = 0.3
_SIDE = 96  # the subject is measured on a copy this wide
_EDGE = 60.0  # Sobel magnitude (Lab, blurred) that separates regions

# Korean names of the attribute words (and of the palette's colour words, ``look.colour_name``)
# and the words, English and Korean, a user may type for each; read by search (``ml/terms.py``)
# like the tags' ``vocabulary.WORDS``. 푸른 is blue or green, so it is listed under both.
WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "scale": {
        "close-up": ("클로즈업", "closeup, close up, close shot, extreme close-up, detail shot, 근접 촬영, 근접"),
        "medium": ("미디엄 숏", "medium shot, mid shot, waist shot, 미디엄, 미디엄숏, 바스트 숏, 바스트숏"),
        "wide": ("와이드 숏", "wide shot, long shot, establishing shot, full shot, 와이드, 롱 숏, 롱숏, 풀숏, 원경"),
    },
    "camera": {
        "static": ("고정 카메라", "still camera, fixed camera, locked-off, tripod, 고정, 고정된, 정지, 삼각대"),
        "pan": ("패닝", "panning, pans, 팬, 좌우 이동"),
        "tilt": ("틸트", "tilting, tilts, 상하 이동"),
        "zoom": ("줌", "zooming, zoom in, zoom out, 줌인, 줌아웃, 확대"),
        "handheld": ("핸드헬드", "hand-held, shaky, shaking camera, 들고 찍은, 흔들리는"),
    },
    "light": {
        "day": ("낮", "daytime, daylight, sunlight, sunny, 주간, 대낮, 햇빛, 햇살"),
        "night": ("밤", "nighttime, 야간, 한밤"),
        "dark": ("어두운", "dim, gloomy, shadowy, darkness, 어둠, 어둑한, 캄캄한, 깜깜한"),
    },
    "colour": {
        "black": ("검은색", "검은, 검정, 검정색, 까만, 까만색, 흑색"),
        "white": ("흰색", "흰, 하얀, 하얀색, 하양, 백색"),
        "grey": ("회색", "gray, 잿빛, 회색빛"),
        "red": ("빨간색", "빨간, 빨강, 붉은, 붉은색, 적색"),
        "orange": ("주황색", "주황, 주황빛, 오렌지색, 오렌지빛"),
        "yellow": ("노란색", "노란, 노랑, 황색, 노랗게"),
        "green": ("초록색", "초록, 녹색, 푸른, 초록빛"),
        "cyan": ("청록색", "청록, 하늘색"),
        "blue": ("파란색", "파란, 파랑, 푸른, 청색, 남색, 파란빛"),
        "purple": ("보라색", "violet, 보라, 자주색, 보랏빛"),
        "pink": ("분홍색", "분홍, 핑크, 분홍빛"),
        "brown": ("갈색", "갈색빛, 밤색, 고동색"),
    },
}


def subject_area(img: np.ndarray) -> float:
    """Share of the frame taken by the largest region the background does not reach.

    Background is what connects to the frame border without crossing an edge (the
    boundary-connectivity prior of salient-object detection): on a blurred small copy, the
    regions of weak colour gradient that hold most of the frame's border.
    """
    h, w = img.shape[:2]
    small = cv2.resize(img, (_SIDE, max(8, round(h * _SIDE / w))), interpolation=cv2.INTER_AREA)
    lab = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_RGB2LAB).astype(np.float32), (0, 0), 1.5)
    gx, gy = cv2.Sobel(lab, cv2.CV_32F, 1, 0), cv2.Sobel(lab, cv2.CV_32F, 0, 1)
    flat = (np.sqrt((gx**2 + gy**2).sum(axis=-1)) < _EDGE).astype(np.uint8)
    count, labels = cv2.connectedComponents(flat, connectivity=4)
    rim = np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]])
    rim_share = np.bincount(rim[rim > 0], minlength=count) / rim.size
    # A subject may touch the frame (shoulders at the bottom of a close-up): background is the
    # flat region with the most frame border, and any other holding 40 % of it.
    keep = (rim_share >= 0.4) | (rim_share == rim_share.max())
    keep[0] = False
    background = keep[labels] & flat.astype(bool)
    subject = cv2.morphologyEx((~background).astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(subject, connectivity=8)
    if count <= 1:
        return 0.0
    return round(float(stats[1:, cv2.CC_STAT_AREA].max()) / subject.size, 4)


def shot_scale(img: np.ndarray, faces: list[tuple[int, int, int, int]]) -> str:
    """close-up / medium / wide, from the largest face or else the subject's area."""
    if faces:
        share = max(f[3] for f in faces) / img.shape[0]
        return "close-up" if share >= CLOSE_FACE else "medium" if share >= MEDIUM_FACE else "wide"
    area = subject_area(img)
    return "close-up" if area >= CLOSE_AREA else "medium" if area >= MEDIUM_AREA else "wide"


def shot_attributes(*, image: np.ndarray, faces: list, grey: np.ndarray, fps: float, signals: dict) -> dict:
    """Everything above for one shot: ``image`` its RGB keyframe, ``faces`` the faces found in
    it, ``grey`` its analysis thumbnails ``(N, h, w)``, ``signals`` the keyframe's
    measurements (``look.look_signals``)."""
    hsv = cv2.cvtColor(image, cv2.COLOR_RGB2HSV)
    brightness = round(float(hsv[..., 2].mean()) / 255, 3)
    if signals.get("night", 0.0) >= rule_threshold("night", "night"):
        light = "night"
    else:
        light = "day" if brightness >= DAY_MIN else "dark"
    palette = [dict(c, name=colour_name(c["hex"])) for c in palette_extract([image], k=3)]
    motion = camera_motion(grey, fps)
    return {
        "scale": shot_scale(image, faces),
        "camera": motion.pop("camera"),
        "camera_detail": motion,
        "faces": len(faces),
        "brightness": brightness,
        "light": light,
        "palette": palette,
    }
