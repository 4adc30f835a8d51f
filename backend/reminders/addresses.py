"""Where the reminder worker may connect: resolved once, checked, and connected to as checked.

The API checks a push endpoint's text (schemas.py); this module checks where its name
points at the moment of sending. Every address a name resolves to must be public: no
loopback, private, shared (100.64/10), link-local (169.254.169.254 is the cloud metadata
service), reserved, multicast or unspecified address, also when one hides inside an IPv6
address (IPv4-mapped, NAT64, 6to4, Teredo). Loopback is allowed only with the development
switch REMINDERS_ALLOW_LOOPBACK_ENDPOINTS (a push receiver on this machine).

The socket then goes to exactly the address that was checked, so a name that answers a
public address to the check and a private one a moment later (DNS rebinding) gains
nothing: urllib3 never resolves the name again. TLS still verifies the certificate of the
name. Behind an HTTPS proxy the name is resolved and checked here, but the proxy connects
on its own: such a proxy must refuse private destinations itself (docs/deploy.md).
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections.abc import Callable

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
from urllib3.util import connection

log = logging.getLogger(__name__)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[..., list]
NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052: the last 32 bits are an IPv4 address


class AddressRefused(OSError):
    """The push endpoint's name points where the worker must not connect."""


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    return None


def is_refused(address: Address, allow_loopback: bool = False) -> bool:
    """May the worker not connect to `address`? Only public unicast addresses pass (and
    loopback, with the development switch)."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = _embedded_ipv4(address)
        if inner is not None:
            return is_refused(inner, allow_loopback)
    if address.is_loopback:
        return not allow_loopback
    return not address.is_global or address.is_multicast or address.is_unspecified


def checked_addresses(
    host: str, port: int, *, allow_loopback: bool = False, resolve: Resolver = socket.getaddrinfo
) -> list[tuple]:
    """Resolve `host` once; return its (family, sockaddr) pairs when every one is allowed.

    Raises AddressRefused when any address is refused: a name that answers both a public
    and a private address is refused whole, whichever one a connection would pick.
    """
    answers = resolve(host, port, 0, socket.SOCK_STREAM)
    if not answers:
        raise AddressRefused(f"{host} has no address")
    found = []
    for family, _type, _proto, _name, sockaddr in answers:
        address = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
        if is_refused(address, allow_loopback):
            log.warning("push refused: the endpoint's host resolves to a non-public address")
            raise AddressRefused("the push endpoint's host resolves to a non-public address")
        found.append((family, sockaddr))
    return found


def _connect(conn: HTTPConnection, allow_loopback: bool, resolve: Resolver) -> socket.socket:
    """The socket for `conn`: to an address checked just now, never resolved again."""
    options = {"source_address": conn.source_address, "socket_options": conn.socket_options}
    tunnel_host = getattr(conn, "_tunnel_host", None)
    if tunnel_host:  # through a proxy: check the target's name, then reach the proxy
        target_port = conn._tunnel_port or 443
        checked_addresses(tunnel_host, target_port, allow_loopback=allow_loopback, resolve=resolve)
        return connection.create_connection((conn._dns_host, conn.port), conn.timeout, **options)
    last_error: OSError | None = None
    for _family, sockaddr in checked_addresses(
        conn._dns_host, conn.port, allow_loopback=allow_loopback, resolve=resolve
    ):
        try:  # each checked address in turn, as urllib3's create_connection would
            return connection.create_connection(sockaddr[:2], conn.timeout, **options)
        except OSError as error:
            last_error = error
    raise last_error or AddressRefused("no address could be reached")


def _new_checked_conn(conn: HTTPConnection, allow_loopback: bool, resolve: Resolver):
    """urllib3's `_new_conn`, connecting through `_connect` (same errors, same meaning)."""
    try:
        return _connect(conn, allow_loopback, resolve)
    except socket.gaierror as error:
        raise NameResolutionError(conn.host, conn, error) from error
    except TimeoutError as error:
        message = f"Connection to {conn.host} timed out. (connect timeout={conn.timeout})"
        raise ConnectTimeoutError(conn, message) from error
    except OSError as error:
        message = f"Failed to establish a new connection: {error}"
        raise NewConnectionError(conn, message) from error


def checked_pool_classes(allow_loopback: bool, resolve: Resolver) -> dict[str, type]:
    """urllib3 pool classes whose connections go only to checked addresses."""

    class CheckedHTTPConnection(HTTPConnection):
        def _new_conn(self) -> socket.socket:
            return _new_checked_conn(self, allow_loopback, resolve)

    class CheckedHTTPSConnection(HTTPSConnection):
        def _new_conn(self) -> socket.socket:
            return _new_checked_conn(self, allow_loopback, resolve)

    class CheckedHTTPConnectionPool(HTTPConnectionPool):
        ConnectionCls = CheckedHTTPConnection

    class CheckedHTTPSConnectionPool(HTTPSConnectionPool):
        ConnectionCls = CheckedHTTPSConnection

    return {"http": CheckedHTTPConnectionPool, "https": CheckedHTTPSConnectionPool}


class CheckedAddressAdapter(HTTPAdapter):
    """A requests adapter (pooled as usual) that connects only to checked addresses."""

    def __init__(
        self, *, allow_loopback: bool = False, resolve: Resolver = socket.getaddrinfo, **kwargs
    ) -> None:
        self._pool_classes = checked_pool_classes(allow_loopback, resolve)
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = self._pool_classes

    def proxy_manager_for(self, proxy, **proxy_kwargs):
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = self._pool_classes
        return manager
