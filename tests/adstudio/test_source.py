import pytest

from apps.adstudio.integrations.ytdlp import DownloadFailed, download
from apps.adstudio.video.ffmpeg import ffmpeg_exe
from apps.adstudio.video.source import SourceLimits, SourceRejected, url_check
from tests.adstudio.fakes import file_server


def resolver(mapping):
    return lambda host: mapping[host]


@pytest.mark.parametrize("address", [
    "10.0.0.5", "192.168.1.2", "172.16.0.1", "127.0.0.1", "169.254.169.254", "::1",
    "fe80::1", "0.0.0.0", "100.64.0.1", "::ffff:10.0.0.1",
])
def test_it_refuses_hosts_that_resolve_to_private_or_local_addresses(address):
    with pytest.raises(SourceRejected, match="private or local"):
        url_check("http://videos.example/a.mp4", resolver=resolver({"videos.example": [address]}))


def test_one_private_address_among_public_ones_is_enough_to_refuse():
    with pytest.raises(SourceRejected):
        url_check("https://cdn.example/a.mp4",
                  resolver=resolver({"cdn.example": ["93.184.216.34", "10.1.2.3"]}))


def test_it_accepts_public_http_and_https_urls():
    ok = resolver({"cdn.example": ["93.184.216.34"]})
    assert url_check("https://cdn.example/a.mp4", resolver=ok) == "https://cdn.example/a.mp4"


@pytest.mark.parametrize("url", ["ftp://cdn.example/a.mp4", "file:///etc/passwd",
                                 "javascript:alert(1)", "", "http://user:pw@cdn.example/a"])
def test_it_refuses_other_schemes_and_credentials(url):
    with pytest.raises(SourceRejected):
        url_check(url, resolver=resolver({"cdn.example": ["93.184.216.34"]}))


def test_loopback_is_allowed_only_when_the_setting_says_so():
    local = resolver({"localhost": ["127.0.0.1"]})
    with pytest.raises(SourceRejected):
        url_check("http://localhost:8000/a.mp4", resolver=local)
    allowed = SourceLimits(allow_loopback=True)
    assert url_check("http://localhost:8000/a.mp4", limits=allowed, resolver=local)


def test_ytdlp_downloads_a_video_from_a_local_server(tmp_path, clips):
    path, _ = clips("cuts", 1)
    with file_server({"/clip.mp4": path.read_bytes()}) as server:
        result = download(f"{server.url}/clip.mp4", tmp_path / "dl", max_bytes=10 * 2**20,
                          max_seconds=600, ffmpeg_location=ffmpeg_exe())
    assert result["path"].read_bytes() == path.read_bytes()


def test_ytdlp_reports_a_404_clearly(tmp_path):
    with file_server({}) as server:
        with pytest.raises(DownloadFailed, match="HTTP 404"):
            download(f"{server.url}/missing.mp4", tmp_path / "dl", max_bytes=2**20,
                     max_seconds=600, ffmpeg_location=ffmpeg_exe())


def test_ytdlp_refuses_a_file_over_the_size_limit(tmp_path, clips):
    path, _ = clips("cuts", 1)
    with file_server({"/clip.mp4": path.read_bytes()}) as server:
        with pytest.raises(DownloadFailed, match="larger than"):
            download(f"{server.url}/clip.mp4", tmp_path / "dl", max_bytes=1000,
                     max_seconds=600, ffmpeg_location=ffmpeg_exe())
