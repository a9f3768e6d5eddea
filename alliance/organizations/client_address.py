"""The address of the person making a request, also behind a reverse proxy.

``REMOTE_ADDR`` is the peer that opened the connection. Behind a reverse proxy (nginx, Caddy,
a load balancer) that is always the proxy, so every limit keyed on it would become one limit
for everybody. The proxy names the real client in ``X-Forwarded-For``, but anyone can send
that header, so it is read only when the peer is one of :setting:`TRUSTED_PROXIES`, and then
from the right: each trusted proxy appends the address it saw, so the right-most hop that is
*not* a trusted proxy is the first one a trusted party vouches for. Anything to its left was
written by the client and is ignored.

Used by every limit keyed on an address (django-axes, token guessing, the phone links and the
kiosk) and by gunicorn's access log, so they all agree on who the client is.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _address(value: str) -> Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address: Address, proxies: Sequence[Network]) -> bool:
    return any(address.version == net.version and address in net for net in proxies)


def client_from(peer: str, forwarded_for: str, proxies: Sequence[Network]) -> str:
    """The client's address given the peer, the ``X-Forwarded-For`` value and trusted proxies.

    Without trusted proxies, or when the peer is not one, the header is ignored. A hop that is
    not an address (a misconfigured proxy) stops the walk at the last trusted hop.
    """
    peer_address = _address(peer)
    if peer_address is None or not _trusted(peer_address, proxies):
        return peer
    client = peer
    for hop in reversed([h for h in forwarded_for.split(",") if h.strip()]):
        address = _address(hop)
        if address is None:
            return client
        client = str(address)
        if not _trusted(address, proxies):
            return client
    return client


def client_of_environ(environ: Mapping[str, object]) -> str:
    """:func:`client_from` for a WSGI environ (gunicorn's access log)."""
    return client_from(
        str(environ.get("REMOTE_ADDR", "") or ""),
        str(environ.get("HTTP_X_FORWARDED_FOR", "") or ""),
        settings.TRUSTED_PROXIES,
    )


def client_address(request: HttpRequest) -> str:
    """The client's address for this request (see the module docstring)."""
    return client_of_environ(request.META)


def limit_key(client: str) -> str:
    """What a per-address limit counts: the address, or for IPv6 its /64.

    One IPv6 subscriber usually holds a whole /64 (2**64 addresses), so counting single IPv6
    addresses would let one person spread guesses over as many "clients" as he likes.
    """
    address = _address(client)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is None:
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return client
