"""Facilitators end to end: real `peerapp node` processes on loopback use every
moderation command, the allowed way and the refused way, and every member's app ends
with the same verdicts."""

from __future__ import annotations

from typing import Any

from tests.binding import bound
from tests.e2e.node_process import Node, StartNode
from tests.e2e.sync_support import form_circle, history_all, poll, wait_history


def _roles(node: Node, circle: str) -> dict[str, str]:
    reply = node.call("members", circle=circle)
    assert reply["ok"], reply
    return {m["name"]: m["role"] for m in reply["members"]}


def _wait_roles(nodes: list[Node], circle: str, roles: dict[str, str]) -> None:
    for node in nodes:
        poll(bound(node, lambda n: _roles(n, circle) == roles), f"roles {roles}", pace=[node])


def _ids(node: Node, circle: str) -> dict[str, str]:
    return {m["name"]: m["id"] for m in node.call("members", circle=circle)["members"]}


def _refused(reply: dict[str, Any], text: str) -> None:
    assert reply["ok"] is False, reply
    assert reply["error"] == text, reply


def test_ranks_decide_who_may_act_on_whom(start_node: StartNode) -> None:
    ash, bee, cy, dee = (start_node() for _ in range(4))
    circle = form_circle(ash, [(bee, "Bee"), (cy, "Cy"), (dee, "Dee")], name="Ranks")
    everyone = [ash, bee, cy, dee]
    ids = _ids(ash, circle)
    _wait_roles(
        everyone, circle, {"Ash": "founder", "Bee": "member", "Cy": "member", "Dee": "member"}
    )

    _refused(
        bee.call("remove_member", circle=circle, member=ids["Cy"]),
        "Only facilitators can remove members.",
    )
    _refused(
        bee.call("promote", circle=circle, member=ids["Bee"]), "Only facilitators can promote."
    )

    assert ash.call("promote", circle=circle, member=ids["Bee"])["ok"]
    assert ash.call("promote", circle=circle, member=ids["Cy"])["ok"]
    roles = {"Ash": "founder", "Bee": "facilitator", "Cy": "facilitator", "Dee": "member"}
    _wait_roles(everyone, circle, roles)
    ranks = {m["name"]: m["rank"] for m in dee.call("members", circle=circle)["members"]}
    assert ranks == {"Ash": 0, "Bee": 1, "Cy": 2, "Dee": None}

    # no one acts on an equal or a senior: the junior Cy cannot touch Bee or Ash
    senior_only = "Facilitators can act only on members ranked below them."
    _refused(cy.call("remove_member", circle=circle, member=ids["Bee"]), senior_only)
    _refused(cy.call("demote", circle=circle, member=ids["Ash"]), senior_only)
    _refused(bee.call("mute", circle=circle, member=ids["Ash"], seconds=60), senior_only)
    _refused(
        bee.call("transfer_founder", circle=circle, member=ids["Cy"]),
        "Only the founder can hand the founder role on.",
    )

    assert bee.call("demote", circle=circle, member=ids["Cy"])["ok"]
    _wait_roles(everyone, circle, {**roles, "Cy": "member"})
    assert ash.call("transfer_founder", circle=circle, member=ids["Bee"])["ok"]
    _wait_roles(
        everyone, circle, {"Ash": "facilitator", "Bee": "founder", "Cy": "member", "Dee": "member"}
    )

    # the moderation log is the same for every member, names included
    def log_of(node: Node) -> list[tuple[str, str, str]] | None:
        entries = node.call("moderation_log", circle=circle)["entries"]
        found = [(e["actor_name"], e["action"], e["target_name"]) for e in entries]
        return found if len(found) == 4 else None

    expected = [
        ("Ash", "promote", "Bee"),
        ("Ash", "promote", "Cy"),
        ("Bee", "demote", "Cy"),
        ("Ash", "transfer_founder", "Bee"),
    ]
    for node in everyone:
        assert poll(bound(node, log_of), "four log entries", pace=[node]) == expected


def test_removal_rekeys_and_the_removed_member_reads_nothing_after(start_node: StartNode) -> None:
    ash, bee, cy = (start_node() for _ in range(3))
    circle = form_circle(ash, [(bee, "Bee"), (cy, "Cy")], name="Removal")
    ids = _ids(ash, circle)
    before = ash.call("send", circle=circle, text="before the removal")["message"]
    wait_history(cy, circle, 1, who="Cy")

    _refused(
        cy.call("remove_member", circle=circle, member=ids["Bee"]),
        "Only facilitators can remove members.",
    )
    assert ash.call("remove_member", circle=circle, member=ids["Cy"])["ok"]

    removed = cy.wait_event("removed_from_circle")
    assert removed["circle"] == circle and removed["by_name"] == "Ash" and not removed["banned"]
    info = cy.call("circle_info", circle=circle)
    assert info["removed"] is True and info["my_role"] is None
    _refused(
        cy.call("send", circle=circle, text="still here?"), "You were removed from this circle."
    )
    _wait_roles([ash, bee], circle, {"Ash": "founder", "Bee": "member"})

    after = ash.call("send", circle=circle, text="after the removal")["message"]
    assert [m["id"] for m in wait_history(bee, circle, 2, who="Bee")][-1] == after
    # Cy keeps what it had, read-only, and never receives what came after
    assert [m["id"] for m in history_all(cy, circle)] == [before]
    cy_peer = cy.call("status")["peer_id"]
    poll(lambda: cy_peer not in ash.call("status")["connected_peers"], "Ash drops Cy", pace=[ash])
    assert after not in [m["id"] for m in history_all(cy, circle)]

    # removed, not banned: a new invite brings Cy back as a new member
    code = ash.call("invite", circle=circle)["code"]
    assert cy.call("join", code=code, name="Cy again")["ok"]
    _wait_roles([ash, bee, cy], circle, {"Ash": "founder", "Bee": "member", "Cy again": "member"})
    assert cy.call("circle_info", circle=circle)["removed"] is False
    entry = [
        e for e in ash.call("moderation_log", circle=circle)["entries"] if e["action"] == "remove"
    ]
    assert [(e["actor_name"], e["target_name"]) for e in entry] == [("Ash", "Cy")]


def test_a_banned_member_cannot_come_back_with_any_invite(start_node: StartNode) -> None:
    ash, bee = start_node(), start_node()
    circle = form_circle(ash, [(bee, "Bee")], name="Ban")
    ids = _ids(ash, circle)
    assert ash.call("ban", circle=circle, member=ids["Bee"])["ok"]
    assert bee.wait_event("removed_from_circle")["banned"] is True
    assert bee.call("circle_info", circle=circle)["banned"] is True
    _refused(
        ash.call("ban", circle=circle, member=ids["Bee"]),
        "They are already banned from this circle.",
    )

    code = ash.call("invite", circle=circle)["code"]
    assert bee.call("join", code=code, name="Bee again")["ok"] is False
    _refused(bee.call("leave", circle=circle), "You were removed from this circle.")
    # the ban is the circle's memory, not a grudge against newcomers
    other = start_node()
    assert other.call("join", code=code, name="Someone new")["ok"]


def test_delete_erases_on_every_member_and_leaves_a_tombstone(start_node: StartNode) -> None:
    ash, bee, cy = (start_node() for _ in range(3))
    circle = form_circle(ash, [(bee, "Bee"), (cy, "Cy")], name="Delete")
    harmful = bee.call("send", circle=circle, text="something harmful")["message"]
    mine = cy.call("send", circle=circle, text="a message I regret")["message"]
    kept = cy.call("send", circle=circle, text="a message that stays")["message"]
    for node in (ash, bee, cy):
        wait_history(node, circle, 3)

    _refused(
        cy.call("delete_message", circle=circle, message=harmful),
        "Only its author or a facilitator ranked above them can delete a message.",
    )
    assert ash.call("delete_message", circle=circle, message=harmful)["ok"]
    assert cy.call("delete_message", circle=circle, message=mine)["ok"]
    _refused(
        cy.call("delete_message", circle=circle, message=mine), "That message was already deleted."
    )
    _refused(
        ash.call("delete_message", circle=circle, message="00" * 32),
        "There is no such message in this circle.",
    )

    def tombstones(node: Node) -> dict[str, tuple[str, str]] | None:
        found = {m["id"]: (m["deleted"], m["text"]) for m in history_all(node, circle)}
        wanted = {
            harmful: ("facilitator", ""),
            mine: ("author", ""),
            kept: ("", "a message that stays"),
        }
        return found if found == wanted else None

    for node in (ash, bee, cy):
        poll(bound(node, tombstones), "two tombstones", pace=[node])


def test_mute_and_slow_mode_are_refused_locally_with_a_reason(start_node: StartNode) -> None:
    ash, bee = start_node(), start_node()
    circle = form_circle(ash, [(bee, "Bee")], name="Quiet")
    ids = _ids(ash, circle)
    assert bee.call("send", circle=circle, text="first")["ok"]

    muted = ash.call("mute", circle=circle, member=ids["Bee"], seconds=600)
    assert muted["ok"] and muted["until"] > 0
    poll(
        lambda: bee.call("circle_info", circle=circle)["muted_until"] > 0,
        "Bee sees the mute",
        pace=[bee],
    )
    _refused(
        bee.call("send", circle=circle, text="muted?"),
        "You are muted in this circle for another 10 minutes.",
    )
    members = {m["name"]: m["muted_until"] for m in ash.call("members", circle=circle)["members"]}
    assert members["Bee"] == muted["until"] and members["Ash"] == 0
    notice = bee.wait_event("moderation")
    assert notice["entry"]["action"] == "mute" and notice["entry"]["target_name"] == "Bee"

    assert ash.call("mute", circle=circle, member=ids["Bee"], seconds=0)["ok"]
    poll(
        lambda: bee.call("circle_info", circle=circle)["muted_until"] == 0,
        "the mute lifts",
        pace=[bee],
    )
    settings = ash.call("set_settings", circle=circle, slow_mode_seconds=3600)
    assert settings["ok"] and settings["slow_mode_seconds"] == 3600
    _refused(
        bee.call("set_settings", circle=circle, slow_mode_seconds=0),
        "Only facilitators can change the settings.",
    )
    poll(
        lambda: bee.call("circle_info", circle=circle)["slow_mode_seconds"] == 3600,
        "slow mode",
        pace=[bee],
    )
    assert bee.call("send", circle=circle, text="one per hour")["ok"]
    reply = bee.call("send", circle=circle, text="too soon")
    assert reply["ok"] is False and reply["error"].startswith(
        "Slow mode is on: you can send again in "
    )
    assert bee.call("circle_info", circle=circle)["next_send_at"] > 0
    # facilitators are exempt
    assert ash.call("send", circle=circle, text="facilitator note")["ok"]
    assert ash.call("send", circle=circle, text="another facilitator note")["ok"]


def test_settings_guidelines_invites_and_revocation(start_node: StartNode) -> None:
    ash, bee = start_node(), start_node()
    circle = form_circle(ash, [(bee, "Bee")], name="Settings")
    assert ash.call("set_settings", circle=circle, guidelines="Listen first.")["ok"]
    poll(
        lambda: bee.call("circle_info", circle=circle)["guidelines"] == "Listen first.",
        "guidelines",
        pace=[bee],
    )

    code = ash.call("invite", circle=circle, max_uses=3)["code"]
    listed = ash.call("invites", circle=circle)["invites"]
    assert [(i["code"], i["uses"], i["max_uses"], i["mine"]) for i in listed] == [
        (code, 0, 3, True)
    ]
    seen_by_bee = poll(
        lambda: bee.call("invites", circle=circle)["invites"], "Bee sees the invite", pace=[bee]
    )
    assert seen_by_bee[0]["code"] is None and seen_by_bee[0]["created_by_name"] == "Ash"

    _refused(
        bee.call("revoke_invite", circle=circle, code=listed[0]["id"]),
        "Only facilitators can revoke invites.",
    )
    assert ash.call("revoke_invite", circle=circle, code=code)["ok"]
    assert ash.call("invites", circle=circle)["invites"] == []
    _refused(
        ash.call("revoke_invite", circle=circle, code=code), "That invite was already revoked."
    )
    stranger = start_node()
    refused = stranger.call("join", code=code, name="Late")
    assert refused["ok"] is False, refused


def test_leave_rekeys_and_forgets_the_circle(start_node: StartNode) -> None:
    ash, bee, cy = (start_node() for _ in range(3))
    circle = form_circle(ash, [(bee, "Bee"), (cy, "Cy")], name="Leaving")
    assert cy.call("leave", circle=circle)["ok"]
    assert poll(lambda: cy.call("circles")["circles"] == [], "Cy's list empties", pace=[cy]) is True
    _wait_roles([ash, bee], circle, {"Ash": "founder", "Bee": "member"})
    _refused(cy.call("history", circle=circle), "You are not in that circle.")
    after = bee.call("send", circle=circle, text="after Cy left")["message"]
    assert [m["id"] for m in wait_history(ash, circle, 1)] == [after]
