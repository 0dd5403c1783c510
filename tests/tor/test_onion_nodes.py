"""Two Hearth nodes in Tor mode on the private Tor network: each behind its own onion
service on its own tor; B reaches A by A's onion address only. Framed streams, GossipSub
and identify work over it, nothing but /onion3 is ever advertised, no IP is dialled and
every TCP socket stays on loopback."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import multiaddr
import pytest
import trio
from libp2p.network.exceptions import SwarmException
from libp2p.peer.id import ID

from peerapp.network.framed import FramedStream, StreamOpenFailed
from peerapp.network.host import NetworkNode, running_node
from peerapp.network.onion_mode import LOOPBACK_LISTEN, OnionOnlyError, OnionReach
from peerapp.network.pubsub import PubsubMessage
from peerapp.network.tor.onion import add_onion
from peerapp.network.tor.onion_keys import new_onion_key
from tests.network.identify_probe import ask_identify
from tests.network.trio_helpers import wait_until
from tests.tor.client_tor import ClientTor
from tests.tor.private_network import PrivateTorNetwork
from tests.tor.sockets import sockets_all_on_loopback

# one private network per session: its tests share one xdist worker (--dist loadgroup);
# the network (bounded at 150 s) and two client tors may start inside this test
pytestmark = [pytest.mark.timeout(360), pytest.mark.xdist_group("private_tor_network")]

VIRTUAL_PORT = 4001
# a fresh onion service is reachable once its descriptor is on the HSDirs; B retries
# until then, within this bound
REACH_BOUND_SECONDS = 60
ATTEMPT_SECONDS = 15
STEP_BOUND_SECONDS = 30
ECHO = "/hearth-test/onion-echo/1"
TOPIC = "hearth-test-onion"


def is_onion(text: str) -> bool:
    return text.startswith("/onion3/")


async def echo(stream: FramedStream) -> None:
    await stream.send(await stream.receive(1024))


def reach(client: ClientTor, name: str, address: str) -> OnionReach:
    return OnionReach(
        socks_host="127.0.0.1",
        socks_port=client.socks_port,
        isolation=f"hearth-test-{name}",
        onion_addrs=(f"/onion3/{address}:{VIRTUAL_PORT}",),
    )


def ignore(peer_id: str) -> None:
    pass


async def connect_when_reachable(node: NetworkNode, address: str) -> int:
    """Dial until the onion service answers; returns the number of attempts."""
    attempts = 0
    with trio.fail_after(REACH_BOUND_SECONDS):
        while True:
            attempts += 1
            try:
                with trio.fail_after(ATTEMPT_SECONDS):
                    await node.connect(address)
                return attempts
            except (SwarmException, trio.TooSlowError) as error:
                # tor answers "Host unreachable" until the descriptor is published
                print(f"attempt {attempts}: {type(error).__name__}: {error}")
                await trio.sleep(0.5)


def test_two_nodes_in_tor_mode_talk_over_onion_services_only(
    private_tor_network: PrivateTorNetwork, client_tor: Callable[[str], ClientTor]
) -> None:
    tor_a, tor_b = client_tor("a"), client_tor("b")
    # the keys are made here, so the addresses are known before the nodes listen
    key_a, key_b = new_onion_key(), new_onion_key()
    received: list[PubsubMessage] = []

    async def main() -> None:
        listen = [multiaddr.Multiaddr(LOOPBACK_LISTEN)]
        async with (
            running_node(
                os.urandom(32),
                listen,
                ignore,
                ignore,
                received.append,
                tor=reach(tor_a, "a", key_a.address),
            ) as a,
            running_node(
                os.urandom(32), listen, ignore, ignore, tor=reach(tor_b, "b", key_b.address)
            ) as b,
        ):
            a.set_stream_handler(ECHO, echo)
            # only the onion addresses are announced, from the start
            assert a.dialable_addrs() == [f"/onion3/{key_a.address}:{VIRTUAL_PORT}/p2p/{a.peer_id}"]
            assert all(is_onion(text) for text in b.dialable_addrs())

            added = time.monotonic()
            service_a = add_onion(
                tor_a.controller, virtual_port=VIRTUAL_PORT, target_port=a.listen_port(), key=key_a
            )
            add_onion(
                tor_b.controller, virtual_port=VIRTUAL_PORT, target_port=b.listen_port(), key=key_b
            )
            # tor accepted the key made here and put the service at its address
            assert service_a.address == key_a.address

            attempts = await connect_when_reachable(b, a.dialable_addrs()[0])
            connected = time.monotonic() - added
            assert a.peer_id in b.connected_peers()
            await wait_until(lambda: b.peer_id in a.connected_peers(), STEP_BOUND_SECONDS)

            # a framed stream, round trip
            stream = await b.open_stream(a.peer_id, ECHO)
            sent = time.monotonic()
            await stream.send(b"hello over an onion")
            assert await stream.receive(1024) == b"hello over an onion"
            round_trip = time.monotonic() - sent
            await stream.close()

            # GossipSub
            await a.subscribe(TOPIC)
            await b.subscribe(TOPIC)
            await wait_until(
                lambda: a.peer_id in b.topic_peers(TOPIC) and b.peer_id in a.topic_peers(TOPIC),
                STEP_BOUND_SECONDS,
            )
            await b.publish(TOPIC, b"gossip over tor")
            await wait_until(
                lambda: [m.data for m in received] == [b"gossip over tor"], STEP_BOUND_SECONDS
            )
            assert received[0].sender == b.peer_id

            # what A's identify tells any peer, and what B's peer store learnt of A
            answer = await ask_identify(b._host, a.peer_id)
            assert answer.listen_addrs == (service_a.multiaddr,)
            # the signed peer record: the same onion address, with the library's /p2p suffix
            assert answer.record_addrs == tuple(a.dialable_addrs())
            assert answer.observed_addr == b""
            known = [str(x) for x in b._host.get_peerstore().addrs(ID.from_base58(a.peer_id))]
            assert known
            assert all(is_onion(text) for text in known), known
            # and B's, asked by A over the same connection
            answer_b = await ask_identify(a._host, b.peer_id)
            assert answer_b.listen_addrs == (f"/onion3/{key_b.address}:{VIRTUAL_PORT}",)
            assert answer_b.observed_addr == b""

            # an IP address is refused, whether given to the node or to the swarm
            ip_address = f"/ip4/127.0.0.1/tcp/{a.listen_port()}/p2p/{a.peer_id}"
            await b.disconnect(a.peer_id)
            with pytest.raises(OnionOnlyError, match="dials only /onion3"):
                await b.connect(ip_address)
            with pytest.raises(StreamOpenFailed, match="dials only /onion3"):
                await b.open_stream(a.peer_id, ECHO, [ip_address])
            # the swarm itself has no transport that dials it (TCP only listens)
            swarm = b._host.get_network()
            with pytest.raises(SwarmException, match="No registered transport"):
                await swarm.dial_addr(
                    multiaddr.Multiaddr(f"/ip4/127.0.0.1/tcp/{a.listen_port()}"),
                    ID.from_base58(a.peer_id),
                )
            assert a.peer_id not in b.connected_peers()

            processes = [*private_tor_network.pids(), tor_a.pid, tor_b.pid, os.getpid()]
            checked = sockets_all_on_loopback(processes)
            print(f"{checked} TCP sockets of {len(processes)} processes, all on loopback")
            print(
                f"Tor mode: ADD_ONION to connected {connected:.2f} s ({attempts} attempt(s)); "
                f"framed stream round trip {round_trip * 1000:.0f} ms"
            )

    trio.run(main)
