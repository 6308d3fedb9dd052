"""Where a webhook may go, and the one POST that takes it there.

A webhook URL is typed by an organisation's admin and fetched by our server, so it must not
become a way to reach what only the server can reach (SSRF): the cloud metadata address,
the database, a service on localhost. The URL is checked when saved and again at every
send, and the connection goes to the very address that was checked (a DNS answer that
changes between the check and the connect cannot redirect it). Redirects are not followed.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

EXCERPT_CHARS = 500
READ_LIMIT = 4096


class SendError(Exception):
    """The request could not be made or got no answer (message safe to show the admin)."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str


@dataclass(frozen=True)
class Response:
    status: int
    excerpt: str
    duration_ms: int


def _allow_private() -> bool:
    return bool(getattr(settings, "SPILKA_WEBHOOKS_ALLOW_PRIVATE", False))


NAT64 = ipaddress.ip_network("64:ff9b::/96")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, 6to4, NAT64, IPv4-compatible), if any:
    on a host with such tunnels or translation, posting to it reaches that IPv4 address."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in NAT64 or (ip in IPV4_COMPATIBLE and int(ip) > 1):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _address_is_private(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None and (not embedded.is_global or embedded.is_multicast):
            return True
    return not ip.is_global or ip.is_multicast


def _parts(url: str) -> tuple[str, str, int, str]:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise ValidationError(_("This is not a valid web address.")) from error
    if parts.scheme not in {"http", "https"}:
        raise ValidationError(_("The address must start with https:// (or http://)."))
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise ValidationError(_("Leave user names and passwords out of the address."))
    host = parts.hostname or ""
    if not host:
        raise ValidationError(_("The address needs a host name."))
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return parts.scheme, host, port or (443 if parts.scheme == "https" else 80), path


def resolve(url: str) -> Target:
    """The checked target of ``url``; ``ValidationError`` with a clear message otherwise."""
    scheme, host, port, path = _parts(url)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise ValidationError(_("The host name could not be found.")) from error
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise ValidationError(_("The host name could not be found."))
    if not _allow_private() and any(_address_is_private(a) for a in addresses):
        raise ValidationError(
            _("The address points into a private or local network; use a public address.")
        )
    return Target(scheme=scheme, host=host, port=port, path=path, address=addresses[0])


def check_url(url: str) -> str:
    """The URL as it will be stored, once it passes the checks (used by the form)."""
    resolve(url)
    return url.strip()


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def post(*, url: str, body: bytes, headers: dict[str, str], timeout: float) -> Response:
    """POST ``body`` once; the answer's status and a short excerpt, or ``SendError``."""
    try:
        target = resolve(url)
    except ValidationError as error:
        raise SendError(" ".join(error.messages)) from error
    cls = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = cls(target, timeout)
    started = time.monotonic()
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        answer = connection.getresponse()
        raw = answer.read(READ_LIMIT)
        status = answer.status
    except (OSError, http.client.HTTPException) as error:
        raise SendError(f"{type(error).__name__}: {error}"[:300]) from error
    finally:
        connection.close()
    excerpt = raw.decode("utf-8", errors="replace")[:EXCERPT_CHARS]
    return Response(
        status=status, excerpt=excerpt, duration_ms=int((time.monotonic() - started) * 1000)
    )
