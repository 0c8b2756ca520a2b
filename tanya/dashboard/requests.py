"""Two facts about a dashboard request: did the dashboard's own page send it, and who sent it.

- Same origin: a form on another site can POST to the dashboard from a staff member's browser (it
  logged staff out). A POST is taken only when the browser says it came from the dashboard itself:
  `Sec-Fetch-Site: same-origin` (or `none`, typed by the user), or, from browsers that send no
  Sec-Fetch-Site (plain-HTTP hosts), an `Origin` whose host is the request's own host. A POST with
  neither header is refused too: every browser in use sends one of them on a form POST.
- Client address: the TCP peer, unless the peer is a trusted proxy (TANYA_DASHBOARD_TRUSTED_PROXIES);
  then the nearest address in X-Forwarded-For that is not itself a trusted proxy. Behind a proxy every
  request has the proxy's address, so a throttle keyed on the peer locks every staff member out.
"""

from __future__ import annotations

import ipaddress
from typing import List, Mapping, Optional, Sequence, Union
from urllib.parse import urlsplit

Network = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]
SAME_SITE_FETCH = frozenset({"same-origin", "none"})


def trusted_networks(text: str) -> List[Network]:
    """The networks in a comma-separated list of addresses or CIDR ranges; ValueError names a bad one."""
    networks = []
    for item in (part.strip() for part in (text or "").split(",")):
        if item:
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                raise ValueError(f"TANYA_DASHBOARD_TRUSTED_PROXIES: {item!r} is not an address or a network") from None
    return networks


def is_trusted(address: str, networks: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(peer: Optional[str], forwarded_for: Optional[str], networks: Sequence[Network]) -> str:
    """The address a request came from, read from X-Forwarded-For only when the peer is a trusted proxy."""
    peer = peer or "-"
    if not forwarded_for or not is_trusted(peer, networks):
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):  # the right end was added by our own proxy; the left end, by anyone
        if not is_trusted(hop, networks):
            return hop
    return hops[0] if hops else peer


def same_origin(headers: Mapping[str, str], host: Optional[str]) -> bool:
    """True when the browser says the request came from the dashboard's own pages."""
    fetch_site = (headers.get("Sec-Fetch-Site") or "").strip().lower()
    if fetch_site:
        return fetch_site in SAME_SITE_FETCH
    origin = (headers.get("Origin") or "").strip()
    if not origin or origin == "null" or not host:
        return False
    return urlsplit(origin).netloc.lower() == host.strip().lower()
