"""Stand-ins for an internal network in SSRF tests.

``Recorder`` listens on one port at 127.0.0.1, 127.0.0.2 and ::1 and logs every connection it
accepts (then answers like a file server, so a fetch that reaches it would succeed): loopback
spelled any way (127.1, 2130706433, 0x7f000001, 0177.0.0.1, localhost, 0.0.0.0,
[::ffff:127.0.0.1], [::1]) lands on it. ``closed_port()`` is a port where nothing listens.
``connect_attempts()`` lists every IPv4/IPv6 ``connect()`` this process tries, through
Python's audit hook: it shows that addresses nothing listens on here (169.254.169.254, 10.x,
192.168.x) were never even tried.
"""

from __future__ import annotations

import contextlib
import errno
import socket
import socketserver
import sys
import threading

SECRET = b"\x00\x00\x00\x18ftypmp42 internal secret"
_ADDRESSES = [("127.0.0.1", socket.AF_INET), ("127.0.0.2", socket.AF_INET), ("::1", socket.AF_INET6)]


class Recorder:
    def __init__(self):
        self.hits: list[tuple[str, str]] = []  # (address it was reached on, request line)
        self.port = 0
        self._servers: list[socketserver.ThreadingTCPServer] = []

    def __enter__(self) -> "Recorder":
        for _ in range(50):
            try:
                self._listen()
                return self
            except OSError:  # the port was taken on another address: try another one
                self._close()
        raise RuntimeError("no free port on every loopback address")

    def __exit__(self, *exc) -> None:
        self._close()

    def _listen(self) -> None:
        outer = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                line = self.rfile.readline(2000).decode("latin-1").strip()
                outer.hits.append((self.server.server_address[0], line))
                self.wfile.write(
                    b"HTTP/1.0 200 OK\r\nContent-Type: video/mp4\r\n"
                    b"Content-Length: %d\r\n\r\n%s" % (len(SECRET), SECRET)
                )

        for host, family in _ADDRESSES:
            server_class = type(
                "Server", (socketserver.ThreadingTCPServer,), {"address_family": family, "daemon_threads": True}
            )
            try:
                server = server_class((host, self.port), Handler)
            except OSError as exc:
                if exc.errno == errno.EADDRNOTAVAIL:  # a host without IPv6: ::1 is not there
                    continue
                raise
            self.port = server.server_address[1]
            self._servers.append(server)
            threading.Thread(target=server.serve_forever, daemon=True).start()

    def _close(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        self._servers, self.port = [], 0


def closed_port() -> int:
    """A loopback port with no listener (bound for a moment, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


_attempts: list | None = None
_audit_installed = False


def _audit(event: str, args) -> None:
    if event == "socket.connect" and _attempts is not None:
        sock, address = args
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            _attempts.append((address[0], address[1]))


@contextlib.contextmanager
def connect_attempts():
    """Yields the list of (host, port) every connect() in this process tried in the block."""
    global _attempts, _audit_installed
    if not _audit_installed:
        sys.addaudithook(_audit)  # audit hooks cannot be removed: installed once, idle outside
        _audit_installed = True
    _attempts = []
    try:
        yield _attempts
    finally:
        _attempts = None
