"""Length-prefixed frames over any byte stream: the half of a stream protocol that does
not depend on the transport.

`FramedStream` speaks frames (framing.py) over a `RawStream`: a libp2p stream
(streams.py wraps one) or an in-memory pipe (memory_streams.py, for tests without
sockets). Nothing here imports libp2p, so the engine's conversations can be driven over
either.

Every operation is bounded by a timeout. After a timeout, an oversized or malformed frame
or a reset, the stream is reset: the two ends no longer agree where the next frame
starts. A clean end of stream (StreamClosed) leaves it alone, since the other side may
still be reading our replies.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

import trio

from peerapp.core.errors import HearthError
from peerapp.network.framing import (
    FrameHeaderError,
    FrameLengthExceeded,
    LengthDecoder,
    encode_frame,
)

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


class RawStream(Protocol):
    """The bytes under a FramedStream. A transport reports its failures in our vocabulary
    (the framed stream adds which operation failed): StreamClosed when the other side is
    gone cleanly, StreamReset when the stream was reset, StreamError for anything else."""

    async def read(self, max_bytes: int) -> bytes:
        """Up to `max_bytes` bytes, at least one; b"" at a clean end of stream."""
        ...

    async def write(self, data: bytes) -> None: ...

    async def close(self) -> None:
        """Our side is done writing; the other side may still write."""
        ...

    async def reset(self) -> None:
        """Abort both directions; the other side sees StreamReset."""
        ...


class FramedStream:
    """One stream carrying length-prefixed frames."""

    def __init__(
        self, stream: RawStream, remote_peer: str, protocol: str, local_peer: str = ""
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
        except Exception as error:  # transports raise their own types once a stream is dead
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
            raise StreamClosed("end of stream")
        return chunk

    async def _guarded(self, operation: Callable[[], Awaitable[T]], timeout: float, what: str) -> T:
        """Run one operation with a deadline, in our exception vocabulary."""
        error: StreamError
        try:
            with trio.fail_after(timeout):
                return await operation()
        except StreamClosed:
            raise StreamClosed(f"{what}: the peer closed the stream") from None
        except trio.TooSlowError:
            error = StreamTimeout(f"{what}: no progress within {timeout:g} s")
        except FrameLengthExceeded as exceeded:
            error = FrameTooLarge(f"{what}: {exceeded}")
        except FrameHeaderError as malformed:
            error = StreamError(f"{what}: {malformed}")
        except StreamReset as reset:
            error = StreamReset(f"{what}: {reset}")
        except StreamError as failure:
            error = StreamError(f"{what} {failure}")
        except (trio.BrokenResourceError, trio.ClosedResourceError) as failure:
            error = StreamError(f"{what} failed ({type(failure).__name__})")
        await self.reset()
        raise error
