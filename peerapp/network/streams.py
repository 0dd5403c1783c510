"""Framed request/response streams over libp2p.

Frames are varint-length-prefixed (see framing.py). Every operation is bounded by a
timeout. After a timeout, an oversized or malformed frame or a reset, the stream is
reset: the two ends no longer agree where the next frame starts. A clean end of stream
(StreamClosed) leaves it alone, since the other side may still be reading our replies.

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
from typing import Any, TypeVar

import multiaddr
import trio
from libp2p.abc import INetStream
from libp2p.custom_types import TProtocol
from libp2p.io.exceptions import IOException
from libp2p.network.stream import exceptions as libp2p_stream
from libp2p.peer.id import ID
from libp2p.peer.peerinfo import PeerInfo, info_from_p2p_addr

from peerapp.core.errors import HearthError
from peerapp.network.counters import Counters
from peerapp.network.framing import (
    FrameHeaderError,
    FrameLengthExceeded,
    LengthDecoder,
    encode_frame,
)
from peerapp.network.gate import Gate

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_SECONDS = 10.0
T = TypeVar("T")


class StreamError(HearthError):
    """Base of every failure on a framed stream."""


class StreamClosed(StreamError):
    """The other side closed the stream (end of stream where a frame was expected)."""


class StreamReset(StreamError):
    """The stream was reset, by the other side or by us."""


class StreamTimeout(StreamError):
    pass


class FrameTooLarge(StreamError):
    pass


class StreamOpenFailed(StreamError):
    """No stream could be opened: no connection, or the peer does not serve the protocol."""


class FramedStream:
    """One libp2p stream carrying length-prefixed frames."""

    def __init__(
        self, stream: INetStream, remote_peer: str, protocol: str, local_peer: str = ""
    ) -> None:
        self._stream = stream
        self.remote_peer = remote_peer
        self.protocol = protocol
        # the peer id it reached us at (served streams): in Tor mode each membership has
        # its own, and a stream may ask only about the memberships reached there
        self.local_peer = local_peer

    async def send(self, data: bytes, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> None:
        # one write per frame: header and body leave together
        frame = encode_frame(data)
        await self._guarded(lambda: self._stream.write(frame), timeout, "send")

    async def receive(self, max_size: int, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> bytes:
        """The next frame's body; FrameTooLarge before any body byte if it exceeds max_size."""
        return await self._guarded(lambda: self._read_frame(max_size), timeout, "receive")

    async def close(self, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> None:
        """Graceful end: our side is done writing. Closing a dead stream is not an error."""
        try:
            with trio.fail_after(timeout):
                await self._stream.close()
        except trio.TooSlowError:
            await self.reset()
        except Exception as error:  # the muxer raises its own types once a stream is dead
            log.debug("closing a dead stream: %s", type(error).__name__)

    async def reset(self) -> None:
        """Abort the stream in both directions; the other side sees a reset."""
        # usually called on a cleanup path, which must neither fail nor be cut short
        with trio.CancelScope(shield=True):
            try:
                await self._stream.reset()
            except Exception as error:
                log.debug("resetting a dead stream: %s", type(error).__name__)

    async def _read_frame(self, max_size: int) -> bytes:
        decoder = LengthDecoder(max_size)
        length: int | None = None
        while length is None:
            length = decoder.feed((await self._read_some(1))[0])
        body = bytearray()
        while len(body) < length:
            body += await self._read_some(length - len(body))
        return bytes(body)

    async def _read_some(self, at_most: int) -> bytes:
        chunk = await self._stream.read(at_most)
        if not chunk:
            raise libp2p_stream.StreamEOF()
        return chunk

    def _reset_by_peer(self) -> bool:
        # py-libp2p's Yamux forgets a stream as soon as its RST arrives, and a blocked
        # read then reports a plain end of stream; the stream object still knows.
        muxed = getattr(self._stream, "muxed_stream", None)
        return bool(getattr(muxed, "reset_received", False))

    async def _guarded(self, operation: Callable[[], Awaitable[T]], timeout: float, what: str) -> T:
        """Run one operation with a deadline, in our exception vocabulary."""
        error: StreamError
        try:
            with trio.fail_after(timeout):
                return await operation()
        except libp2p_stream.StreamEOF:
            if not self._reset_by_peer():
                raise StreamClosed(f"{what}: the peer closed the stream") from None
            error = StreamReset(f"{what}: the peer reset the stream")
        except trio.TooSlowError:
            error = StreamTimeout(f"{what}: no progress within {timeout:g} s")
        except FrameLengthExceeded as exceeded:
            error = FrameTooLarge(f"{what}: {exceeded}")
        except FrameHeaderError as malformed:
            error = StreamError(f"{what}: {malformed}")
        except libp2p_stream.StreamReset:
            error = StreamReset(f"{what}: the stream was reset")
        except (IOException, trio.BrokenResourceError, trio.ClosedResourceError) as failure:
            error = StreamError(f"{what} failed ({type(failure).__name__})")
        await self.reset()
        raise error


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
    return FramedStream(stream, peer_id, protocol)


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
    protocol: str, handler: StreamHandler, gate: Gate, counters: Counters, local_peer: str = ""
) -> Callable[[INetStream], Awaitable[None]]:
    """The libp2p stream handler for one protocol: gate, frame, contain failures."""

    async def serve(stream: INetStream) -> None:
        peer_id = stream.muxed_conn.peer_id.to_base58()
        framed = FramedStream(stream, peer_id, protocol, local_peer)
        if not gate.allows(peer_id, protocol):
            counters.add("streams_refused")
            log.info("refused %s from %s (gate)", protocol, peer_id)
            await framed.reset()
            return
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
