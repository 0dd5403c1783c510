"""Onion services on the private Tor network: a TCP echo reached through SOCKS, then two
libp2p hosts, one behind an onion service, the other dialling it through SOCKS."""

from __future__ import annotations

import secrets
import time
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

import trio
from python_socks import ProxyError, ProxyTimeoutError, ProxyType
from python_socks.async_.trio import Proxy

from tests.tor.client_tor import ClientTor

# a fresh onion service is reachable once its descriptor is on the HSDirs; the dialler
# retries until then, within this bound
REACH_BOUND_SECONDS = 60
ATTEMPT_SECONDS = 15
ECHO_BOUND_SECONDS = 20


def add_onion(client: ClientTor, virtual_port: int, target_port: int) -> str:
    """An ephemeral v3 onion service forwarding to 127.0.0.1:target_port; returns its
    address. Not waiting for the descriptor upload (the dialler retries instead)."""
    response = client.controller.create_ephemeral_hidden_service(
        {virtual_port: f"127.0.0.1:{target_port}"},
        key_type="NEW",
        key_content="ED25519-V3",
        await_publication=False,
    )
    return f"{response.service_id}.onion"


def isolated_proxy(client: ClientTor) -> Any:
    """A SOCKS5 proxy with credentials of its own: tor gives each its own circuits."""
    return Proxy(
        ProxyType.SOCKS5,
        "127.0.0.1",
        client.socks_port,
        username=f"hearth-test-{secrets.token_hex(4)}",
        password=secrets.token_hex(8),
        rdns=True,
    )


async def retry_until_reachable(attempt: Callable[[], Awaitable[None]]) -> int:
    """Run attempt() until it succeeds; returns the number of attempts."""
    attempts = 0
    with trio.fail_after(REACH_BOUND_SECONDS):
        while True:
            attempts += 1
            try:
                with trio.fail_after(ATTEMPT_SECONDS):
                    await attempt()
                return attempts
            except (ProxyError, ProxyTimeoutError, trio.TooSlowError, OSError) as error:
                print(f"attempt {attempts}: {type(error).__name__}: {error}")
                # the onion service is not reachable yet: its descriptor is on its way
                await trio.sleep(0.5)


async def echo_server(stream: trio.SocketStream) -> None:
    async with stream:
        async for data in stream:
            await stream.send_all(data)


def test_socks_echo_through_an_onion_service(
    client_tor: Callable[[str], ClientTor],
) -> None:
    service, user = client_tor("service"), client_tor("user")

    async def main() -> None:
        async with trio.open_nursery() as nursery:
            serve = partial(trio.serve_tcp, echo_server, 0, host="127.0.0.1")
            listeners = await nursery.start(serve)
            target = listeners[0].socket.getsockname()[1]
            added = time.monotonic()
            onion = add_onion(service, 7000, target)
            proxy = isolated_proxy(user)
            figures: dict[str, float] = {}

            async def echo_once() -> None:
                sock = await proxy.connect(onion, 7000, timeout=ATTEMPT_SECONDS)
                stream = trio.SocketStream(sock)
                async with stream:
                    figures.setdefault("connected", time.monotonic() - added)
                    sent = time.monotonic()
                    await stream.send_all(b"hello over tor")
                    received = b""
                    while len(received) < len(b"hello over tor"):
                        chunk = await stream.receive_some(64)
                        assert chunk, "the echo stream closed early"
                        received += chunk
                    figures["round trip"] = time.monotonic() - sent
                    assert received == b"hello over tor"

            attempts = await retry_until_reachable(echo_once)
            print(
                f"ADD_ONION to first echo: {time.monotonic() - added:.2f} s "
                f"({attempts} attempt(s), connected after {figures['connected']:.2f} s); "
                f"echo round trip {figures['round trip'] * 1000:.0f} ms"
            )
            # a second stream on the now-known service
            began = time.monotonic()
            with trio.fail_after(ECHO_BOUND_SECONDS):
                await echo_once()
            print(f"second connection and echo: {time.monotonic() - began:.2f} s")
            nursery.cancel_scope.cancel()

    trio.run(main)
