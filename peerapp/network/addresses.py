"""Listen and dialable multiaddrs.

A wildcard listen address (0.0.0.0 / ::) is not something another peer can dial; it is
expanded to the machine's interface addresses, loopback included, before it is shown to
anyone or put in an invite.
"""

from __future__ import annotations

import ipaddress

import multiaddr
from libp2p.utils.address_validation import expand_wildcard_address

from peerapp.core.errors import HearthError

DEFAULT_LISTEN = "/ip4/0.0.0.0/tcp/0"
_LOOPBACK = {"ip4": "127.0.0.1", "ip6": "::1"}


class AddressError(HearthError):
    pass


def parse_listen_address(text: str) -> multiaddr.Multiaddr:
    """A TCP listen multiaddr, or AddressError with a readable reason."""
    try:
        address = multiaddr.Multiaddr(text)
    except Exception as error:  # multiaddr raises several unrelated types
        raise AddressError(f"{text!r} is not a multiaddr ({error})") from None
    names = [protocol.name for protocol in address.protocols()]
    if len(names) != 2 or names[0] not in ("ip4", "ip6") or names[1] != "tcp":
        raise AddressError(f"{text!r}: listen addresses must look like /ip4/ADDRESS/tcp/PORT")
    return address


def _ip_of(address: multiaddr.Multiaddr) -> tuple[str, str]:
    for family in ("ip4", "ip6"):
        try:
            value = address.value_for_protocol(family)
        except Exception:  # multiaddr raises when the protocol is absent
            value = None
        if value:
            return family, str(value)
    raise AddressError(f"{address} has no IP address")


def is_wildcard(address: multiaddr.Multiaddr) -> bool:
    return ipaddress.ip_address(_ip_of(address)[1]).is_unspecified


def dialable(bound: list[multiaddr.Multiaddr]) -> list[multiaddr.Multiaddr]:
    """Concrete addresses for the bound ones, loopback first, without duplicates."""
    result: list[multiaddr.Multiaddr] = []
    for address in bound:
        if not is_wildcard(address):
            result.append(address)
            continue
        family, _ = _ip_of(address)
        port = address.value_for_protocol("tcp")
        result.append(multiaddr.Multiaddr(f"/{family}/{_LOOPBACK[family]}/tcp/{port}"))
        result.extend(
            expanded
            for expanded in expand_wildcard_address(address)
            if not is_wildcard(expanded) and _ip_of(expanded)[0] == family
        )
    unique: dict[str, multiaddr.Multiaddr] = {}
    for address in result:
        unique.setdefault(str(address), address)
    return sorted(
        unique.values(), key=lambda a: (not ipaddress.ip_address(_ip_of(a)[1]).is_loopback, str(a))
    )


def same_endpoint(requested: multiaddr.Multiaddr, bound: multiaddr.Multiaddr) -> bool:
    """Whether `bound` satisfies `requested` (port 0 means any port)."""
    if _ip_of(requested) != _ip_of(bound):
        return False
    wanted_port = str(requested.value_for_protocol("tcp"))
    return wanted_port in ("0", str(bound.value_for_protocol("tcp")))
