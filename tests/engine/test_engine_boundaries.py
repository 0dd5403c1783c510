"""A reader's boundaries with real engines on loopback: blocking hides a member's messages
for the blocker only and tells nobody; content-warning filters collapse or hide by topic;
a break (a circle's, the global one, or quiet hours) marks arriving messages silent and
circles quiet; a break's status shows members "taking a break"; a restart keeps it all."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from peerapp.core.errors import CommandError
from peerapp.core.events import MessageArrived
from peerapp.core.quiet_hours import MINUTES_PER_DAY, format_time
from peerapp.engine.circle_service import CircleService
from peerapp.engine.clock import Clock
from tests.binding import bound
from tests.engine.test_engine_moderation import Member, _circle, _until

# what a member's app may report while others only talk (never about a block)
# (history_changed: a sync that stored several events at once)
ORDINARY = {
    "message",
    "circles_changed",
    "unread_changed",
    "delivery_changed",
    "history_changed",
    "peer_connected",
    "sync_progress",
}


@pytest.fixture
def three(tmp_path: Path) -> Iterator[tuple[Member, Member, Member, str]]:
    """Ash (founder), Bee and Cy in one circle; every engine stopped afterwards."""
    members = [Member(tmp_path, name) for name in ("Ash", "Bee", "Cy")]
    try:
        ash, bee, cy = members
        yield ash, bee, cy, _circle(members)
    finally:
        for member in members:
            member.thread.stop()


def _ids(member: Member, circle: str) -> dict[str, str]:
    return {m["name"]: m["id"] for m in member.call("members", circle=circle)["members"]}


def _history(member: Member, circle: str) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = member.call("history", circle=circle)["messages"]
    return messages


def _texts(member: Member, circle: str) -> list[str]:
    return [m["text"] for m in _history(member, circle)]


def _holds(member: Member, circle: str, message: str) -> bool:
    """Whether the member's app stored the message (shown to it or not)."""

    async def work(service: CircleService) -> bool:
        return bool(service.store.present([bytes.fromhex(message)]))

    return member.inside(work)


def _arrived(member: Member, message: str) -> MessageArrived | None:
    found = [e for e in member.events.of_type(MessageArrived) if e.message.id == message]
    return found[0] if found else None


def _circle_view(member: Member, circle: str) -> dict[str, Any]:
    views = member.call("circles")["circles"]
    view: dict[str, Any] = next(v for v in views if v["id"] == circle)
    return view


def _refused(member: Member, command: str, /, **arguments: Any) -> str:
    with pytest.raises(CommandError) as raised:
        member.call(command, **arguments)
    return raised.value.message


def _send(member: Member, circle: str, text: str, **extra: Any) -> str:
    return str(member.call("send", circle=circle, text=text, **extra)["message"])


def test_blocking_hides_a_member_for_the_blocker_only_and_tells_nobody(
    three: tuple[Member, Member, Member, str],
) -> None:
    ash, bee, cy, circle = three
    ids = _ids(ash, circle)
    before_block = _send(cy, circle, "from Cy, before")
    for member in (ash, bee):
        _until(bound(member, lambda m: _arrived(m, before_block)), f"{member.name} gets it")
    log_size = ash.call("sync_status", circle=circle)["events"]
    cy_heard = len(cy.events.seen)

    assert ash.call("block", circle=circle, member=ids["Cy"]) == {}
    assert ash.call("block", circle=circle, member=ids["Cy"]) == {}  # twice is fine
    assert "from Cy, before" not in _texts(ash, circle)
    assert "from Cy, before" in _texts(bee, circle)
    blocked = {m["name"]: m["blocked"] for m in ash.call("members", circle=circle)["members"]}
    assert blocked == {"Ash": False, "Bee": False, "Cy": True}
    assert not any(m["blocked"] for m in bee.call("members", circle=circle)["members"])
    # the block is not in the circle's log: nothing was authored
    assert ash.call("sync_status", circle=circle)["events"] == log_size

    ash.call("mark_read", circle=circle)
    after_block = _send(cy, circle, "from Cy, after")
    marker = _send(bee, circle, "from Bee")
    _until(lambda: _arrived(bee, after_block), "Bee gets Cy's message")
    _until(lambda: _arrived(ash, marker), "Ash gets Bee's message")
    _until(lambda: _holds(ash, circle, after_block), "Ash's app holds Cy's message")
    assert _arrived(ash, after_block) is None
    assert _texts(ash, circle)[-1] == "from Bee"
    assert "from Cy, after" not in _texts(ash, circle)
    assert _circle_view(ash, circle)["unread"] == 1  # Bee's only
    # Cy was told nothing: only the ordinary traffic of its own sending reached it
    told = {event.name for event in cy.events.seen[cy_heard:]}
    assert told <= ORDINARY, told
    assert not any(m["blocked"] for m in cy.call("members", circle=circle)["members"])

    assert "yourself" in _refused(ash, "block", circle=circle, member=ids["Ash"])
    stranger = "ab" * 32
    assert "not a member" in _refused(ash, "block", circle=circle, member=stranger)
    assert "not a member id" in _refused(ash, "block", circle=circle, member="nope")
    assert "not in that circle" in _refused(ash, "block", circle="00" * 16, member=ids["Cy"])

    assert ash.call("unblock", circle=circle, member=ids["Cy"]) == {}
    texts = _texts(ash, circle)
    assert {"from Cy, before", "from Cy, after", "from Bee"} <= set(texts)
    assert not any(m["blocked"] for m in ash.call("members", circle=circle)["members"])


def test_filters_collapse_or_hide_messages_by_their_content_warning(
    three: tuple[Member, Member, Member, str],
) -> None:
    ash, bee, cy, circle = three
    defaults = ash.call("filters")["filters"]
    assert list(defaults) == [
        "self-harm",
        "suicide",
        "abuse",
        "eating",
        "substances",
        "grief",
        "violence",
        "other",
    ]
    assert set(defaults.values()) == {"collapse"}
    grief = _send(bee, circle, "about my dad", cw="grief")
    custom = _send(bee, circle, "a long week", cw="exams")
    plain = _send(bee, circle, "hello all")
    for member in (ash, cy):
        _until(bound(member, lambda m: _arrived(m, plain)), f"{member.name} gets Bee's messages")
    by_id = {m["id"]: m for m in _history(ash, circle)}
    assert [(by_id[i]["cw"], by_id[i]["filter"]) for i in (grief, custom, plain)] == [
        ("grief", "collapse"),
        ("exams", "collapse"),
        ("", "show"),
    ]
    # the author's own messages are never filtered
    own = {m["id"]: m["filter"] for m in _history(bee, circle)}
    assert own[grief] == own[custom] == "show"

    replied = ash.call("set_filters", grief="hide", abuse="show")["filters"]
    assert (replied["grief"], replied["abuse"], replied["other"]) == ("hide", "show", "collapse")
    assert ash.call("filters")["filters"] == replied
    ids = [m["id"] for m in _history(ash, circle)]
    assert grief not in ids and custom in ids and plain in ids
    assert grief in [m["id"] for m in _history(cy, circle)]

    again = _send(bee, circle, "still missing him", cw="grief")
    marker = _send(bee, circle, "and a plain line")
    _until(lambda: _arrived(ash, marker), "Ash gets the plain line")
    _until(lambda: _arrived(cy, again), "Cy gets the grief message")
    assert _holds(ash, circle, again) and _arrived(ash, again) is None

    # custom labels fall under "other"
    ash.call("set_filters", other="hide")
    ids = [m["id"] for m in _history(ash, circle)]
    assert custom not in ids and plain in ids
    ash.call("set_filters", grief="show", other="show")
    shown = {m["id"]: m["filter"] for m in _history(ash, circle)}
    assert shown[grief] == shown[again] == shown[custom] == "show"

    assert "show, collapse or hide" in _refused(ash, "set_filters", grief="blur")
    assert "does not take" in _refused(ash, "set_filters", weather="hide")
    assert "must be text" in _refused(ash, "set_filters", grief=True)


def _quiet_hours_around_now(offset: int) -> dict[str, str]:
    """A two-hour window starting `offset` minutes from now (local time)."""
    now = Clock().local_minutes()  # the engines' clock: the system's
    start = (now + offset) % MINUTES_PER_DAY
    return {"start": format_time(start), "end": format_time((start + 120) % MINUTES_PER_DAY)}


def test_a_break_silences_arriving_messages_and_marks_circles_quiet(
    three: tuple[Member, Member, Member, str],
) -> None:
    ash, bee, cy, circle = three
    view = _circle_view(ash, circle)
    assert (view["quiet"], view["on_break"]) == (False, False)

    def silent_at(member: Member, message: str) -> bool:
        arrived = _until(lambda: _arrived(member, message), f"{member.name} gets it")
        return arrived.silent

    # a circle's own break
    reply = ash.call("set_break", circle=circle, on=True)
    assert reply == {"on": True, "quiet_hours": None, "status": False}
    assert (_circle_view(ash, circle)["quiet"], _circle_view(ash, circle)["on_break"]) == (
        True,
        True,
    )
    assert not _circle_view(bee, circle)["quiet"]
    message = _send(bee, circle, "while Ash rests")
    assert silent_at(ash, message) and not silent_at(cy, message)
    _until(lambda: _circle_view(ash, circle)["unread"] >= 1, "unread still counts")

    # the global break covers every circle
    ash.call("set_break", circle=circle, on=False)
    assert ash.call("set_break", on=True) == {"on": True, "quiet_hours": None, "status": False}
    assert _circle_view(ash, circle)["on_break"] and _circle_view(ash, circle)["quiet"]
    message = _send(cy, circle, "global break")
    assert silent_at(ash, message)
    breaks = ash.call("breaks")
    assert breaks == {
        "global": {"on": True, "quiet_hours": None, "status": False},
        "circles": {circle: {"on": False, "quiet_hours": None, "status": False}},
    }
    ash.call("set_break", on=False)
    message = _send(cy, circle, "back")
    assert not silent_at(ash, message)

    # quiet hours: silenced inside the window, by the rule, without a break
    window = _quiet_hours_around_now(-60)
    assert ash.call("set_break", on=False, quiet_hours=window)["quiet_hours"] == window
    assert _circle_view(ash, circle)["quiet"] and not _circle_view(ash, circle)["on_break"]
    message = _send(bee, circle, "at night")
    assert silent_at(ash, message)
    later = _quiet_hours_around_now(180)
    ash.call("set_break", on=False, quiet_hours=later)
    assert not _circle_view(ash, circle)["quiet"]
    message = _send(bee, circle, "in the day")
    assert not silent_at(ash, message)
    # a circle's own quiet hours; on/status alone keep the schedule, null clears it
    ash.call("set_break", circle=circle, on=False, quiet_hours=window)
    assert _circle_view(ash, circle)["quiet"]
    assert ash.call("set_break", circle=circle, on=False)["quiet_hours"] == window
    assert ash.call("set_break", circle=circle, on=False, quiet_hours=None)["quiet_hours"] is None
    assert not _circle_view(ash, circle)["quiet"]
    same = {"start": "08:00", "end": "08:00"}  # equal times: no quiet hours
    assert ash.call("set_break", on=False, quiet_hours=same)["quiet_hours"] is None

    bad = {"start": "25:00", "end": "07:00"}
    assert "hours go from 00 to 23" in _refused(ash, "set_break", on=True, quiet_hours=bad)
    odd = {"start": "22:00"}
    assert "a start and an end" in _refused(ash, "set_break", on=True, quiet_hours=odd)
    assert "must be an object or null" in _refused(ash, "set_break", on=True, quiet_hours="22")
    assert ash.call("breaks")["global"]["on"] is False  # refused: nothing changed


def _on_break(observer: Member, circle: str, name: str) -> bool:
    members = {m["name"]: m for m in observer.call("members", circle=circle)["members"]}
    return bool(members[name]["on_break"])


def test_a_break_with_status_shows_members_taking_a_break(
    three: tuple[Member, Member, Member, str],
) -> None:
    ash, bee, _, circle = three
    log_size = ash.call("sync_status", circle=circle)["events"]
    # a break without status: nothing is shown, nothing authored
    ash.call("set_break", circle=circle, on=True)
    assert ash.call("sync_status", circle=circle)["events"] == log_size
    ash.call("set_break", circle=circle, on=True, status=True)
    _until(lambda: _on_break(bee, circle, "Ash"), "Bee sees Ash taking a break")
    # the global break with status as well: still shown, no second STATUS
    ash.call("set_break", on=True, status=True)
    ash.call("set_break", circle=circle, on=False)
    assert ash.call("sync_status", circle=circle)["events"] == log_size + 1
    # the last break ends: shown no more
    ash.call("set_break", on=False)
    _until(lambda: _on_break(bee, circle, "Ash") is False, "Bee sees Ash back")
    assert ash.call("sync_status", circle=circle)["events"] == log_size + 2
    # status turned off while on: shown no more either
    ash.call("set_break", on=True, status=True)
    _until(lambda: _on_break(bee, circle, "Ash"), "Bee sees the global break")
    ash.call("set_break", on=True, status=False)
    _until(lambda: _on_break(bee, circle, "Ash") is False, "Bee sees the status off")
    # a circle created while the global break shows its status shows it from the start
    ash.call("set_break", on=True, status=True)
    second = ash.call("create_circle", name="Second", member_name="Ash")["circle"]
    assert _on_break(ash, second, "Ash") is True


def test_a_restart_keeps_blocks_filters_and_breaks(
    three: tuple[Member, Member, Member, str],
) -> None:
    ash, bee, cy, circle = three
    ids = _ids(ash, circle)
    from_cy = _send(cy, circle, "from Cy")
    _until(lambda: _arrived(ash, from_cy), "Ash gets Cy's message")
    ash.call("block", circle=circle, member=ids["Cy"])
    filters = ash.call("set_filters", suicide="hide", other="show")["filters"]
    ash.call("set_break", circle=circle, on=True)
    window = _quiet_hours_around_now(-60)
    ash.call("set_break", on=False, quiet_hours=window)
    breaks = ash.call("breaks")

    ash.restart()

    assert ash.call("filters")["filters"] == filters
    assert ash.call("breaks") == breaks
    assert {m["name"] for m in ash.call("members", circle=circle)["members"] if m["blocked"]} == {
        "Cy"
    }
    assert "from Cy" not in _texts(ash, circle)
    view = _circle_view(ash, circle)
    assert view["quiet"] and view["on_break"]
    # and blocking still keeps new messages out
    _until(lambda: len(ash.call("status")["connected_peers"]) == 2, "Ash reconnects")
    after = _send(cy, circle, "after the restart")
    marker = _send(bee, circle, "marker")
    _until(lambda: _arrived(ash, marker), "Ash gets Bee's marker")
    _until(lambda: _holds(ash, circle, after), "Ash's app holds Cy's message")
    assert _arrived(ash, after) is None
