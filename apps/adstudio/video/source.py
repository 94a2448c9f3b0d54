"""Untrusted video sources: which URLs we agree to fetch, and the limits on what we keep.

A URL must be http(s) and its host must resolve only to public addresses: private, loopback,
link-local, multicast, reserved and unspecified addresses are refused (so a user cannot make the
server fetch from itself or the internal network). ``allow_loopback`` opens 127.0.0.0/8 and ::1
for tests and a laptop. The check runs before the download and again on the address the
download finally came from (after redirects).
"""
from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit


class SourceRejected(Exception):
    """The source is not acceptable; the message says why, for the user."""


@dataclass(frozen=True)
class SourceLimits:
    max_bytes: int = 500 * 1024 * 1024
    max_seconds: float = 15 * 60
    allow_loopback: bool = False


Resolver = Callable[[str], list[str]]


def _resolve(host: str) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise SourceRejected(f"The host {host!r} could not be resolved.") from exc
    return sorted({info[4][0] for info in infos})


def url_check(url: str, *, limits: SourceLimits = SourceLimits(),
              resolver: Resolver = _resolve) -> str:
    """Return the URL if it may be fetched, else raise ``SourceRejected``."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise SourceRejected("Only http:// and https:// URLs can be analysed.")
    if not parts.hostname:
        raise SourceRejected("The URL has no host name.")
    if parts.username or parts.password:
        raise SourceRejected("URLs with a user name or password are not accepted.")
    addresses = resolver(parts.hostname)
    if not addresses:
        raise SourceRejected(f"The host {parts.hostname!r} has no address.")
    for address in addresses:
        address_check(address, allow_loopback=limits.allow_loopback, host=parts.hostname)
    return url


def address_check(address: str, *, allow_loopback: bool, host: str = "") -> None:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_loopback and allow_loopback:
        return
    if (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
            or ip.is_reserved or ip.is_unspecified or not ip.is_global):
        name = f"{host!r} resolves to " if host else ""
        raise SourceRejected(
            f"The URL points to a private or local address ({name}{ip}); only public "
            "addresses can be fetched.")
