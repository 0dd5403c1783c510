"""Scenes for the hostile-member end-to-end tests: honest `peerapp node` processes (Ash
the founder, Bee a member) shared by a test module, a fresh circle per test, and hostile
members (tests/hostile/member.py) admitted through real invites; plus what the tests
assert about honest members afterwards: they agree on history, members and roles, the
moderation log and the name, and their commands are still answered."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from tests.e2e.node_process import WAIT, Node, Spares
from tests.e2e.sync_support import history_all, poll
from tests.hostile.member import HostileMember


class HonestPool:
    """Ash and Bee for one test, fresh nodes (taken from `spares`: launched ahead, never
    used); a node that died (an attack that works today can kill an engine) is replaced
    by a fresh one."""

    def __init__(self, spares: Spares) -> None:
        self._spares = spares
        self.nodes: dict[str, Node] = {}

    def get(self, name: str) -> Node:
        node = self.nodes.get(name)
        if node is None or node.process.poll() is not None:
            if node is not None:
                node.kill()  # closes the dead node's pipes
            node = self._spares.take()
            self.nodes[name] = node
        return node

    def restart(self, name: str) -> Node:
        """Quit the node and start it again on the same profile."""
        node = self.nodes[name]
        assert node.call("quit")["ok"]
        assert node.wait_exit() == 0
        node.kill()  # closes its pipes
        self.nodes[name] = Node(node.profile)
        return self.nodes[name]

    def close(self) -> None:
        for node in self.nodes.values():
            node.kill()


def honest_pool(spares: Spares) -> Iterator[HonestPool]:
    pool = HonestPool(spares)
    try:
        yield pool
    finally:
        pool.close()


@dataclass
class Scene:
    """One circle: Ash founded it, Bee and Mallory (hostile) joined with Ash's invites."""

    ash: Node
    bee: Node
    circle: str
    mallory: HostileMember
    hostiles: list[HostileMember] = field(default_factory=list)

    @property
    def honest(self) -> list[Node]:
        return [self.ash, self.bee]

    def peer(self, node: Node) -> str:
        return str(node.ready["peer_id"])

    def address(self, node: Node) -> str:
        return str(node.ready["addrs"][0])

    def hostile(self, name: str) -> HostileMember:
        """Another hostile member, admitted with an invite of Ash's and known to everyone."""
        member = HostileMember(name).start()
        self.hostiles.append(member)
        code = self.ash.call("invite", circle=self.circle)
        assert code["ok"], code
        member.join(code["code"])
        for node in self.honest:
            member.connect(self.address(node))
        wait_member(self.honest, self.circle, member.key.hex())
        return member

    def push_to_honest(self, member: HostileMember, events: list[Any]) -> None:
        """Every honest member pulls `events` from `member` (and has ingested them when
        this returns)."""
        for node in self.honest:
            member.push(self.peer(node), events)

    def publish_to_honest(self, member: HostileMember, events: list[Any]) -> None:
        member.publish(events, peers=[self.peer(node) for node in self.honest])

    def close(self) -> None:
        for member in self.hostiles:
            member.close()


def start_scene(pool: HonestPool) -> Scene:
    ash, bee = pool.get("ash"), pool.get("bee")
    created = ash.call("create_circle", name="Hostile test circle", member_name="Ash")
    assert created["ok"], created
    circle = str(created["circle"])
    code = ash.call("invite", circle=circle)
    assert code["ok"], code
    joined = bee.call("join", code=code["code"], name="Bee")
    assert joined["ok"], joined
    scene = Scene(ash, bee, circle, HostileMember("Mallory"))
    scene.hostiles.append(scene.mallory.start())
    code = ash.call("invite", circle=circle)
    assert code["ok"], code
    scene.mallory.join(code["code"])
    for node in scene.honest:
        scene.mallory.connect(scene.address(node))
    wait_member(scene.honest, circle, scene.mallory.key.hex())
    return scene


def member_ids(node: Node, circle: str) -> dict[str, str]:
    reply = node.call("members", circle=circle)
    assert reply["ok"], reply
    return {m["id"]: m["role"] for m in reply["members"]}


def wait_member(nodes: list[Node], circle: str, member: str) -> None:
    for node in nodes:

        def listed(n: Node = node) -> bool:
            return member in member_ids(n, circle)

        poll(listed, "a new member", pace=[node])


def _ok(node: Node, cmd: str, **arguments: Any) -> dict[str, Any]:
    reply = node.call(cmd, **arguments)
    assert reply["ok"], f"{cmd}: {reply}"
    return reply


def snapshot(node: Node, circle: str) -> dict[str, Any]:
    """What an honest member sees of the circle (no reader-specific fields)."""
    info = _ok(node, "circle_info", circle=circle)
    members = sorted(
        (m["id"], m["name"], m["role"]) for m in _ok(node, "members", circle=circle)["members"]
    )
    history = [
        (m["id"], m["author"], m["text"], m["deleted"], m["hidden"])
        for m in history_all(node, circle)
    ]
    log = [
        (e["actor"], e["action"], e["target"], json.dumps(e["details"], sort_keys=True))
        for e in _ok(node, "moderation_log", circle=circle)["entries"]
    ]
    heads = sorted(_ok(node, "sync_status", circle=circle)["heads"])
    return {
        "name": info["name"],
        "members": members,
        "history": history,
        "log": log,
        "heads": heads,
    }


EVERYTHING = ("name", "members", "history", "log", "heads")


def agree(
    nodes: list[Node], circle: str, timeout: float = WAIT, parts: tuple[str, ...] = EVERYTHING
) -> dict[str, Any]:
    """Poll until every node shows the same snapshot (its `parts`); returns the first
    node's whole snapshot."""

    def same() -> dict[str, Any] | None:
        snaps = [snapshot(node, circle) for node in nodes]
        seen = [{part: snap[part] for part in parts} for snap in snaps]
        return snaps[0] if all(s == seen[0] for s in seen[1:]) else None

    return poll(same, "the honest members to agree", timeout, pace=nodes)


def texts(snap: dict[str, Any]) -> list[str]:
    return [text for _, _, text, _, _ in snap["history"]]


def still_answered(scene: Scene, remove: HostileMember | None = None) -> dict[str, Any]:
    """Honest commands still work after the attack: each honest member sends, Ash invites
    (and removes `remove`); then every honest member holds both messages."""
    sent = {node: f"still here: {name}" for node, name in ((scene.ash, "Ash"), (scene.bee, "Bee"))}
    for node, text in sent.items():
        _ok(node, "send", circle=scene.circle, text=text)
    _ok(scene.ash, "invite", circle=scene.circle)
    if remove is not None:
        _ok(scene.ash, "remove_member", circle=scene.circle, member=remove.key.hex())

    def everyone_has_them() -> dict[str, Any] | None:
        snap = agree(scene.honest, scene.circle)
        if not set(sent.values()) <= set(texts(snap)):
            return None
        if remove is not None and any(m[0] == remove.key.hex() for m in snap["members"]):
            return None
        return snap

    return poll(everyone_has_them, "honest messages everywhere", pace=scene.honest)
