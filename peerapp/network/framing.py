"""Length-prefixed frames, without I/O.

A frame is an unsigned LEB128 varint holding the body length, then the body. This is
the prefix libp2p itself uses (multistream, identify, pubsub RPCs, go-msgio's varint
reader), so another implementation can speak our stream protocols with its stock
length-prefixed codec. The decoder looks at one header byte at a time and refuses as soon
as the length is known to exceed the receiver's limit: no byte of an oversized body is
ever read.
"""

from __future__ import annotations

# a 64-bit length never needs more than 10 varint bytes; anything longer is malformed
MAX_HEADER_BYTES = 10


class FrameHeaderError(ValueError):
    """The header is malformed (over-long varint)."""


class FrameLengthExceeded(ValueError):
    def __init__(self, at_least: int, max_size: int) -> None:
        super().__init__(f"frame of at least {at_least} bytes exceeds the limit of {max_size}")
        self.at_least = at_least
        self.max_size = max_size


def encode_frame(data: bytes) -> bytes:
    return encode_length(len(data)) + data


def encode_length(length: int) -> bytes:
    if length < 0:
        raise ValueError("a frame length cannot be negative")
    header = bytearray()
    while length >= 0x80:
        header.append((length & 0x7F) | 0x80)
        length >>= 7
    header.append(length)
    return bytes(header)


class LengthDecoder:
    """Feed header bytes one by one; `feed` returns the length once the varint ends."""

    def __init__(self, max_size: int) -> None:
        self._max_size = max_size
        self._value = 0
        self._shift = 0

    def feed(self, byte: int) -> int | None:
        if self._shift >= 7 * MAX_HEADER_BYTES:
            raise FrameHeaderError("frame header is longer than any valid length")
        self._value |= (byte & 0x7F) << self._shift
        self._shift += 7
        # the bits seen so far are a lower bound of the final length
        if self._value > self._max_size:
            raise FrameLengthExceeded(self._value, self._max_size)
        if byte & 0x80:
            return None
        return self._value
