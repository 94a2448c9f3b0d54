"""Fetching untrusted URLs safely (poster URLs, video URLs, anything a user types).

- Only http(s). Every connection, redirects included, resolves the host itself and refuses
  private, loopback, link-local, multicast, reserved and unspecified addresses; the socket is
  opened to the address that was checked, so DNS cannot answer differently between the check
  and the connection. `settings.NET_ALLOW_LOOPBACK` admits 127.0.0.0/8 and ::1 (tests, local use).
- Downloads stream to a file object with a byte limit and an optional content-type allow-list.
"""
import http.client
import ipaddress
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from apps.core.errors import ApplicationError


class UnsafeURL(ApplicationError):
    def __init__(self, message: str):
        super().__init__(message, code="unsafe_url", status=400)


class DownloadError(ApplicationError):
    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message, code="download_failed", status=status)


@dataclass(frozen=True)
class Download:
    url: str  # final URL after redirects
    content_type: str
    size: int


def url_validate(url: str) -> str:
    """Checks the URL's form and that its host resolves only to public addresses."""
    parts = urlsplit((url or "").strip())
    if parts.scheme not in ("http", "https"):
        raise UnsafeURL("Only http:// and https:// URLs are accepted.")
    if not parts.hostname:
        raise UnsafeURL("The URL has no host name.")
    if parts.username or parts.password:
        raise UnsafeURL("URLs with a user name or password are not accepted.")
    resolve_public(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    return parts.geturl()


def resolve_public(host: str, port: int) -> str:
    """Returns one address of `host` after checking that every address it has is public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise UnsafeURL(f"The host {host!r} could not be found.") from None
    addresses = [info[4][0] for info in infos]
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if _is_forbidden(ip):
            raise UnsafeURL(
                f"The host {host!r} resolves to a private or local address ({ip}); "
                "only public internet addresses can be fetched."
            )
    return addresses[0]


def _is_forbidden(ip) -> bool:
    if getattr(ip, "ipv4_mapped", None):
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return not settings.NET_ALLOW_LOOPBACK
    return (ip.is_private or ip.is_link_local or ip.is_multicast or ip.is_reserved
            or ip.is_unspecified or not ip.is_global)


class _CheckedHTTPConnection(http.client.HTTPConnection):
    def connect(self):
        address = resolve_public(self.host, self.port)
        self.sock = socket.create_connection((address, self.port), self.timeout)


class _CheckedHTTPSConnection(http.client.HTTPSConnection):
    def connect(self):
        address = resolve_public(self.host, self.port)
        sock = socket.create_connection((address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class _CheckedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_CheckedHTTPConnection, req)


class _CheckedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_CheckedHTTPSConnection, req, context=self._context)


class _RedirectHandler(urllib.request.HTTPRedirectHandler):
    max_redirections = 5

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        url_validate(newurl)  # form check; the connection re-checks the address
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener():
    return urllib.request.build_opener(_CheckedHTTPHandler, _CheckedHTTPSHandler, _RedirectHandler)


def http_download(url: str, *, dest, max_bytes: int, content_types: tuple[str, ...] = (),
                  timeout: float = 20.0) -> Download:
    """Streams `url` into the binary file object `dest`.

    Raises UnsafeURL for a refused address, DownloadError for HTTP errors, a disallowed content
    type, a body over `max_bytes`, or a network failure. `dest` may hold a partial body then:
    callers write to a temporary file and keep it only on success.
    """
    url = url_validate(url)
    request = urllib.request.Request(url, headers={"User-Agent": "CineScent/1.0"})
    try:
        response = _opener().open(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        raise DownloadError(f"The server answered {exc.code} {exc.reason} for {url}.") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, UnsafeURL):
            raise exc.reason from None
        raise DownloadError(f"Could not reach {url}: {exc.reason}.") from None
    except (TimeoutError, OSError) as exc:
        raise DownloadError(f"Could not reach {url}: {exc}.") from None
    with response:
        content_type = (response.headers.get_content_type() or "").lower()
        if content_types and content_type not in content_types:
            raise DownloadError(
                f"Expected {', '.join(content_types)} but the server sent {content_type or 'no type'}."
            )
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise DownloadError(f"The file is {int(declared)} bytes; the limit is {max_bytes}.")
        size = 0
        while chunk := response.read(64 * 1024):
            size += len(chunk)
            if size > max_bytes:
                raise DownloadError(f"The file is larger than the limit of {max_bytes} bytes.")
            dest.write(chunk)
    return Download(url=response.geturl(), content_type=content_type, size=size)
