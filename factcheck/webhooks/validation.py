"""Input rules for endpoints, shared by the API, the admin and the services."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

from articles.validation import clean_text, clean_url

from .models import ALL_EVENTS, EventType


def clean_endpoint_url(value) -> str:
    """An http(s) URL without credentials; with WEBHOOK_ALLOW_PRIVATE off, not a literal
    loopback/private address either (host names are checked again, resolved, at send time)."""
    url = clean_url(value, field="url")
    if not url:
        raise ValidationError({"url": "This field may not be empty."})
    parts = urlsplit(url)
    if parts.username or parts.password:
        raise ValidationError(
            {"url": "Do not put a user name or password in the URL; verify requests with the signature instead."}
        )
    if not settings.WEBHOOK_ALLOW_PRIVATE and not is_public_host(parts.hostname or "", resolve=False):
        raise ValidationError({"url": "Private, loopback and link-local addresses are not allowed on this site."})
    return url


def clean_events(value) -> list[str]:
    if not isinstance(value, list | tuple) or not value:
        raise ValidationError({"events": f'Name at least one event type, or ["{ALL_EVENTS}"] for all of them.'})
    unknown = [v for v in value if v != ALL_EVENTS and v not in EventType.values]
    if unknown:
        raise ValidationError(
            {"events": f"Unknown event type {unknown[0]!r}; choose from {', '.join(EventType.values)} or *."}
        )
    if ALL_EVENTS in value:
        return [ALL_EVENTS]
    return [v for v in EventType.values if v in value]  # canonical order, no duplicates


def clean_description(value) -> str:
    return clean_text(value, field="description", required=False, max_length=200).strip()


def _is_public_ip(text: str) -> bool:
    ip = ipaddress.ip_address(text.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def is_public_host(host: str, *, resolve: bool) -> bool:
    """Whether ``host`` is a public address. Literal IPs and "localhost" are judged as written;
    other names only when ``resolve`` (every address they resolve to must be public)."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        return _is_public_ip(host)
    except ValueError:
        pass  # a name, not an address
    if not resolve:
        return True
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except OSError:
        return True  # unresolvable: the request itself fails with a connection error
    return all(_is_public_ip(info[4][0]) for info in infos)
