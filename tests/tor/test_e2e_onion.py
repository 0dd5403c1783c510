"""Circles over onion services, end to end: real `peerapp node` processes in Tor mode,
each with its own tor joined to the private Tor network by `--tor-config`, reach each
other by onion addresses only.

One story, told in order by the tests of this module (the nodes are started once for it:
a node is a process and a tor): Ash founds a circle and invites Bee by a code that holds
only onion addresses; they talk both ways; Bee, in a second circle of Cy's too, shows
each circle another onion address and peer id; Bee catches up after a restart; Cy,
removed from the first circle, loses its onion connections there (not in the second);
Ash, killed with SIGKILL, comes back at the same onion address and the members
reconnect. (Cy joined through Ash's restarted service once, in that order: twice in CI
under load its join found no answer for two minutes, never here alone. The order is
now the other, and `explained` prints the node and tor onion-service logs of a failed
join or reconnect, so the next one can be read.)
A code of the other mode is refused both ways. Over the whole run a leak monitor samples
every socket of every node process and of its tor: all on 127.0.0.1; and no reply or
event any node gave holds an IP address.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from peerapp.core.network_mode import REFUSALS, NetworkMode
from tests.binding import bound
from tests.tor.fixtures import TOR_GROUP
from tests.tor.leaks import LeakMonitor, command_of, descendants, ip_addresses_in
from tests.tor.onion_nodes import (
    JOIN_BOUND,
    ONION_ADDRESS,
    STEP_BOUND,
    OnionNode,
    code_identity,
    explained,
    poll,
)

# the session's private network (bounded at 150 s) may start inside the first test
pytestmark = [pytest.mark.timeout(420), pytest.mark.xdist_group(TOR_GROUP)]


@dataclass
class Scene:
    folder: Path
    tor_config: Path
    monitor: LeakMonitor
    nodes: dict[str, OnionNode] = field(default_factory=dict)
    retired: list[OnionNode] = field(default_factory=list)  # stopped, kept for the IP scan
    circles: dict[str, str] = field(default_factory=dict)  # "one", "two" -> circle id

    def start(self, name: str, tor: bool = True) -> OnionNode:
        """`name`'s node (its profile is kept across restarts), ready and, in Tor mode,
        with its tor bootstrapped."""
        node = OnionNode(self.folder / name, self.tor_config if tor else None)
        self.monitor.watch(node.process.pid)
        self.nodes[name] = node
        if tor:
            assert node.ready["mode"] == "tor", node.ready
            # in Tor mode no identity belongs to the profile as a whole
            assert node.ready["peer_id"] == "" and node.ready["addrs"] == [], node.ready
            ready = node.wait_tor_ready()
            print(f"{name}: tor ready ({ready['summary']!r})")
        return node

    def stop(self, name: str) -> None:
        node = self.nodes.pop(name)
        node.call("quit")
        assert node.wait_exit() == 0
        self.retired.append(node)

    def everything_seen(self) -> list[tuple[str, object]]:
        return [
            (str(node.profile.name), document)
            for node in [*self.retired, *self.nodes.values()]
            for document in node.everything_seen()
        ]


@pytest.fixture(scope="module")
def scene(private_tor_config: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scene]:
    monitor = LeakMonitor().start()
    story = Scene(tmp_path_factory.mktemp("onion-e2e"), private_tor_config, monitor)
    try:
        yield story
    finally:
        for node in story.nodes.values():
            node.kill()
        monitor.stop()


def circle_one(scene: Scene) -> str:
    """Ash's circle with Bee in it (made by the first test; made here if it did not run)."""
    if "one" not in scene.circles:
        ash = scene.nodes.get("ash") or scene.start("ash")
        bee = scene.nodes.get("bee") or scene.start("bee")
        circle = ash.ok("create_circle", name="Onion circle", member_name="Ash")["circle"]
        bee.ok("join", timeout=JOIN_BOUND, code=ash.invite_code(circle), name="Bee")
        scene.circles["one"] = circle
    return scene.circles["one"]


def promote(founder: OnionNode, circle: str, name: str, member: OnionNode) -> None:
    """`founder` makes `name` a facilitator; waits until `member` may invite."""
    members = founder.ok("members", circle=circle)["members"]
    key = next(m["id"] for m in members if m["name"] == name)
    founder.ok("promote", circle=circle, member=key)
    poll(
        lambda: member.call("invite", circle=circle)["ok"],
        f"{name} may invite once promoted",
        member,
    )


def wait_for_text(node: OnionNode, circle: str, text: str) -> float:
    return poll(
        lambda: text in node.history_texts(circle), f"{text!r} at {node.profile.name}", node
    )


def test_create_invite_join_and_talk_over_onion_addresses_only(scene: Scene) -> None:
    ash = scene.start("ash")
    status = ash.ok("status")
    assert status["mode"] == "tor" and status["tor"]["state"] == "ready", status
    assert status["tor"]["progress"] == 100
    circle = ash.ok("create_circle", name="Onion circle", member_name="Ash")["circle"]
    code = ash.invite_code(circle)
    peer, addresses = code_identity(code)
    # only onion addresses, each well formed; nothing else in the code names a place
    assert peer and addresses, addresses
    assert all(ONION_ADDRESS.fullmatch(address) for address in addresses), addresses
    assert ip_addresses_in([peer, *addresses]) == []

    bee = scene.start("bee")
    joined = bee.ok("join", timeout=JOIN_BOUND, code=code, name="Bee")
    assert joined["circle"] == circle and joined["name"] == "Onion circle"
    scene.circles["one"] = circle

    assert ash.ok("send", circle=circle, text="hello Bee, over tor")["ok"]
    to_bee = wait_for_text(bee, circle, "hello Bee, over tor")
    assert bee.ok("send", circle=circle, text="hello Ash, over tor")["ok"]
    to_ash = wait_for_text(ash, circle, "hello Ash, over tor")
    names = [m["name"] for m in ash.ok("members", circle=circle)["members"]]
    assert names == ["Ash", "Bee"]
    print(f"Ash -> Bee stored in {to_bee:.2f} s, Bee -> Ash in {to_ash:.2f} s")


def test_one_profile_in_two_circles_shows_each_another_onion_and_peer_id(scene: Scene) -> None:
    one = circle_one(scene)
    ash, bee = scene.nodes["ash"], scene.nodes["bee"]
    cy = scene.start("cy")
    two = cy.ok("create_circle", name="Second circle", member_name="Cy")["circle"]
    bee.ok("join", timeout=JOIN_BOUND, code=cy.invite_code(two), name="Bee too")
    scene.circles["two"] = two

    # members cannot invite: made facilitators, Bee's own codes show what a person
    # holding one learns of Bee in each circle
    promote(ash, one, "Bee", bee)
    promote(cy, two, "Bee too", bee)
    bee_in_one = code_identity(bee.invite_code(one))
    bee_in_two = code_identity(bee.invite_code(two))
    assert bee_in_one[0] != bee_in_two[0], "one peer id in both circles"
    assert not set(bee_in_one[1]) & set(bee_in_two[1]), "one onion address in both circles"
    # and each circle sees Bee by that circle's identity only
    poll(lambda: ash.peers(one)["Bee"]["peer"] == bee_in_one[0], "Ash knows Bee's peer", ash)
    poll(lambda: cy.peers(two)["Bee too"]["peer"] == bee_in_two[0], "Cy knows Bee's peer", cy)
    for node, other in ((ash, bee_in_two), (cy, bee_in_one)):
        seen = repr(node.everything_seen())
        assert other[0] not in seen, f"{node.profile.name} saw Bee's other peer id"
        assert all(address.split("/")[2].split(":")[0] not in seen for address in other[1])


def test_a_member_catches_up_after_a_restart(scene: Scene) -> None:
    one = circle_one(scene)
    ash = scene.nodes["ash"]
    before = code_identity(scene.nodes["bee"].invite_code(one))
    scene.stop("bee")
    missed = [f"while Bee was away {index}" for index in range(3)]
    for text in missed:
        ash.ok("send", circle=one, text=text)
    bee = scene.start("bee")
    took = poll(
        lambda: set(missed) <= set(bee.history_texts(one)), "Bee caught up", bee, JOIN_BOUND
    )
    assert code_identity(bee.invite_code(one)) == before, "Bee's onion identity changed"
    print(f"Bee caught up {len(missed)} messages {took:.2f} s after its tor was ready")


def test_a_removed_members_onion_connections_are_closed(scene: Scene) -> None:
    one = circle_one(scene)
    ash, bee = scene.nodes["ash"], scene.nodes["bee"]
    cy = scene.nodes.get("cy") or scene.start("cy")
    with explained(cy, ash):
        cy.ok("join", timeout=JOIN_BOUND, code=ash.invite_code(one), name="Cy")
    poll(lambda: ash.peers(one).get("Cy", {}).get("online") is True, "Ash sees Cy", ash)
    cy_peer = ash.peers(one)["Cy"]["peer"]
    for node in (ash, bee):
        poll(
            bound(node, lambda n: cy_peer in n.ok("status")["connected_peers"]),
            f"{node.profile.name} connected to Cy in circle one",
            node,
        )
    cy_key = next(m["id"] for m in ash.ok("members", circle=one)["members"] if m["name"] == "Cy")

    ash.ok("remove_member", circle=one, member=cy_key)
    assert cy.wait_event("removed_from_circle", timeout=STEP_BOUND)["circle"] == one
    for node in (ash, bee):
        poll(
            bound(node, lambda n: cy_peer not in n.ok("status")["connected_peers"]),
            f"{node.profile.name} drops Cy's onion connection",
            node,
        )
    # Cy's other circle, with its own identity, is not touched
    if "two" in scene.circles:
        two = scene.circles["two"]
        poll(lambda: cy.peers(two)["Bee too"]["online"], "Cy and Bee still meet in two", cy)


def test_kill_9_and_restart_keeps_the_onion_address_and_members_reconnect(scene: Scene) -> None:
    one = circle_one(scene)
    ash = scene.nodes["ash"]
    bee = scene.nodes["bee"]
    before = code_identity(ash.invite_code(one))
    tors = descendants([ash.process.pid])
    assert tors, "Ash's node runs no tor of its own"
    os.kill(ash.process.pid, signal.SIGKILL)
    assert ash.wait_exit(10) == -signal.SIGKILL
    scene.nodes.pop("ash")
    scene.retired.append(ash)
    # tor follows its owner (TAKEOWNERSHIP): no tor outlives a killed node
    poll(
        lambda: not any(Path(f"/proc/{pid}").exists() for pid in tors),
        "Ash's tor exits after Ash is killed",
        bee,
        30,
    )
    poll(lambda: not bee.peers(one)["Ash"]["online"], "Bee sees Ash go", bee)

    ash = scene.start("ash")
    assert code_identity(ash.invite_code(one)) == before, "Ash's onion identity changed"
    with explained(ash, bee):
        took = poll(
            lambda: bee.peers(one)["Ash"]["online"] and ash.peers(one)["Bee"]["online"],
            "Ash and Bee reconnect",
            ash,
            JOIN_BOUND,
        )
    ash.ok("send", circle=one, text="back after kill -9")
    wait_for_text(bee, one, "back after kill -9")
    print(f"Ash and Bee reconnected {took:.2f} s after Ash's tor was ready again")


def test_a_killed_tor_is_started_again_and_the_node_says_so(scene: Scene) -> None:
    one = circle_one(scene)
    ash, bee = scene.nodes["ash"], scene.nodes["bee"]
    tors = [pid for pid in descendants([bee.process.pid]) if command_of(pid).startswith("tor")]
    assert len(tors) == 1, f"Bee's node should run one tor: {tors}"
    seen = len(bee.events)
    os.kill(tors[0], signal.SIGKILL)
    # the node says so, starts it again, and is reachable at the same onion once more

    def restarting() -> int:
        """Where in bee.events the "restarting" report is (0: not yet)."""
        for index in range(seen, len(bee.events)):
            event = bee.events[index]
            if event.get("event") == "tor_status" and event.get("state") == "restarting":
                return index
        return 0

    poll(lambda: restarting() > 0, "Bee's node reports its tor restarting", bee)
    # (a "failed" before "restarting" is allowed: tor did stop; after it, only "ready")
    bee.wait_tor_ready(since=restarting() + 1)
    poll(lambda: ash.peers(one)["Bee"]["online"], "Ash and Bee meet again", ash, JOIN_BOUND)
    bee.ok("send", circle=one, text="after tor came back")
    wait_for_text(ash, one, "after tor came back")


def test_a_code_of_the_other_mode_is_refused(scene: Scene) -> None:
    one = circle_one(scene)
    ash, bee = scene.nodes["ash"], scene.nodes["bee"]
    direct = scene.start("dee", tor=False)
    assert direct.ready["mode"] == "direct"
    refused = direct.call("join", code=ash.invite_code(one), name="Dee")
    assert refused["ok"] is False
    assert refused["error"] == REFUSALS[(NetworkMode.DIRECT, NetworkMode.TOR)]
    lan = direct.ok("create_circle", name="LAN circle", member_name="Dee")["circle"]
    refused = bee.call("join", code=direct.invite_code(lan), name="Bee")
    assert refused["ok"] is False
    assert refused["error"] == REFUSALS[(NetworkMode.TOR, NetworkMode.DIRECT)]
    # a refusal is no leak: the direct node's addresses stay out of what Bee said
    assert ip_addresses_in(refused) == []
    scene.stop("dee")
    scene.retired.remove(direct)  # its own output is direct mode's: IPs are expected there


def test_nothing_left_loopback_and_no_ip_address_was_shown(scene: Scene) -> None:
    """Over every test above: every socket of every node and its tor on 127.0.0.1, and
    no IP address in any reply or event (members, history, invites, status...)."""
    for name in ("ash", "bee"):
        if name in scene.nodes:
            scene.nodes[name].ok("status")
            for circle in scene.circles.values():
                scene.nodes[name].call("members", circle=circle)
    report = scene.monitor.report()
    print(f"leak monitor: {report.summary()}")
    assert report.complete, "the leak monitor stopped at its bound before the run ended"
    assert [str(leak) for leak in report.leaks] == []
    watched = [node.process.pid for node in [*scene.retired, *scene.nodes.values()]]
    assert set(watched) <= report.processes, "a node was never sampled"
    assert report.sockets > len(watched), "the nodes held (almost) no sockets: were they sampled?"
    found = [
        f"{who}: {hit.where} = {hit.text}"
        for who, document in scene.everything_seen()
        for hit in ip_addresses_in(document)
    ]
    # and inside every invite code a node gave (base32 hides an address from the scan)
    codes = [
        (who, document["code"])
        for who, document in scene.everything_seen()
        if isinstance(document, dict) and str(document.get("code", "")).startswith("hearth:")
    ]
    assert codes, "no invite code was seen"
    for who, code in codes:
        peer, addresses = code_identity(code)
        assert all(ONION_ADDRESS.fullmatch(address) for address in addresses), (who, addresses)
        found += [f"{who}: invite {hit.text}" for hit in ip_addresses_in([peer, *addresses])]
    print(f"{len(scene.everything_seen())} replies and events, {len(codes)} invite codes scanned")
    assert found == []
