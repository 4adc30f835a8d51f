"""Trusting a proxy's X-Forwarded-* headers only when the request comes from that proxy.

werkzeug's ProxyFix believes the last TRUSTED_PROXY_HOPS entries of X-Forwarded-For from
whoever sends them. If the app can also be reached directly, a client picks its own
address with each request and walks past every per-address limit (L1, issue 9: 22 sign-in
attempts a minute through a limit of 10). So the headers are read only when the peer is
one of TRUSTED_PROXY_ADDRESSES (FORWARDED_ALLOW_IPS, the variable gunicorn reads too;
addresses or networks; "*" = any peer, for platforms whose router has no fixed address and
where nothing else can reach the app). From any other peer, the peer is the client.
"""

from __future__ import annotations

import ipaddress

from werkzeug.middleware.proxy_fix import ProxyFix


def _networks(addresses) -> list | None:
    """The trusted networks, or None for "any peer"."""
    if "*" in addresses:
        return None
    return [ipaddress.ip_network(address, strict=False) for address in addresses]


class TrustedProxies:
    """WSGI middleware: ProxyFix for requests from a trusted proxy, nothing for the rest."""

    def __init__(self, app, hops: int, addresses) -> None:
        self.app = app
        self.fixed = ProxyFix(app, x_for=hops, x_proto=hops, x_host=hops)
        self.networks = _networks(tuple(addresses))

    def is_trusted(self, peer: str | None) -> bool:
        if self.networks is None:
            return True
        try:
            address = ipaddress.ip_address((peer or "").split("%", 1)[0])
        except ValueError:
            return False
        return any(address in network for network in self.networks)

    def __call__(self, environ, start_response):
        if self.is_trusted(environ.get("REMOTE_ADDR")):
            return self.fixed(environ, start_response)
        return self.app(environ, start_response)
