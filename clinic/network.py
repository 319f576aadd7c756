"""Requests as the network brings them: who is asking (the client's address, told apart
from what a client can forge), and which part of the site they ask for."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def is_trusted_proxy(address: str) -> bool:
    """Whether `address` is one of our own proxies (DJANGO_TRUSTED_PROXIES). A peer on a
    Unix socket has no address (gunicorn leaves REMOTE_ADDR empty): only processes on this
    machine allowed to open the socket, the proxy, can be one."""
    if address == "":
        return True
    parsed = _address(address)
    return parsed is not None and any(parsed in network for network in settings.TRUSTED_PROXIES)


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, unless that is one of our proxies. Then
    X-Forwarded-For is read from the right, where each proxy appended the address it saw,
    and the first address that is not one of our proxies is the client. Anything to its
    left was written by the client, who could write anything."""
    address = request.META.get("REMOTE_ADDR", "")
    if not is_trusted_proxy(address):
        return address
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed([hop.strip() for hop in forwarded if hop.strip()]):
        if _address(hop) is None:
            break  # not an address: what our last proxy saw is all we know
        address = hop
        if not is_trusted_proxy(hop):
            break
    return address


def is_admin_path(path: str) -> bool:
    """Whether `path` is the staff admin's (under DJANGO_ADMIN_PATH)."""
    prefix = "/" + settings.ADMIN_PATH.rstrip("/")
    return path == prefix or path.startswith(prefix + "/")
