import errno
import http.server
import io
import socket
import threading

import pytest
from django.core.exceptions import ImproperlyConfigured

from apps.core.net import (
    UNREACHABLE,
    AddressRefused,
    DownloadError,
    Unreachable,
    UnsafeURL,
    guarded,
    http_download,
    url_validate,
)
from tests.security.recorder import Recorder, closed_port


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/image.png":
            body = b"\x89PNG" + b"0" * 1000
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/page":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<html></html>")
        elif self.path == "/to-private":
            self.send_response(302)
            self.send_header("Location", "http://10.0.0.5/secret")
            self.end_headers()
        else:
            self.send_error(404)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


@pytest.mark.parametrize(
    "url,message",
    [
        ("ftp://example.com/x", "Only http"),
        ("file:///etc/passwd", "Only http"),
        ("http:///nohost", "no host"),
        ("http://user:pw@example.com/", "user name or password"),
        ("http://10.1.2.3/", "private or local"),
        ("http://192.168.0.1/", "private or local"),
        ("http://169.254.169.254/latest/meta-data", "private or local"),
        ("http://[::1]/", "private or local"),
        ("http://127.0.0.1:8000/", "private or local"),
        ("http://0.0.0.0/", "private or local"),
        ("http://no-such-host.invalid/", "could not be found"),
        ("http://example.com:99999/", "port must be a number"),
    ],
)
def test_unsafe_urls_are_refused_with_a_clear_message(url, message, settings):
    settings.NET_ALLOW_LOOPBACK = False
    with pytest.raises(UnsafeURL, match=message):
        url_validate(url)


def test_an_internal_name_is_refused_like_a_name_that_does_not_exist(settings):
    """A different answer for "private" and "not found" told a stranger which internal names exist."""
    settings.NET_ALLOW_LOOPBACK = False
    answers = []
    for host in ("localhost", "no-such-host.invalid"):
        with pytest.raises(UnsafeURL) as caught:
            url_validate(f"http://{host}/video.mp4")
        answers.append(str(caught.value).replace(repr(host), "HOST"))
    assert answers[0] == answers[1] and "private" not in answers[0]


def test_loopback_is_allowed_only_when_the_setting_says_so(server, settings):
    settings.NET_ALLOW_LOOPBACK = False
    with pytest.raises(Unreachable):
        http_download(f"{server}/image.png", dest=io.BytesIO(), max_bytes=10_000)
    settings.NET_ALLOW_LOOPBACK = True
    buffer = io.BytesIO()
    result = http_download(f"{server}/image.png", dest=buffer, max_bytes=10_000, content_types=("image/png",))
    assert result.size == 1004 and result.content_type == "image/png"
    assert buffer.getvalue().startswith(b"\x89PNG")


def test_downloads_enforce_size_type_status_and_redirect_targets(server, settings):
    settings.NET_ALLOW_LOOPBACK = True
    with pytest.raises(DownloadError, match="limit"):
        http_download(f"{server}/image.png", dest=io.BytesIO(), max_bytes=100)
    with pytest.raises(DownloadError, match="Expected image/png"):
        http_download(f"{server}/page", dest=io.BytesIO(), max_bytes=10_000, content_types=("image/png",))
    with pytest.raises(DownloadError, match="404"):
        http_download(f"{server}/missing", dest=io.BytesIO(), max_bytes=10_000)
    with pytest.raises(Unreachable):
        http_download(f"{server}/to-private", dest=io.BytesIO(), max_bytes=10_000)


# --- the guard: checked at connect time, this thread only ---------------


@pytest.fixture
def recorder():
    with Recorder() as rec:
        yield rec


def _connect(host, port, family=socket.AF_INET):
    """Connect and exchange one request, so the recorder has logged the hit on return."""
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.settimeout(2)
        sock.connect((host, port))
        sock.sendall(b"GET / HTTP/1.0\r\n\r\n")
        sock.recv(100)


@pytest.mark.parametrize(
    "host, family",
    [
        ("127.0.0.1", socket.AF_INET),
        ("127.0.0.2", socket.AF_INET),
        ("127.1", socket.AF_INET),
        ("2130706433", socket.AF_INET),
        ("0x7f000001", socket.AF_INET),
        ("0177.0.0.1", socket.AF_INET),
        ("0.0.0.0", socket.AF_INET),
        ("localhost", socket.AF_INET),
        ("::1", socket.AF_INET6),
        ("::ffff:127.0.0.1", socket.AF_INET6),
        ("2002:7f00:1::", socket.AF_INET6),
    ],
)
def test_the_guard_refuses_loopback_in_any_spelling_before_connecting(recorder, settings, host, family):
    settings.NET_ALLOW_LOOPBACK = False
    with guarded(), pytest.raises(AddressRefused):
        _connect(host, recorder.port, family)
    assert recorder.hits == []


@pytest.mark.parametrize(
    "host", ["169.254.169.254", "10.1.2.3", "192.168.0.1", "100.64.0.1", "224.0.0.1", "fe80::1", "fc00::1"]
)
def test_the_guard_refuses_private_link_local_and_reserved_peers(host):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with guarded(), socket.socket(family) as sock:
        assert sock.connect_ex((host, 80)) == errno.ECONNREFUSED
        with pytest.raises(AddressRefused):
            sock.connect((host, 80))


def test_the_guard_applies_to_the_guarded_thread_only(recorder, settings):
    settings.NET_ALLOW_LOOPBACK = False
    outcome = []
    with guarded():
        other = threading.Thread(target=lambda: outcome.append(_connect("127.0.0.1", recorder.port)))
        other.start()
        other.join()
        with pytest.raises(AddressRefused):
            _connect("127.0.0.1", recorder.port)
        with guarded(False):
            _connect("127.0.0.1", recorder.port)
    _connect("127.0.0.1", recorder.port)  # no guard outside the block
    assert outcome == [None] and len(recorder.hits) == 3


def test_net_allow_hosts_admits_exactly_the_named_host_and_port(recorder, settings):
    settings.NET_ALLOW_LOOPBACK = False
    settings.NET_ALLOW_HOSTS = [f"127.0.0.1:{recorder.port}"]
    with guarded():
        _connect("127.0.0.1", recorder.port)
        _connect("::ffff:127.0.0.1", recorder.port, socket.AF_INET6)
        for host, family in [("127.0.0.2", socket.AF_INET), ("::1", socket.AF_INET6)]:
            with pytest.raises(AddressRefused):
                _connect(host, recorder.port, family)
        with pytest.raises(AddressRefused):
            _connect("127.0.0.1", closed_port())
    settings.NET_ALLOW_HOSTS = ["localhost"]  # a name, every port
    with guarded():
        _connect("127.0.0.1", recorder.port)
    assert [address for address, _ in recorder.hits] == ["127.0.0.1"] * 3


@pytest.mark.parametrize("entry", ["http://a:b", "host:port", ":80", "::1:80", "a b"])
def test_a_malformed_net_allow_hosts_entry_is_a_configuration_error(settings, entry):
    settings.NET_ALLOW_HOSTS = [entry]
    with guarded(), pytest.raises(ImproperlyConfigured, match="NET_ALLOW_HOSTS"):
        socket.socket().connect(("10.0.0.1", 80))


def test_downloads_fail_with_one_message_for_refused_closed_and_unknown_hosts(recorder, settings):
    settings.NET_ALLOW_LOOPBACK = False
    settings.NET_ALLOW_HOSTS = [f"127.0.0.1:{recorder.port}"]
    urls = [
        f"http://127.0.0.2:{recorder.port}/x.mp4",
        f"http://[::1]:{recorder.port}/x.mp4",
        f"http://127.0.0.1:{closed_port()}/x.mp4",
        "http://no-such-host.invalid/x.mp4",
        "http://10.0.0.5/x.mp4",
    ]
    for url in urls:
        with pytest.raises(Unreachable) as caught:
            http_download(url, dest=io.BytesIO(), max_bytes=10_000, timeout=5)
        assert str(caught.value) == UNREACHABLE
    assert recorder.hits == []
    result = http_download(
        f"http://127.0.0.1:{recorder.port}/x.mp4", dest=io.BytesIO(), max_bytes=10_000
    )  # the named host:port is reached
    assert result.content_type == "video/mp4" and len(recorder.hits) == 1
