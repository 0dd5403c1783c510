"""A py-libp2p transport that dials `/onion3/<address>:<port>` through a tor's SOCKS5 port.

py-libp2p 0.8.1 has no Tor transport. This one only dials: a host reachable over Tor
listens on 127.0.0.1 with the ordinary TCP transport, and its tor forwards an onion
service there (the tor's business, not libp2p's). Registered beside TCP, it takes only
onion3 addresses; Noise then authenticates the peer id over the stream as over TCP.

The address is checked before tor sees it (56 base32 characters whose checksum,
version byte and ed25519 key are right, a port in 1..65535): it comes from a peer, and a
bad one gets an error that names it rather than a SOCKS failure later. Each transport has
SOCKS credentials of its own, so tor builds its circuits apart from every other user of the
same SOCKS port (IsolateSOCKSAuth, on by default): two memberships never share a circuit.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import secrets
from dataclasses import dataclass

import multiaddr
import trio
from libp2p.abc import IListener, IRawConnection, ITransport
from libp2p.custom_types import THandler
from libp2p.io.trio import TrioTCPStream
from libp2p.network.connection.raw_connection import RawConnection
from libp2p.transport.exceptions import OpenConnectionError
from nacl.bindings import crypto_core_ed25519_is_valid_point
from python_socks import ProxyConnectionError, ProxyError, ProxyTimeoutError, ProxyType
from python_socks.async_.trio import Proxy

ONION3 = "onion3"
# how long one dial may take: circuits to a service whose descriptor is fresh take a few
# seconds on the real network, more on a loaded machine
DIAL_SECONDS = 60.0
_ONION_VALUE = re.compile(r"^([a-z2-7]{56}):(\d{1,5})$")
_ONION_VERSION = 3


class OnionAddressError(ValueError):
    """Not a well-formed /onion3 address."""


@dataclass(frozen=True)
class OnionTarget:
    host: str  # "<56 characters>.onion"
    port: int


def onion_target(address: multiaddr.Multiaddr) -> OnionTarget:
    """The onion host and port of an `/onion3/<address>:<port>[/p2p/<peer>]` multiaddr;
    OnionAddressError naming what is wrong otherwise."""
    names = [protocol.name for protocol in address.protocols()]
    if not names or names[0] != ONION3 or any(name not in (ONION3, "p2p") for name in names):
        raise OnionAddressError(f"not an /onion3 address: {address}")
    found = _ONION_VALUE.match(str(address.value_for_protocol(ONION3)).lower())
    if found is None:
        raise OnionAddressError(
            f"an /onion3 address needs 56 base32 characters and a port: {address}"
        )
    name, port = found.group(1), int(found.group(2))
    if not 0 < port < 65536:
        raise OnionAddressError(f"port {port} is out of range in {address}")
    problem = onion3_problem(name)
    if problem:
        raise OnionAddressError(f"{name}.onion is not a v3 onion address ({problem})")
    return OnionTarget(f"{name}.onion", port)


def onion3_problem(name: str) -> str:
    """What is wrong with a v3 onion name, "" if nothing. rend-spec-v3: base32(public
    key (32) | checksum (2) | version (1)), the checksum being the first 2 bytes of
    SHA3-256(".onion checksum" | public key | version); tor also refuses a key that is
    not a point of the ed25519 group (with a bare "general failure"), so it is checked
    here to give the reason."""
    try:
        raw = base64.b32decode(name.upper())
    except (binascii.Error, ValueError):
        return "not base32"
    if len(raw) != 35:
        return "wrong length"
    if raw[34] != _ONION_VERSION:
        return "not version 3"
    public_key, checksum = raw[:32], raw[32:34]
    digest = hashlib.sha3_256(b".onion checksum" + public_key + bytes([_ONION_VERSION]))
    if digest.digest()[:2] != checksum:
        return "bad checksum"
    if not crypto_core_ed25519_is_valid_point(public_key):
        return "not a valid ed25519 key"
    return ""


def valid_onion3(name: str) -> bool:
    return not onion3_problem(name)


class SocksTransport(ITransport):
    """Dials onion3 addresses through the SOCKS5 port at socks_host:socks_port."""

    def __init__(
        self,
        socks_host: str,
        socks_port: int,
        *,
        isolation: str | None = None,
        dial_seconds: float = DIAL_SECONDS,
    ) -> None:
        self._socks_host = socks_host
        self._socks_port = socks_port
        # tor isolates streams by the SOCKS username and password pair; a random one
        # unless the caller names the isolation group
        self._username = isolation or f"hearth-{secrets.token_hex(8)}"
        self._password = secrets.token_hex(16)
        self._dial_seconds = dial_seconds

    def protocols(self) -> list[str]:
        return [ONION3]

    def can_dial(self, maddr: multiaddr.Multiaddr) -> bool:
        try:
            onion_target(maddr)
        except OnionAddressError:
            return False
        return True

    def can_listen(self, maddr: multiaddr.Multiaddr) -> bool:
        return False

    async def dial(self, maddr: multiaddr.Multiaddr) -> IRawConnection:
        try:
            target = onion_target(maddr)
        except OnionAddressError as error:
            raise OpenConnectionError(str(error)) from None
        proxy = Proxy(
            ProxyType.SOCKS5,
            self._socks_host,
            self._socks_port,
            username=self._username,
            password=self._password,
            # the onion name goes to tor as is: only tor can resolve it
            rdns=True,
        )
        try:
            sock = await proxy.connect(target.host, target.port, timeout=self._dial_seconds)
        except ProxyConnectionError as error:
            raise OpenConnectionError(
                f"cannot reach tor's SOCKS port {self._socks_host}:{self._socks_port}: "
                f"{error}; is tor running?"
            ) from None
        except (ProxyError, ProxyTimeoutError, OSError) as error:
            raise OpenConnectionError(f"tor could not reach {target.host}: {error}") from None
        # the same wrapping py-libp2p's TCP transport gives a socket it dialled; the
        # connection reports the onion address, not the SOCKS port's
        stream = TrioTCPStream(trio.SocketStream(sock))
        return RawConnection(stream, True, addresses=[maddr])

    def create_listener(self, handler_function: THandler) -> IListener:
        raise OpenConnectionError(
            "the SOCKS transport only dials; listen on 127.0.0.1 over TCP and forward an "
            "onion service there"
        )
