"""Framed stream protocols between real hosts on 127.0.0.1: request/response, size
limits enforced before a body is read, timeouts, the gate, handler failures, and the
frame format itself."""

from __future__ import annotations

import logging
import tracemalloc
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

import multiaddr
import pytest
import trio
from libp2p.custom_types import TProtocol
from libp2p.peer.id import ID
from libp2p.peer.peerinfo import info_from_p2p_addr

from peerapp.network.framed import (
    FramedStream,
    FrameTooLarge,
    StreamClosed,
    StreamError,
    StreamOpenFailed,
    StreamReset,
    StreamTimeout,
)
from peerapp.network.framing import (
    FrameHeaderError,
    FrameLengthExceeded,
    LengthDecoder,
    encode_frame,
    encode_length,
)
from peerapp.network.host import NetworkNode, build_host, running_node
from tests.network.trio_helpers import run, wait_until

LOOPBACK = "/ip4/127.0.0.1/tcp/0"
ECHO = "/test/echo/1"
SECRET = "/test/secret/1"
MAX_FRAME = 64 * 1024


@asynccontextmanager
async def nodes(count: int) -> AsyncIterator[list[NetworkNode]]:
    async with AsyncExitStack() as stack:
        started = [
            await stack.enter_async_context(
                running_node(
                    bytes([index + 1]) * 32,
                    [multiaddr.Multiaddr(LOOPBACK)],
                    lambda peer_id: None,
                    lambda peer_id: None,
                )
            )
            for index in range(count)
        ]
        yield started


def loopback_addr(node: NetworkNode) -> str:
    return next(a for a in node.dialable_addrs() if a.startswith("/ip4/127.0.0.1/"))


async def echo(stream: FramedStream) -> None:
    request = await stream.receive(MAX_FRAME)
    await stream.send(b"echo: " + request)


async def ask(node: NetworkNode, server: NetworkNode, protocol: str, request: bytes) -> bytes:
    stream = await node.open_stream(server.peer_id, protocol)
    await stream.send(request)
    reply = await stream.receive(MAX_FRAME)
    await stream.close()
    return reply


# -- request / response ---------------------------------------------------------------------


def test_request_and_response_dialling_the_given_address_first() -> None:
    async def scenario() -> None:
        async with nodes(2) as (server, client):
            server.set_stream_handler(ECHO, echo)
            assert client.connected_peers() == []
            stream = await client.open_stream(server.peer_id, ECHO, [loopback_addr(server)])
            assert stream.remote_peer == server.peer_id
            await stream.send(b"hello")
            assert await stream.receive(MAX_FRAME) == b"echo: hello"
            with pytest.raises(StreamClosed):  # the handler returned: its side is closed
                await stream.receive(MAX_FRAME)
            await stream.close()
            # an empty frame and one of exactly the limit are both frames
            assert await ask(client, server, ECHO, b"") == b"echo: "
            big = bytes(MAX_FRAME - len(b"echo: "))
            assert await ask(client, server, ECHO, big) == b"echo: " + big

    run(scenario)


def test_several_frames_each_way_on_one_stream() -> None:
    async def conversation(stream: FramedStream) -> None:
        while True:
            try:
                number = int(await stream.receive(16))
            except StreamClosed:
                return
            await stream.send(str(number * 2).encode())

    async def scenario() -> None:
        async with nodes(2) as (server, client):
            server.set_stream_handler(ECHO, conversation)
            stream = await client.open_stream(server.peer_id, ECHO, [loopback_addr(server)])
            for number in range(20):
                await stream.send(str(number).encode())
                assert await stream.receive(16) == str(number * 2).encode()
            await stream.close()

    run(scenario)


# -- limits and timeouts --------------------------------------------------------------------


def test_an_oversized_frame_is_refused_from_its_header_alone() -> None:
    """A header claiming 100 MB, and no body at all: if receive() tried to read the body it
    would time out instead; it refuses at once, with bounded memory."""
    outcome: list[BaseException] = []
    peak: list[int] = []

    async def guarded(stream: FramedStream) -> None:
        tracemalloc.start()
        try:
            await stream.receive(MAX_FRAME, timeout=5)
        except StreamError as error:
            outcome.append(error)
        finally:
            peak.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()

    async def scenario() -> None:
        async with nodes(1) as (server,):
            server.set_stream_handler(ECHO, guarded)
            # a plain libp2p host, to write a bare header no FramedStream would send
            raw = build_host(bytes([9]) * 32)
            async with raw.run([multiaddr.Multiaddr(LOOPBACK)]):
                await raw.connect(info_from_p2p_addr(multiaddr.Multiaddr(loopback_addr(server))))
                stream = await raw.new_stream(ID.from_base58(server.peer_id), [TProtocol(ECHO)])
                began = trio.current_time()
                await stream.write(encode_length(100_000_000))
                await wait_until(lambda: bool(outcome))
                assert trio.current_time() - began < 2
                await raw.close()
        assert isinstance(outcome[0], FrameTooLarge)
        assert peak[0] < 2 * 1024 * 1024

    run(scenario)


def test_a_peer_that_never_answers_hits_the_timeout() -> None:
    ended: list[str] = []

    async def silent(stream: FramedStream) -> None:
        await stream.receive(MAX_FRAME)
        try:
            await stream.receive(MAX_FRAME, timeout=30)  # waits for a frame that never comes
        except StreamError as error:
            ended.append(type(error).__name__)

    async def scenario() -> None:
        async with nodes(2) as (server, client):
            server.set_stream_handler(ECHO, silent)
            stream = await client.open_stream(server.peer_id, ECHO, [loopback_addr(server)])
            await stream.send(b"anyone there?")
            began = trio.current_time()
            with pytest.raises(StreamTimeout):
                await stream.receive(MAX_FRAME, timeout=0.3)
            assert 0.3 <= trio.current_time() - began < 2
            # the timed-out stream is reset: the silent side is released, not left hanging
            await wait_until(lambda: ended == ["StreamReset"])

    run(scenario)


def test_opening_a_stream_fails_clearly() -> None:
    async def scenario() -> None:
        async with nodes(2) as (server, client):
            with pytest.raises(StreamOpenFailed):  # connected, but no such protocol
                await client.open_stream(server.peer_id, SECRET, [loopback_addr(server)])
            gone = loopback_addr(server)
            server_id = server.peer_id
        async with nodes(1) as (client,):
            with pytest.raises((StreamOpenFailed, StreamTimeout)):  # nobody listens there
                await client.open_stream(server_id, ECHO, [gone], timeout=3)
            with pytest.raises(StreamOpenFailed):
                await client.open_stream("not a peer id", ECHO)

    run(scenario)


# -- the gate and failing handlers -----------------------------------------------------------


def test_the_gate_resets_streams_it_refuses() -> None:
    served: list[str] = []

    async def secret(stream: FramedStream) -> None:
        served.append(stream.remote_peer)
        await echo(stream)

    async def scenario() -> None:
        async with nodes(3) as (server, stranger, member):
            server.set_stream_handler(ECHO, echo)
            server.set_stream_handler(SECRET, secret)
            server.set_gate(lambda peer_id, protocol: protocol == ECHO or peer_id == member.peer_id)
            for node in (stranger, member):
                await node.connect(loopback_addr(server))
            # reset as soon as negotiated: the opener sees it while opening or on reading
            with pytest.raises((StreamReset, StreamOpenFailed)):
                await ask(stranger, server, SECRET, b"let me in")
            assert served == []
            assert server.counters()["streams_refused"] == 1
            # the same stranger may still use what the gate allows; a member gets in
            assert await ask(stranger, server, ECHO, b"hi") == b"echo: hi"
            assert await ask(member, server, SECRET, b"hi") == b"echo: hi"
            assert served == [member.peer_id]

    run(scenario)


def test_a_failing_handler_is_contained_and_logged_without_payload(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(stream: FramedStream) -> None:
        request = await stream.receive(MAX_FRAME)
        raise RuntimeError(f"could not handle {request!r}")

    async def scenario() -> None:
        async with nodes(2) as (server, client):
            server.set_stream_handler(SECRET, broken)
            server.set_stream_handler(ECHO, echo)
            await client.connect(loopback_addr(server))
            with pytest.raises(StreamReset):
                await ask(client, server, SECRET, b"private words")
            assert server.counters()["stream_handler_errors"] == 1
            # the node, the connection and the protocol all still work
            assert await ask(client, server, ECHO, b"still there?") == b"echo: still there?"
            assert client.connected_peers() == [server.peer_id]
            with pytest.raises(StreamReset):
                await ask(client, server, SECRET, b"again")
            assert server.counters()["stream_handler_errors"] == 2

    with caplog.at_level(logging.WARNING, logger="peerapp"):
        run(scenario)
    assert "RuntimeError" in caplog.text
    assert "private words" not in caplog.text


# -- the frame format ------------------------------------------------------------------------


def decode(data: bytes, max_size: int) -> int | None:
    decoder = LengthDecoder(max_size)
    for byte in data:
        length = decoder.feed(byte)
        if length is not None:
            return length
    return None


@pytest.mark.parametrize("length", [0, 1, 127, 128, 300, 16_384, 2**21, 2**35])
def test_lengths_are_unsigned_varints(length: int) -> None:
    header = encode_length(length)
    assert len(header) == max(1, (length.bit_length() + 6) // 7)
    assert decode(header, max_size=2**40) == length
    assert encode_frame(b"abc") == b"\x03abc"


def test_an_oversized_length_is_refused_before_its_header_ends() -> None:
    header = encode_length(100_000_000)  # 4 bytes
    decoder = LengthDecoder(MAX_FRAME)
    with pytest.raises(FrameLengthExceeded):
        for byte in header[:3]:
            decoder.feed(byte)


def test_an_overlong_header_is_malformed() -> None:
    with pytest.raises(FrameHeaderError):
        decode(b"\x80" * 11, max_size=2**40)
