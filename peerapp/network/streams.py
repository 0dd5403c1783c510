"""Framed request/response streams over libp2p.

Frames are varint-length-prefixed (see framing.py); FramedStream and its errors live in
framed.py, which knows no transport; here a libp2p stream becomes its RawStream
(Libp2pStream), and streams are opened and served.

Inbound streams go through the gate first, then to the protocol's handler. A handler
that raises never reaches py-libp2p (an exception escaping a libp2p stream handler
tears down the connection it arrived on): it is logged without payload, counted, and
its stream reset.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import multiaddr
import trio
from libp2p.abc import INetStream
from libp2p.custom_types import TProtocol
from libp2p.io.exceptions import IOException
from libp2p.network.stream import exceptions as libp2p_stream
from libp2p.peer.id import ID
from libp2p.peer.peerinfo import PeerInfo, info_from_p2p_addr

from peerapp.network.counters import Counters
from peerapp.network.framed import (
    FramedStream,
    StreamClosed,
    StreamError,
    StreamOpenFailed,
    StreamReset,
    StreamTimeout,
)
from peerapp.network.gate import Gate

log = logging.getLogger(__name__)

__all__ = ["Libp2pStream", "StreamHandler", "open_framed_stream", "serving"]


class Libp2pStream:
    """A libp2p stream as the RawStream a FramedStream reads (framed.py): py-libp2p's
    exceptions turned into ours."""

    def __init__(self, stream: INetStream) -> None:
        self._stream = stream

    async def read(self, max_bytes: int) -> bytes:
        try:
            chunk = await self._stream.read(max_bytes)
        except libp2p_stream.StreamEOF:
            chunk = b""
        except libp2p_stream.StreamReset:
            raise StreamReset("the stream was reset") from None
        except IOException as error:
            raise StreamError(f"failed ({type(error).__name__})") from None
        if not chunk and self._reset_by_peer():
            raise StreamReset("the peer reset the stream")
        return chunk

    async def write(self, data: bytes) -> None:
        try:
            await self._stream.write(data)
        except libp2p_stream.StreamEOF:
            if self._reset_by_peer():
                raise StreamReset("the peer reset the stream") from None
            raise StreamClosed("end of stream") from None
        except libp2p_stream.StreamReset:
            raise StreamReset("the stream was reset") from None
        except IOException as error:
            raise StreamError(f"failed ({type(error).__name__})") from None

    async def close(self) -> None:
        await self._stream.close()

    async def reset(self) -> None:
        await self._stream.reset()

    def _reset_by_peer(self) -> bool:
        # py-libp2p's Yamux forgets a stream as soon as its RST arrives, and a blocked
        # read then reports a plain end of stream; the stream object still knows.
        muxed = getattr(self._stream, "muxed_stream", None)
        return bool(getattr(muxed, "reset_received", False))


# -- opening -----------------------------------------------------------------------------


def _peer_info(peer_id: ID, addrs: list[str]) -> PeerInfo:
    """Addresses may be given with or without their /p2p/PEER suffix."""
    plain: list[multiaddr.Multiaddr] = []
    for text in addrs:
        try:
            address = multiaddr.Multiaddr(text)
        except Exception:  # multiaddr raises several unrelated types
            raise StreamOpenFailed(f"{text!r} is not a multiaddr") from None
        if "/p2p/" not in text:
            plain.append(address)
            continue
        info = info_from_p2p_addr(address)
        if info.peer_id != peer_id:
            raise StreamOpenFailed(f"{text} belongs to another peer")
        plain.extend(info.addrs)
    return PeerInfo(peer_id, plain)


async def open_framed_stream(
    host: Any,
    peer_id: str,
    protocol: str,
    addrs: list[str] | None,
    timeout: float,
) -> FramedStream:
    try:
        target = ID.from_base58(peer_id)
    except Exception:  # base58 and multihash errors
        raise StreamOpenFailed(f"{peer_id!r} is not a peer id") from None
    try:
        with trio.fail_after(timeout):
            if addrs and not host.get_network().get_connections(target):
                await host.connect(_peer_info(target, addrs))
            stream = await host.new_stream(target, [TProtocol(protocol)])
    except trio.TooSlowError:
        raise StreamTimeout(f"no stream to {peer_id} on {protocol} within {timeout:g} s") from None
    except StreamOpenFailed:
        raise
    except (OSError, trio.BrokenResourceError, trio.ClosedResourceError) as error:
        raise StreamOpenFailed(f"could not reach {peer_id}: {type(error).__name__}") from None
    except Exception as error:
        # dial, security and multistream failures each have their own libp2p type
        if not type(error).__module__.startswith("libp2p"):
            raise
        raise StreamOpenFailed(
            f"could not open {protocol} to {peer_id}: {type(error).__name__}"
        ) from None
    return FramedStream(Libp2pStream(stream), peer_id, protocol)


# -- serving -----------------------------------------------------------------------------

StreamHandler = Callable[[FramedStream], Awaitable[None]]


def _where(error: BaseException) -> str:
    """Exception type and innermost location: enough to debug, no payload in it."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return type(error).__name__
    last = frames[-1]
    return f"{type(error).__name__} at {Path(last.filename).name}:{last.lineno} in {last.name}"


def serving(
    protocol: str,
    handler: StreamHandler,
    gate: Gate,
    counters: Counters,
    local_peer: str = "",
    *,
    allowed: Callable[[str], None] = lambda peer_id: None,
) -> Callable[[INetStream], Awaitable[None]]:
    """The libp2p stream handler for one protocol: gate, frame, contain failures.
    `allowed(peer_id)` is told of each stream the gate lets through, before its handler
    runs (the stranger budget: a stranger doing so is asking to join)."""

    async def serve(stream: INetStream) -> None:
        peer_id = stream.muxed_conn.peer_id.to_base58()
        framed = FramedStream(Libp2pStream(stream), peer_id, protocol, local_peer)
        if not gate.allows(peer_id, protocol):
            counters.add("streams_refused")
            log.info("refused %s from %s (gate)", protocol, peer_id)
            await framed.reset()
            return
        allowed(peer_id)
        try:
            await handler(framed)
        except StreamError as error:
            counters.add("stream_errors")
            log.debug("%s from %s ended: %s", protocol, peer_id, type(error).__name__)
            await framed.reset()
        except Exception as error:
            counters.add("stream_handler_errors")
            log.warning("handler for %s from %s failed: %s", protocol, peer_id, _where(error))
            await framed.reset()
        else:
            await framed.close()

    return serve
