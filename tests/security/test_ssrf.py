"""SSRF: no outbound connection reaches the internal network.

A page server stands for the allowed public site (``NET_ALLOW_HOSTS`` names exactly its
host:port; ``NET_ALLOW_LOOPBACK`` is off); a recording server on another port of 127.0.0.1,
127.0.0.2 and ::1 stands for the internal network and must log zero hits. The real analysis
job runs through a real RQ worker (in-process, where Python's audit hook also shows that no
other address was even tried, and the production forking worker), then the poster job, the
scene-reader providers and Notion. Open and closed internal ports give one neutral message.
"""

from urllib.parse import parse_qs, quote, urlsplit

import pytest

from apps.adstudio import services
from apps.adstudio.integrations.notion import NotionConfig, NotionError, notion_export
from apps.adstudio.integrations.ytdlp import UNREACHABLE
from apps.adstudio.providers import ProviderError, scene_read
from apps.adstudio.providers.base import HttpConfig
from apps.core.models import Job
from apps.core.net import UNREACHABLE as FILE_UNREACHABLE
from apps.movies.services import movie_create
from tests.adstudio.fakes import FakeServer
from tests.security.recorder import Recorder, closed_port, connect_attempts

pytestmark = pytest.mark.django_db(transaction=True)

LOOPBACK_SPELLINGS = [
    "127.0.0.1",
    "127.0.0.2",
    "127.1",
    "2130706433",
    "0x7f000001",
    "0177.0.0.1",
    "0.0.0.0",
    "[::1]",
    "[::ffff:127.0.0.1]",
    "localhost",
]
UNROUTED = ["169.254.169.254", "10.0.0.7", "192.168.1.20"]  # nothing listens there: audit shows
MEDIASITE = "/Mediasite/Play/0123456789abcdef0123456789abcdef"  # an iframe yt-dlp follows
PAGES = {
    "video": '<video src="{target}"></video>',
    "source": '<video controls><source src="{target}" type="video/mp4"></video>',
    "og_video": '<meta property="og:video" content="{target}">',
    "iframe": '<iframe src="{origin}' + MEDIASITE + '"></iframe>',
    "meta_refresh": '<meta http-equiv="refresh" content="0; url={target}">',
    "redirect_from_page": '<video src="/hop/307?to={quoted}"></video>',
    "hls_fragments": '<video src="/list.m3u8?to={quoted}"></video>',
    "hls_only_ffmpeg_reads": '<video src="/list.m3u8?aes=1&to={quoted}"></video>',
}


def _playlist(target: str, aes: bool) -> str:
    # SAMPLE-AES is beyond yt-dlp's native HLS downloader: it would hand the list to ffmpeg.
    key = f'#EXT-X-KEY:METHOD=SAMPLE-AES,URI="{target}.key"\n' if aes else ""
    return (
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n"
        f"{key}#EXTINF:2.0,\n{target}\n#EXT-X-ENDLIST\n"
    )


def _site(request):
    """The allowed public site: pages, playlists and redirects that point wherever ``to`` says."""
    parts = urlsplit(request["path"])
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    target = query.get("to", "")
    if parts.path.startswith("/hop/"):
        return int(parts.path.rsplit("/", 1)[1]), {"Location": target}, ""
    if parts.path == "/list.m3u8":
        playlist = _playlist(target, "aes" in query)
        return 200, {"Content-Type": "application/vnd.apple.mpegurl"}, playlist
    if parts.path.startswith("/page/"):
        body = PAGES[parts.path.rsplit("/", 1)[1]].format(
            target=target, quoted=quote(target, safe=""), origin=target.rsplit("/", 1)[0]
        )
        return 200, {"Content-Type": "text/html"}, f"<html><head><title>Spot</title>{body}</head>"
    return 404, {"Content-Type": "text/plain"}, "not found"


@pytest.fixture
def recorder():
    with Recorder() as rec:
        yield rec


@pytest.fixture
def site(settings, tmp_path):
    """The page server, the only loopback host:port outbound connections may reach."""
    with FakeServer(_site) as server:
        settings.NET_ALLOW_LOOPBACK = False
        settings.NET_ALLOW_HOSTS = [f"127.0.0.1:{server.httpd.server_address[1]}"]
        settings.MEDIA_ROOT = str(tmp_path / "media")
        yield server


def _page(site, kind: str, target: str) -> str:
    return f"{site.url}/page/{kind}?to={quote(target, safe='')}"


def _analyse(user, url: str):
    video = services.video_create_from_url(owner=user, url=url)
    return services.analysis_start(owner=user, video=video)


def _errors(analyses) -> list[str]:
    jobs = [Job.objects.get(pk=a.job_id) for a in analyses]
    assert all(job.status == Job.Status.FAILED for job in jobs), [j.error for j in jobs]
    return [job.error for job in jobs]


def _only_the_site(attempts, site) -> set:
    return {a for a in attempts if a != ("127.0.0.1", site.httpd.server_address[1])}


@pytest.mark.parametrize("kind", PAGES)
def test_a_page_pointing_inside_reaches_nothing_and_open_or_closed_ports_read_the_same(
    user, site, recorder, run_jobs, kind
):
    analyses = [
        _analyse(user, _page(site, kind, f"http://127.0.0.1:{port}/secret.mp4"))
        for port in (recorder.port, closed_port())
    ]
    with connect_attempts() as attempts:
        run_jobs()
    assert recorder.hits == [] and _only_the_site(attempts, site) == set()
    assert _errors(analyses) == [UNREACHABLE, UNREACHABLE]


def test_no_spelling_of_a_loopback_or_private_address_is_reached_from_a_page(user, site, recorder, run_jobs):
    hosts = LOOPBACK_SPELLINGS + UNROUTED
    analyses = [_analyse(user, _page(site, "video", f"http://{host}:{recorder.port}/secret.mp4")) for host in hosts]
    with connect_attempts() as attempts:
        run_jobs()
    assert recorder.hits == [] and _only_the_site(attempts, site) == set()
    assert _errors(analyses) == [UNREACHABLE] * len(hosts)


@pytest.mark.parametrize("chain", ["/hop/301", "/hop/302", "/hop/307", "/hop/308", "/hop/301?to=/hop/308"])
def test_a_redirect_chain_from_the_submitted_url_reaches_nothing(user, site, recorder, run_jobs, chain):
    def url(target):
        first, _, rest = chain.partition("?to=")
        inner = f"{rest}?to={quote(target, safe='')}" if rest else target
        return f"{site.url}{first}?to={quote(inner, safe='')}"

    analyses = [_analyse(user, url(f"http://127.0.0.1:{port}/secret.mp4")) for port in (recorder.port, closed_port())]
    with connect_attempts() as attempts:
        run_jobs()
    assert recorder.hits == [] and _only_the_site(attempts, site) == set()
    assert _errors(analyses) == [UNREACHABLE, UNREACHABLE]


def test_the_forking_video_worker_reaches_nothing_either(user, site, recorder, run_jobs):
    port = recorder.port
    urls = [
        _page(site, "video", f"http://0.0.0.0:{port}/secret.mp4"),
        _page(site, "og_video", f"http://[::ffff:127.0.0.1]:{port}/secret.mp4"),
        _page(site, "hls_only_ffmpeg_reads", f"http://127.0.0.1:{port}/secret.ts"),
        f"{site.url}/hop/308?to={quote(f'http://[::1]:{port}/secret.mp4', safe='')}",
    ]
    analyses = [_analyse(user, url) for url in urls]
    run_jobs(["video"], forking=True)
    assert recorder.hits == []
    assert _errors(analyses) == [UNREACHABLE] * len(urls)


def test_a_poster_url_inside_reaches_nothing_and_reads_the_same_open_or_closed(user, site, recorder, run_jobs):
    targets = [
        f"http://127.0.0.1:{recorder.port}/poster.png",
        f"http://127.0.0.1:{closed_port()}/poster.png",
        f"http://[::1]:{recorder.port}/poster.png",
        f"{site.url}/hop/302?to={quote(f'http://127.0.0.2:{recorder.port}/p.png', safe='')}",
        "http://169.254.169.254/latest/meta-data/poster.png",
    ]
    for i, url in enumerate(targets):
        movie_create(created_by=user, title=f"SSRF {i}", poster_url=url)
    with connect_attempts() as attempts:
        run_jobs()
    jobs = Job.objects.filter(kind="movies.poster_fetch").order_by("pk")
    assert recorder.hits == [] and _only_the_site(attempts, site) == set()
    assert [(job.status, job.error) for job in jobs] == [("failed", FILE_UNREACHABLE)] * 5


@pytest.mark.parametrize("provider", ["openai", "anthropic", "gemini"])
def test_a_provider_base_url_inside_is_refused_without_a_connection(settings, recorder, provider):
    settings.NET_ALLOW_LOOPBACK = False
    config = {provider: {"api_key": "k", "base_url": f"http://127.0.0.2:{recorder.port}"}}
    scene = {"keyframes": [b"\xff\xd8jpeg"], "duration": 1.0, "shot_count": 1, "local": {}}
    fast = HttpConfig(timeout=2, attempts=2, backoff=0.01, max_wait=0.01)
    with pytest.raises(ProviderError, match="NET_ALLOW_HOSTS"):
        scene_read(provider, scene, config=config, http=fast)
    assert recorder.hits == []
    settings.NET_ALLOW_HOSTS = [f"127.0.0.2:{recorder.port}"]  # an operator allows that host
    with pytest.raises(ProviderError, match="not JSON"):
        scene_read(provider, scene, config=config, http=fast)
    assert len(recorder.hits) == 1


def test_a_notion_base_url_inside_is_refused_without_a_connection(settings, recorder):
    settings.NET_ALLOW_LOOPBACK = False
    config = NotionConfig(token="secret_t", database_id="db", min_interval=0, base_url=f"http://[::1]:{recorder.port}")
    with pytest.raises(NotionError, match="NET_ALLOW_HOSTS"):
        notion_export(config, {"title": "x", "blocks": []})
    assert recorder.hits == []


UPLOADED_LISTS = {  # a "video" upload that is really a list of URLs for ffmpeg to open
    "hls": "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n"
    "#EXTINF:2.0,\n{target}\n#EXT-X-ENDLIST\n",
    "ffconcat": "ffconcat version 1.0\nfile {target}\n",
}


@pytest.mark.parametrize("suffix", [".mp4", ".mkv"])
@pytest.mark.parametrize("kind", UPLOADED_LISTS)
def test_an_uploaded_playlist_makes_ffmpeg_reach_nothing(user, settings, tmp_path, recorder, run_jobs, kind, suffix):
    """Beyond the probe: ffmpeg reads every upload and opens what a playlist (HLS, ffconcat)
    names. Our ffmpeg calls allow only file and pipe input, whatever ffmpeg's own checks do."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = str(tmp_path / "media")
    body = UPLOADED_LISTS[kind].format(target=f"http://127.0.0.1:{recorder.port}/secret.ts")
    video = services.video_create_from_upload(
        owner=user, upload=SimpleUploadedFile(f"clip{suffix}", body.encode(), "video/mp4")
    )
    analysis = services.analysis_start(owner=user, video=video)
    run_jobs()
    assert recorder.hits == []
    job = Job.objects.get(pk=analysis.job_id)
    assert job.status == Job.Status.FAILED and "127.0.0.1" not in job.error
