import io

import numpy as np
from PIL import Image

from apps.genres.ml.images import image_to_array, poster_open


def _jpeg(w=40, h=60) -> bytes:
    buf = io.BytesIO()
    Image.fromarray((np.random.default_rng(0).random((h, w, 3)) * 255).astype(np.uint8)).save(buf, "JPEG")
    return buf.getvalue()


def test_it_opens_a_valid_poster_from_bytes_and_paths(tmp_path):
    assert poster_open(_jpeg()).image.size == (40, 60)
    path = tmp_path / "p.jpg"
    path.write_bytes(_jpeg())
    assert poster_open(path).image.mode == "RGB"


def test_a_missing_file_is_no_poster_with_a_reason(tmp_path):
    load = poster_open(tmp_path / "nope.jpg")
    assert load.image is None and "not found" in load.reason


def test_a_corrupt_image_is_no_poster_with_a_reason():
    load = poster_open(b"\xff\xd8\xff\xe0 this is not a jpeg at all" * 10)
    assert load.image is None and "not a readable image" in load.reason


def test_a_truncated_jpeg_is_no_poster():
    assert poster_open(_jpeg()[:200]).image is None


def test_a_file_over_the_byte_limit_is_refused_before_decoding(tmp_path):
    path = tmp_path / "big.jpg"
    path.write_bytes(_jpeg() + b"\0" * 5000)
    load = poster_open(path, max_bytes=4000)
    assert load.image is None and "larger than" in load.reason


def test_a_decompression_bomb_is_refused():
    buf = io.BytesIO()
    Image.new("L", (4000, 4000)).save(buf, "PNG")  # tiny file, 16 M pixels
    load = poster_open(buf.getvalue(), max_pixels=1_000_000)
    assert load.image is None and "pixels" in load.reason


def test_image_to_array_normalises_to_chw():
    arr = image_to_array(Image.new("RGB", (30, 50), (255, 0, 127)), 32, (0.5,) * 3, (0.5,) * 3)
    assert arr.shape == (3, 32, 32)
    assert np.allclose(arr[0], 1.0) and np.allclose(arr[1], -1.0)
