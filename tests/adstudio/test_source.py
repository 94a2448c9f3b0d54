import pytest

from apps.adstudio.integrations.ytdlp import DownloadFailed, download
from tests.adstudio.fakes import file_server


@pytest.fixture(autouse=True)
def loopback_allowed(settings):
    settings.NET_ALLOW_LOOPBACK = True  # the fake servers listen on 127.0.0.1


def test_ytdlp_downloads_a_video_from_a_local_server(tmp_path, clips):
    path, _ = clips("cuts", 1)
    with file_server({"/clip.mp4": path.read_bytes()}) as server:
        result = download(f"{server.url}/clip.mp4", tmp_path / "dl", max_bytes=10 * 2**20, max_seconds=600)
    assert result["path"].read_bytes() == path.read_bytes()


def test_ytdlp_reports_a_404_clearly(tmp_path):
    with file_server({}) as server:
        with pytest.raises(DownloadFailed, match="HTTP 404"):
            download(f"{server.url}/missing.mp4", tmp_path / "dl", max_bytes=2**20, max_seconds=600)


def test_ytdlp_refuses_a_file_over_the_size_limit(tmp_path, clips):
    path, _ = clips("cuts", 1)
    with file_server({"/clip.mp4": path.read_bytes()}) as server:
        with pytest.raises(DownloadFailed, match="larger than"):
            download(f"{server.url}/clip.mp4", tmp_path / "dl", max_bytes=1000, max_seconds=600)
