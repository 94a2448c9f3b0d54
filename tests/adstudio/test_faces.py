from apps.adstudio.ml.faces import scan_windows
from apps.adstudio.ml.look import face_scan_windows


def test_a_keyframe_costs_the_face_finder_under_half_the_320_wide_scan():
    # A keyframe's cost is the windows its scales hold; the finder used to scan a 320-wide copy.
    assert scan_windows((180, 320)) > 60_000
    assert face_scan_windows(360, 640) < scan_windows((180, 320)) / 2
    assert face_scan_windows(204, 480) < scan_windows((136, 320)) / 2
    assert face_scan_windows(1080, 1920) == face_scan_windows(360, 640)


def test_a_picture_narrower_than_the_scan_is_scanned_as_it_is():
    assert face_scan_windows(120, 160) == scan_windows((120, 160))
    assert face_scan_windows(20, 30) == 0
