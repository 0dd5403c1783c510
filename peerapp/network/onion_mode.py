"""Tor mode for a libp2p host: reachable only as an onion service, dialling only onions.

Rules (each one closes a way the device's IP address could leak):
- Listen on 127.0.0.1 only: the onion service forwards there, nothing else may reach it.
- Dial /onion3 only, through tor's SOCKS port (SocksTransport). TCP stays registered to
  listen but refuses every dial (`ListenOnlyTCP`): an IP or DNS address learned from
  anywhere (an invite, identify, the peer store) is never dialled, and a failed onion
  dial never falls back to a direct one.
- Advertise only the onion multiaddrs: the host's announce list (what `get_addrs`,
  identify's listen_addrs and the signed peer record carry) is exactly them.
- Identify never reports an observed address: over tor it would only be a loopback
  socket, and it is nothing a peer needs. Observed addresses peers report to us are not
  recorded either (`disable_identify_address_discovery`).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any, cast

import multiaddr
from libp2p.abc import INetStream, IRawConnection, ITransport
from libp2p.custom_types import StreamHandlerFn
from libp2p.identity.identify.identify import ID as IDENTIFY_PROTOCOL
from libp2p.identity.identify.identify import identify_handler_for
from libp2p.transport.exceptions import OpenConnectionError
from libp2p.transport.tcp.tcp import TCP

from peerapp.network.addresses import AddressError

# The SOCKS transport (and python-socks under it) is imported where Tor mode uses it, not
# here: host.py imports this module in direct mode too, and a direct node loads no Tor
# module (tests/e2e/test_node_imports.py; docs/architecture.md "Tests").

LOOPBACK_LISTEN = "/ip4/127.0.0.1/tcp/0"


class OnionOnlyError(AddressError):
    """Tor mode was asked to dial or listen somewhere that would bypass tor."""


def direct_dial_refused(address: object) -> str:
    return (
        f"Tor mode dials only /onion3 addresses; {address} would connect directly and "
        "reveal this device's IP address. Use the peer's onion address."
    )


@dataclass(frozen=True)
class OnionReach:
    """How a node in Tor mode dials (the tor's SOCKS port, with this membership's own
    isolation username) and where it is reached (its onion multiaddrs, without /p2p)."""

    socks_host: str
    socks_port: int
    isolation: str
    onion_addrs: tuple[str, ...]

    def __post_init__(self) -> None:
        from peerapp.network.tor.socks_transport import (  # noqa: PLC0415 (Tor mode only)
            OnionAddressError,
            onion_target,
        )

        try:
            loopback = ipaddress.ip_address(self.socks_host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            # a SOCKS port elsewhere would carry our traffic in the clear to it
            raise OnionOnlyError(
                f"tor's SOCKS host must be a loopback IP address, not {self.socks_host!r}."
            )
        if not 0 < self.socks_port < 65536:
            raise OnionOnlyError(f"tor's SOCKS port {self.socks_port} is out of range.")
        if not self.isolation:
            raise OnionOnlyError("Tor mode needs an isolation name for its SOCKS circuits.")
        if not self.onion_addrs:
            raise OnionOnlyError("Tor mode needs the node's onion address to advertise.")
        for text in self.onion_addrs:
            try:
                onion_target(multiaddr.Multiaddr(text))
            except OnionAddressError as error:
                raise OnionOnlyError(f"Cannot advertise {text}: {error}") from None
            except Exception as error:  # multiaddr raises several unrelated types
                raise OnionOnlyError(f"{text!r} is not a multiaddr ({error}).") from None
            if "/p2p/" in text:
                raise OnionOnlyError(f"Give the onion address without /p2p: {text}")

    def multiaddrs(self) -> list[multiaddr.Multiaddr]:
        return [multiaddr.Multiaddr(text) for text in self.onion_addrs]


class ListenOnlyTCP(TCP):
    """py-libp2p's TCP transport with dialling removed: it accepts what the onion service
    forwards to 127.0.0.1 and dials nothing (the transport manager then finds no
    transport for an IP or DNS address, and dial() refuses if called anyway)."""

    def can_dial(self, maddr: multiaddr.Multiaddr) -> bool:
        return False

    def can_listen(self, maddr: multiaddr.Multiaddr) -> bool:
        # TCP's own answer is its can_dial's, which is now always False
        return TCP.can_dial(self, maddr)

    async def dial(self, maddr: multiaddr.Multiaddr) -> IRawConnection:
        raise OpenConnectionError(direct_dial_refused(maddr))


def is_onion(address: multiaddr.Multiaddr) -> bool:
    from peerapp.network.tor.socks_transport import (  # noqa: PLC0415 (Tor mode only)
        OnionAddressError,
        onion_target,
    )

    try:
        onion_target(address)
    except OnionAddressError:
        return False
    return True


def check_onion_dial(address: multiaddr.Multiaddr) -> None:
    """OnionOnlyError unless `address` is a well-formed /onion3 address."""
    if not is_onion(address):
        raise OnionOnlyError(direct_dial_refused(address))


def check_loopback_listen(listen: list[multiaddr.Multiaddr]) -> None:
    """Tor mode listens on 127.0.0.1 over TCP, nowhere else."""
    if not listen:
        raise OnionOnlyError(f"Tor mode listens on {LOOPBACK_LISTEN}; no address was given.")
    for address in listen:
        names = [protocol.name for protocol in address.protocols()]
        if names != ["ip4", "tcp"] or address.value_for_protocol("ip4") != "127.0.0.1":
            raise OnionOnlyError(
                f"Tor mode listens only on 127.0.0.1 (e.g. {LOOPBACK_LISTEN}), not {address}: "
                "anything else could be reached without tor."
            )


def tor_transports(tor: OnionReach) -> list[ITransport]:
    from peerapp.network.tor.socks_transport import SocksTransport  # noqa: PLC0415 (Tor mode)

    return [
        ListenOnlyTCP(),
        SocksTransport(tor.socks_host, tor.socks_port, isolation=tor.isolation),
    ]


class _NoRemoteAddress:
    """A stream as identify's handler sees it, minus the remote address: the library's
    handler then sends no observed_addr (its only use of it)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def get_remote_address(self) -> None:
        return None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def hide_observed_address(host: Any) -> None:
    """Replace the identify handler by the library's own, fed streams that report no
    remote address (module docstring)."""
    handler = identify_handler_for(host, use_varint_format=True)

    async def identify(stream: Any) -> None:
        # duck-typed: identify's handler uses only the stream's methods
        await handler(cast(INetStream, _NoRemoteAddress(stream)))

    served: StreamHandlerFn = identify
    host.set_stream_handler(IDENTIFY_PROTOCOL, served)
