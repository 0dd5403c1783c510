"""Ask a peer's identify service directly, as any peer could, and decode what it says
about itself: listen addresses, the observed address and its signed peer record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import trio
from libp2p.identity.identify.identify import ID as IDENTIFY_PROTOCOL
from libp2p.identity.identify.identify import parse_identify_response
from libp2p.network.stream.exceptions import StreamEOF
from libp2p.peer.envelope import consume_envelope
from libp2p.peer.id import ID
from libp2p.peer.peer_record import PEER_RECORD_ENVELOPE_DOMAIN
from multiaddr import Multiaddr

BOUND_SECONDS = 20
MAX_BYTES = 64 * 1024


@dataclass(frozen=True)
class IdentifyAnswer:
    listen_addrs: tuple[str, ...]
    observed_addr: bytes
    record_addrs: tuple[str, ...]


async def ask_identify(host: Any, peer_id: str) -> IdentifyAnswer:
    with trio.fail_after(BOUND_SECONDS):
        stream = await host.new_stream(ID.from_base58(peer_id), [IDENTIFY_PROTOCOL])
        data = b""
        while len(data) < MAX_BYTES:
            try:
                chunk = await stream.read(4096)
            except StreamEOF:  # how py-libp2p reports the end of an answer
                break
            if not chunk:
                break
            data += chunk
        await stream.close()
    answer = parse_identify_response(data)
    _, record = consume_envelope(answer.signedPeerRecord, PEER_RECORD_ENVELOPE_DOMAIN)
    return IdentifyAnswer(
        listen_addrs=tuple(str(Multiaddr(raw)) for raw in answer.listen_addrs),
        observed_addr=bytes(answer.observed_addr),
        record_addrs=tuple(str(address) for address in record.addrs),
    )
