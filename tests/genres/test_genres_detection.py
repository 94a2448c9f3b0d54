import pytest

from apps.genres.ml.detection import Detection, DetectorUnavailable, detections_to_vector, detector_get


def test_the_default_detector_says_plainly_that_no_weights_are_available():
    detector = detector_get("none")
    ok, reason = detector.available()
    assert not ok and "No object-detector weights" in reason
    with pytest.raises(DetectorUnavailable):
        detector.detect(None)


def test_an_unknown_detector_name_falls_back_to_unavailable():
    assert detector_get("yolov99").available()[0] is False


def test_detections_become_a_fixed_size_vector():
    vec = detections_to_vector(
        [Detection("gun", 0.8, (0, 0, 0.5, 0.5)), Detection("cat", 0.9, (0, 0, 1, 1))], ("gun", "car")
    )
    assert vec.tolist() == [pytest.approx(0.8), 0.0, 0.25, 0.0]
