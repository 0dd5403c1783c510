"""Unlinkability against a stranger who holds two invites: a profile in two circles
answers, at each circle's onion address, only about that circle. Asked at circle one's
onion about circle two (whose id the second invite gives), it answers exactly as a host
that is in no such circle would ("not a member"); asked about circle one, it goes on
with the join protocol (a challenge). A node in Tor mode (real `peerapp node` process,
its own tor on the private network); the prober a raw Tor-mode libp2p host behind a
client tor of its own."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path

import multiaddr
import pytest
import trio

from peerapp.core import join_messages as jm
from peerapp.core.invite_code import InviteCode, decode_invite
from peerapp.network.host import NetworkNode, running_node
from peerapp.network.onion_mode import LOOPBACK_LISTEN, OnionReach
from peerapp.network.tor.onion_keys import new_onion_key
from tests.tor.client_tor import ClientTor
from tests.tor.fixtures import TOR_GROUP
from tests.tor.onion_nodes import OnionNode
from tests.tor.test_onion_nodes import connect_when_reachable

pytestmark = [pytest.mark.timeout(300), pytest.mark.xdist_group(TOR_GROUP)]

ANSWER_SECONDS = 30


def ignore(peer_id: str) -> None:
    pass


async def ask(node: NetworkNode, code: InviteCode, about: bytes) -> jm.Frame:
    """Open the join protocol at the code's host and say hello for circle `about`."""
    stream = await node.open_stream(code.peer_id, jm.PROTOCOL)
    try:
        await stream.send(jm.encode_frame(jm.Hello(about)))
        return jm.decode_frame(await stream.receive(jm.MAX_FRAME_BYTES))
    finally:
        await stream.close()


def test_a_circles_onion_answers_nothing_about_another_circle(
    private_tor_config: Path, client_tor: Callable[[str], ClientTor], tmp_path: Path
) -> None:
    node = OnionNode(tmp_path / "member", private_tor_config)
    try:
        node.wait_tor_ready()
        one = node.ok("create_circle", name="One")["circle"]
        two = node.ok("create_circle", name="Two")["circle"]
        code_one = decode_invite(node.invite_code(one))
        code_two = decode_invite(node.invite_code(two))
        assert code_one.peer_id != code_two.peer_id
        assert set(code_one.addrs).isdisjoint(code_two.addrs)
        prober_tor = client_tor("prober")

        async def probe() -> tuple[jm.Frame, jm.Frame]:
            unpublished = new_onion_key().address  # the prober is never dialled back
            reach = OnionReach(
                socks_host="127.0.0.1",
                socks_port=prober_tor.socks_port,
                isolation="hearth-test-prober",
                onion_addrs=(f"/onion3/{unpublished}:4001",),
            )
            async with running_node(
                secrets.token_bytes(32),
                [multiaddr.Multiaddr(LOOPBACK_LISTEN)],
                ignore,
                ignore,
                tor=reach,
            ) as prober:
                attempts = await connect_when_reachable(prober, code_one.dial_addrs()[0])
                print(f"circle one's onion reached after {attempts} attempt(s)")
                with trio.fail_after(ANSWER_SECONDS):
                    about_two = await ask(prober, code_one, code_two.circle_id)
                    about_one = await ask(prober, code_one, code_one.circle_id)
                return about_two, about_one

        about_two, about_one = trio.run(probe)
        assert about_two == jm.Refused(jm.Refusal.NOT_A_MEMBER), about_two
        assert isinstance(about_one, jm.Challenge), about_one
    finally:
        node.call("quit")
        node.wait_exit()
