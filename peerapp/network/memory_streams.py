"""Framed streams without sockets: two FramedStreams joined by trio's in-memory streams.

The engine's conversations (join, sync, mailbox) take a FramedStream; with this pair a
test (and later the engine, for an in-process peer) drives them with no host, no
connection and no libp2p. The framing is the very code libp2p streams use (framed.py);
only the bytes underneath differ. Semantics follow a libp2p stream's: `close` ends our
writing only (the other side reads to a clean end, then may still answer), `reset`
aborts both directions and the other side sees StreamReset, and a writer whose reader
has WINDOW_BYTES unread waits (a send to a peer that stopped reading times out, as it
does when a Yamux window is full).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import trio
from trio.testing import memory_stream_pair as trio_memory_stream_pair

from peerapp.network.framed import FramedStream, StreamClosed, StreamError, StreamReset

# Yamux's initial stream window: what a writer may send ahead of its reader
WINDOW_BYTES = 256 * 1024


@dataclass
class _Direction:
    """Bytes one end wrote that the other has not read yet; `drained` wakes the writer."""

    unread: int = 0
    drained: trio.Event = field(default_factory=trio.Event)

    def wake(self) -> None:
        self.drained.set()
        self.drained = trio.Event()


@dataclass
class _Link:
    """What both ends of one pair share: whether either reset it, and flow control."""

    reset: bool = False
    directions: tuple[_Direction, _Direction] = field(
        default_factory=lambda: (_Direction(), _Direction())
    )


class MemoryStream:
    """One end of an in-memory byte pipe, as the RawStream a FramedStream reads."""

    def __init__(self, stream: trio.StapledStream, link: _Link, side: int) -> None:
        self._stream = stream
        self._link = link
        self._reset_here = False
        self._out = link.directions[side]  # what we write
        self._in = link.directions[1 - side]  # what we read

    async def read(self, max_bytes: int) -> bytes:
        # what the other side wrote before it reset still arrives, in order, as frames
        # on a libp2p stream do; the end that reset reads nothing more
        if self._reset_here:
            raise StreamReset("the stream was reset")
        try:
            chunk = await self._stream.receive_some(max_bytes)
        except (trio.BrokenResourceError, trio.ClosedResourceError) as error:
            self._check_reset()
            raise StreamError(f"failed ({type(error).__name__})") from None
        if not chunk:
            # the other side's writing ended: a close, or (then the link knows) a reset
            self._check_reset("the peer reset the stream")
        self._in.unread -= len(chunk)
        self._in.wake()
        return bytes(chunk)

    async def write(self, data: bytes) -> None:
        self._check_reset()
        try:
            await self._stream.send_all(data)
        except trio.ClosedResourceError:
            raise StreamClosed("end of stream") from None
        except trio.BrokenResourceError as error:
            self._check_reset()
            raise StreamError(f"failed ({type(error).__name__})") from None
        self._out.unread += len(data)
        while self._out.unread > WINDOW_BYTES:  # each wake-up is a read or a reset
            await self._out.drained.wait()
            self._check_reset()

    async def close(self) -> None:
        await self._stream.send_eof()

    async def reset(self) -> None:
        self._link.reset = True
        self._reset_here = True
        for direction in self._link.directions:
            direction.wake()
        await self._stream.aclose()

    def _check_reset(self, text: str = "the stream was reset") -> None:
        if self._link.reset:
            raise StreamReset(text)


def memory_raw_pair() -> tuple[MemoryStream, MemoryStream]:
    """Two connected byte ends (unbounded buffers): what one writes, the other reads. A
    hostile test writes raw bytes (a malformed frame header) through one of them."""
    left, right = trio_memory_stream_pair()
    link = _Link()
    return MemoryStream(left, link, 0), MemoryStream(right, link, 1)


def memory_stream_pair(
    a_peer: str, b_peer: str, protocol: str = ""
) -> tuple[FramedStream, FramedStream]:
    """(a's end, b's end) of one framed stream between the peers `a_peer` and `b_peer`:
    each end's remote_peer is the other, its local_peer itself."""
    a_raw, b_raw = memory_raw_pair()
    return (
        FramedStream(a_raw, b_peer, protocol, local_peer=a_peer),
        FramedStream(b_raw, a_peer, protocol, local_peer=b_peer),
    )
