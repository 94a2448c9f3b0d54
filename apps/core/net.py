"""Fetching untrusted URLs safely (poster URLs, video URLs, anything a user types).

- One guarded way out: inside ``with guarded():`` every IPv4/IPv6 ``connect()`` of the current
  thread resolves its host itself, checks the address it is about to reach and refuses
  private, loopback, link-local, multicast, reserved and unspecified ones (IPv4-mapped and
  6to4 forms included) with ``AddressRefused``; the socket then connects to that checked
  address, so DNS cannot answer differently between the check and the connection. It works
  below every client library (urllib, yt-dlp, httpx), so redirects and every URL an
  extractor finds are checked where the socket opens. Other threads are not affected: a job's
  heartbeat thread keeps talking to the database and Redis on private addresses.
- ``settings.NET_ALLOW_LOOPBACK`` admits 127.0.0.0/8 and ::1 (tests, local use);
  ``settings.NET_ALLOW_HOSTS`` admits named hosts (``host`` or ``host:port``) an operator
  runs inside the network (an LLM gateway, tests' page server).
- Downloads stream to a file object with a byte limit and an optional content-type allow-list.
  A refused address, a refused, reset or timed-out connection and an unknown host all give one
  neutral error (``Unreachable``), so the answers cannot be used to map an internal network.
"""

import _socket
import contextvars
import errno
import http.client
import ipaddress
import logging
import re
import socket
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from apps.core.errors import ApplicationError

logger = logging.getLogger(__name__)
UNREACHABLE = "The file could not be fetched from that URL. Check that it is a public web " "address."


class UnsafeURL(ApplicationError):
    def __init__(self, message: str):
        super().__init__(message, code="unsafe_url", status=400)


class DownloadError(ApplicationError):
    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message, code="download_failed", status=status)


class Unreachable(DownloadError):
    """Refused address, refused, reset or timed-out connection, unknown host: one message."""

    def __init__(self):
        super().__init__(UNREACHABLE)


class AddressRefused(ConnectionRefusedError):
    """The guard refused a connection (an OSError, so client libraries treat it as one)."""


@dataclass(frozen=True)
class Download:
    url: str  # final URL after redirects
    content_type: str
    size: int


def url_validate(url: str) -> str:
    """Checks the URL's form and that its host resolves only to public addresses."""
    parts = _url_parts(url)
    resolve_public(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    return parts.geturl()


def _url_parts(url: str):
    """The URL split, after the checks that need no network (scheme, host, credentials, port)."""
    parts = urlsplit((url or "").strip())
    if parts.scheme not in ("http", "https"):
        raise UnsafeURL("Only http:// and https:// URLs are accepted.")
    if not parts.hostname:
        raise UnsafeURL("The URL has no host name.")
    if parts.username or parts.password:
        raise UnsafeURL("URLs with a user name or password are not accepted.")
    try:
        parts.port
    except ValueError:
        raise UnsafeURL("The URL's port must be a number from 1 to 65535.") from None
    return parts


def resolve_public(host: str, port: int) -> str:
    """Returns one address of `host` after checking that every address it has is public."""
    # A name that resolves only inside this network gets the same answer as a name that does
    # not resolve at all: otherwise the form would tell a stranger which internal names exist.
    not_found = f"The host {host!r} could not be found on the public internet."
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise UnsafeURL(not_found) from None
    addresses = [info[4][0] for info in infos]
    for address in addresses:
        if not address_allowed(address, port):
            if not _is_ip_literal(host):
                raise UnsafeURL(not_found)
            raise UnsafeURL(
                f"The host {host!r} is a private or local address; only public " "internet addresses can be fetched."
            )
    return addresses[0]


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return False
    return True


def address_allowed(address: str, port: int) -> bool:
    """Whether a connection to this numeric address and port may be opened."""
    ip = ipaddress.ip_address(address.split("%")[0])
    return not _is_forbidden(ip) or _is_allowed_host(ip, port)


def _is_forbidden(ip) -> bool:
    if ip.version == 6 and ip.ipv4_mapped:  # ::ffff:a.b.c.d reaches a.b.c.d
        return _is_forbidden(ip.ipv4_mapped)
    if ip.version == 6 and ip.sixtofour and _is_forbidden(ip.sixtofour):  # 2002:aabb:ccdd::
        return True
    if ip.is_loopback:
        return not settings.NET_ALLOW_LOOPBACK
    return (
        ip.is_private or ip.is_link_local or ip.is_multicast or ip.is_reserved or ip.is_unspecified or not ip.is_global
    )


_ALLOW_ENTRY = re.compile(r"(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+)(?::(?P<port>\d{1,5}))?")


def _is_allowed_host(ip, port: int) -> bool:
    """Whether ``settings.NET_ALLOW_HOSTS`` names this address (and port, when one is given)."""
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for entry in settings.NET_ALLOW_HOSTS:
        match = _ALLOW_ENTRY.fullmatch(entry)
        if not match:
            raise ImproperlyConfigured(
                f"NET_ALLOW_HOSTS entry {entry!r} is not a host or " "host:port (IPv6 in brackets: [::1]:8080)."
            )
        host, allowed_port = match["host"].strip("[]"), match["port"]
        if allowed_port is not None and int(allowed_port) != port:
            continue
        try:
            infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
        except socket.gaierror:
            continue
        if any(ipaddress.ip_address(info[4][0].split("%")[0]) == ip for info in infos):
            return True
    return False


# --- the guard: a wrapper around socket.connect that checks only in a guarded thread --------
_GUARDED = contextvars.ContextVar("net_guarded", default=False)


@contextmanager
def guarded(on: bool = True):
    """Within the block, this thread's IPv4/IPv6 connections are checked (``guarded(False)``
    lifts the guard, e.g. around a progress callback that writes to our own services).

    A thread started inside the block is not guarded: keep guarded work on this thread (the
    yt-dlp client downloads fragments one at a time for that reason)."""
    token = _GUARDED.set(on)
    try:
        yield
    finally:
        _GUARDED.reset(token)


def _checked_target(sock, address):
    """The checked numeric address to connect to (``address`` unchanged when not guarded)."""
    if not _GUARDED.get() or sock.family not in (socket.AF_INET, socket.AF_INET6):
        return address
    port = address[1]
    target = socket.getaddrinfo(address[0], port, sock.family, sock.type)[0][4]
    if not address_allowed(target[0], port):
        logger.warning("refused a connection to %s port %s", target[0], port)
        raise AddressRefused(errno.ECONNREFUSED, "The address guard refused this connection.")
    return target


def _guarded_connect(sock, address):
    return _socket.socket.connect(sock, _checked_target(sock, address))


def _guarded_connect_ex(sock, address):
    try:
        target = _checked_target(sock, address)
    except AddressRefused as exc:
        return exc.errno
    return _socket.socket.connect_ex(sock, target)


socket.socket.connect = _guarded_connect
socket.socket.connect_ex = _guarded_connect_ex


def refused_by_guard(exc: BaseException) -> bool:
    """Whether ``exc`` or anything it wraps (cause, context, URLError reason) is AddressRefused."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, AddressRefused):
            return True
        seen.add(id(exc))
        reason = getattr(exc, "reason", None)
        exc = reason if isinstance(reason, BaseException) else (exc.__cause__ or exc.__context__)
    return False


class _RedirectHandler(urllib.request.HTTPRedirectHandler):
    max_redirections = 5

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        _url_parts(newurl)  # form check; the guard checks the address when it connects
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener():
    # No proxies from the environment: a proxy would resolve and reach hosts the guard never sees.
    return urllib.request.build_opener(urllib.request.ProxyHandler({}), _RedirectHandler)


def http_download(
    url: str, *, dest, max_bytes: int, content_types: tuple[str, ...] = (), timeout: float = 20.0
) -> Download:
    """Streams `url` into the binary file object `dest`, every connection guarded.

    Raises UnsafeURL for a malformed URL, DownloadError for an HTTP error status (only an
    address the guard approved can answer one), a disallowed content type or a body over
    `max_bytes`, and Unreachable (one neutral message) for a refused address, a refused,
    reset or timed-out connection or an unknown host. `dest` may hold a partial body then:
    callers write to a temporary file and keep it only on success.
    """
    url = _url_parts(url).geturl()
    request = urllib.request.Request(url, headers={"User-Agent": "CineScent/1.0"})
    with guarded():
        try:
            with _opener().open(request, timeout=timeout) as response:
                return _stream(response, dest, max_bytes, content_types)
        except urllib.error.HTTPError as exc:
            raise DownloadError(f"The server answered {exc.code} {exc.reason} for {url}.") from None
        except (UnsafeURL, OSError, http.client.HTTPException) as exc:
            raise Unreachable() from exc


def _stream(response, dest, max_bytes: int, content_types: tuple[str, ...]) -> Download:
    content_type = (response.headers.get_content_type() or "").lower()
    if content_types and content_type not in content_types:
        raise DownloadError(f"Expected {', '.join(content_types)} but the server sent {content_type or 'no type'}.")
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
