import http.server
import io
import threading

import pytest

from apps.core.net import DownloadError, UnsafeURL, http_download, url_validate


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


@pytest.mark.parametrize("url,message", [
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
])
def test_unsafe_urls_are_refused_with_a_clear_message(url, message, settings):
    settings.NET_ALLOW_LOOPBACK = False
    with pytest.raises(UnsafeURL, match=message):
        url_validate(url)


def test_loopback_is_allowed_only_when_the_setting_says_so(server, settings):
    settings.NET_ALLOW_LOOPBACK = False
    with pytest.raises(UnsafeURL):
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
    with pytest.raises(UnsafeURL, match="private or local"):
        http_download(f"{server}/to-private", dest=io.BytesIO(), max_bytes=10_000)
