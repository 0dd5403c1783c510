"""Engine events: immutable, JSON-shaped, each with its own name."""

from __future__ import annotations

import dataclasses
import json

import pytest

from peerapp.core import events
from peerapp.core.api.moderation import CircleInfoView, ModerationEntryView, MuteDetails
from peerapp.core.api.private_talk import PrivateMessageView
from peerapp.core.events import (
    AttachmentProgress,
    AttachmentView,
    CareFlagReceived,
    CircleChanged,
    CirclesChanged,
    CircleSettingsChanged,
    CircleView,
    DeliveryChanged,
    EngineError,
    EngineEvent,
    EngineReady,
    EngineStopped,
    HistoryChanged,
    JoinApproved,
    JoinPending,
    JoinRejected,
    JoinRequestArrived,
    MemberJoined,
    MembersChanged,
    MembershipChanged,
    MembershipEntryView,
    MemberTyping,
    MemberView,
    MessageArrived,
    MessageChanged,
    MessageReview,
    MessageView,
    ModerationHappened,
    PeerConnected,
    PeerDisconnected,
    PrivateMessageArrived,
    RejoinedCircle,
    RemovedFromCircle,
    ReportReceived,
    ResolutionNoteReceived,
    SyncProgress,
    TorStatusChanged,
    UnreadChanged,
)

MUTE = MuteDetails(until=9)
PEER = "12D3KooWK99VoVxNE7XzyBwXEzW7xhK7Gpv85r9F3V3fyKSUKPH5"
ADDR = f"/ip4/127.0.0.1/tcp/4001/p2p/{PEER}"

SHAPES = [
    (
        EngineReady(peer_id=PEER, addrs=(ADDR,)),
        {"event": "ready", "peer_id": PEER, "addrs": [ADDR], "mode": "direct"},
    ),
    (
        EngineReady(peer_id="", addrs=(), mode="tor"),
        {"event": "ready", "peer_id": "", "addrs": [], "mode": "tor"},
    ),
    (
        TorStatusChanged("bootstrapping", "conn", 5, "Connecting to a relay"),
        {
            "event": "tor_status",
            "state": "bootstrapping",
            "phase": "conn",
            "progress": 5,
            "summary": "Connecting to a relay",
        },
    ),
    (PeerConnected(peer_id=PEER), {"event": "peer_connected", "peer_id": PEER}),
    (PeerDisconnected(peer_id=PEER), {"event": "peer_disconnected", "peer_id": PEER}),
    (
        EngineError(message="The disk is full.", fatal=True),
        {"event": "error", "message": "The disk is full.", "fatal": True},
    ),
    (
        EngineError(message="Busy.", fatal=False),
        {"event": "error", "message": "Busy.", "fatal": False},
    ),
    (EngineStopped(), {"event": "stopped"}),
    (
        MessageArrived(
            "ab" * 16, MessageView("cd" * 32, "ef" * 32, "Bee", "hello", 1_700_000, False)
        ),
        {
            "event": "message",
            "circle": "ab" * 16,
            "message": {
                "id": "cd" * 32,
                "author": "ef" * 32,
                "author_name": "Bee",
                "text": "hello",
                "ts": 1_700_000,
                "mine": False,
                "lamport": 0,
                "held_by": 0,
                "deleted": "",
                "cw": "",
                "mood": 0,
                "hidden": False,
                "harm_flags": 0,
                "flagged": False,
                "restored": False,
                "filter": "show",
                "equivocated": False,
                "attachment": None,
                "reply_to": "",
                "quote": None,
                "reactions": [],
                "edited": False,
                "earlier": [],
                "earlier_membership": False,
            },
            "silent": False,
            "via": "gossip",
        },
    ),
    (
        MemberJoined("ab" * 16, MemberView("ef" * 32, "Em", "member", True)),
        {
            "event": "member_joined",
            "circle": "ab" * 16,
            "member": {
                "id": "ef" * 32,
                "name": "Em",
                "role": "member",
                "online": True,
                "rank": None,
                "muted_until": 0,
                "on_break": False,
                "blocked": False,
                "equivocated": False,
                "invited_by": "",
                "unreadable_reports": 0,
                "actions": [],
                "asked_for_support_at": 0,
            },
        },
    ),
    (CirclesChanged(), {"event": "circles_changed"}),
    (
        UnreadChanged("ab" * 16, 3),
        {"event": "unread_changed", "circle": "ab" * 16, "unread": 3},
    ),
    (
        SyncProgress("ab" * 16, 3400, 10000),
        {"event": "sync_progress", "circle": "ab" * 16, "received": 3400, "total": 10000},
    ),
    (HistoryChanged("ab" * 16), {"event": "history_changed", "circle": "ab" * 16}),
    (
        AttachmentProgress("ab" * 16, "cd" * 32, 100, 300),
        {
            "event": "attachment_progress",
            "circle": "ab" * 16,
            "message": "cd" * 32,
            "have": 100,
            "size": 300,
        },
    ),
    (
        DeliveryChanged("ab" * 16, {"cd" * 32: 2}),
        {"event": "delivery_changed", "circle": "ab" * 16, "held_by": {"cd" * 32: 2}},
    ),
    (
        MembersChanged("ab" * 16),
        {"event": "members_changed", "circle": "ab" * 16, "members": []},
    ),
    (
        MembershipChanged("ab" * 16, MembershipEntryView("e2", "cd" * 32, "Sam", "joined", 5, 6)),
        {
            "event": "membership",
            "circle": "ab" * 16,
            "entry": {
                "id": "e2",
                "member": "cd" * 32,
                "member_name": "Sam",
                "action": "joined",
                "ts": 5,
                "lamport": 6,
            },
        },
    ),
    (
        MemberTyping("ab" * 16, "cd" * 32, "Sam", 6),
        {
            "event": "typing",
            "circle": "ab" * 16,
            "member": "cd" * 32,
            "member_name": "Sam",
            "seconds": 6,
        },
    ),
    (
        ModerationHappened(
            "ab" * 16,
            ModerationEntryView("e1", "cd" * 32, "Bee", "mute", "ef" * 32, "Em", 5, 6, MUTE),
        ),
        {
            "event": "moderation",
            "circle": "ab" * 16,
            "entry": {
                "id": "e1",
                "actor": "cd" * 32,
                "actor_name": "Bee",
                "action": "mute",
                "target": "ef" * 32,
                "target_name": "Em",
                "ts": 5,
                "lamport": 6,
                "details": {"until": 9, "reason": ""},  # the reason's key always there
            },
        },
    ),
    (
        RemovedFromCircle("ab" * 16, "cd" * 32, "Bee", banned=False),
        {
            "event": "removed_from_circle",
            "circle": "ab" * 16,
            "by": "cd" * 32,
            "by_name": "Bee",
            "banned": False,
            "admission_lost": False,
            "reason": "",
        },
    ),
    (
        RemovedFromCircle("ab" * 16, "cd" * 32, "Bee", banned=True, reason="threats"),
        {
            "event": "removed_from_circle",
            "circle": "ab" * 16,
            "by": "cd" * 32,
            "by_name": "Bee",
            "banned": True,
            "admission_lost": False,
            "reason": "threats",
        },
    ),
    (RejoinedCircle("ab" * 16), {"event": "rejoined_circle", "circle": "ab" * 16}),
]


# join approval: "name" in the JSON is the circle's (or the joiner's) name
SHAPES += [
    (
        JoinPending("ab" * 16, "Tuesday"),
        {"event": "join_pending", "circle": "ab" * 16, "name": "Tuesday"},
    ),
    (
        JoinApproved("ab" * 16, "Tuesday"),
        {"event": "join_approved", "circle": "ab" * 16, "name": "Tuesday"},
    ),
    (
        JoinRejected("ab" * 16, "Tuesday", "Not approved.", "join_declined"),
        {
            "event": "join_rejected",
            "circle": "ab" * 16,
            "name": "Tuesday",
            "reason": "Not approved.",
            "code": "join_declined",
        },
    ),
    (
        JoinRequestArrived("ab" * 16, "cd" * 32, "Em"),
        {"event": "join_request", "circle": "ab" * 16, "request": "cd" * 32, "name": "Em"},
    ),
]

# finer events (issue 13): each carries the view a front shows, as of now
MEMBER = MemberView("cd" * 32, "Bee", "member", True, actions=("mute",))
INFO = CircleInfoView(
    circle="ab" * 16,
    name="Tuesday",
    guidelines="Be kind.",
    slow_mode_seconds=0,
    join_approval=False,
    harm_flags_to_hide=3,
    members_invite=False,
    flag_after_hours=24,
    may_invite="",
    my_id="ef" * 32,
    my_role="founder",
    my_rank=0,
    muted_until=0,
    next_send_at=0,
    removed=False,
    banned=False,
    members=2,
)
HIDDEN = MessageView("12" * 32, "cd" * 32, "Bee", "", 1, False, lamport=7, hidden=True)
SHAPES += [
    (
        MembersChanged("ab" * 16, (MEMBER,)),
        {
            "event": "members_changed",
            "circle": "ab" * 16,
            "members": [dataclasses.asdict(MEMBER) | {"actions": ["mute"]}],
        },
    ),
    (
        CircleChanged(CircleView("ab" * 16, "Tuesday", members=3, unread=1, care_flags=2)),
        {
            "event": "circle_changed",
            "circle": {
                "id": "ab" * 16,
                "name": "Tuesday",
                "members": 3,
                "unread": 1,
                "quiet": False,
                "on_break": False,
                "network": "direct",
                "asleep": "",
                "care_flags": 2,
                "to_review": 0,
                "last_message": None,  # none said yet (a message view otherwise)
            },
        },
    ),
    (
        CircleSettingsChanged("ab" * 16, INFO),
        {
            "event": "circle_settings_changed",
            "circle": "ab" * 16,
            "info": dataclasses.asdict(INFO),
        },
    ),
    (
        MessageChanged("ab" * 16, HIDDEN),
        {
            "event": "message_changed",
            "circle": "ab" * 16,
            # as JSON reads it back (a view's tuples are lists there)
            "message": json.loads(json.dumps(dataclasses.asdict(HIDDEN))),
        },
    ),
]

# the facilitator mailbox: ids only, never what was reported or why
SHAPES += [
    (
        ReportReceived("ab" * 16, "cd" * 16),
        {"event": "report_received", "circle": "ab" * 16, "report": "cd" * 16},
    ),
    (
        CareFlagReceived("ab" * 16, "cd" * 16, "ef" * 32),
        {"event": "care_flag", "circle": "ab" * 16, "flag": "cd" * 16, "member": "ef" * 32},
    ),
    (
        ResolutionNoteReceived("ab" * 16, "cd" * 16),
        {"event": "resolution_note", "circle": "ab" * 16, "about": "cd" * 16},
    ),
    (
        PrivateMessageArrived(
            "ab" * 16,
            "ef" * 32,
            PrivateMessageView(
                id="cd" * 16,
                author="ef" * 32,
                author_name="Bee",
                text="Thank you",
                ts=5,
                stored_at=6,
                mine=False,
                read=False,
                delivered=True,
            ),
            silent=True,
        ),
        {
            "event": "private_message",
            "circle": "ab" * 16,
            "member": "ef" * 32,
            "message": {
                "id": "cd" * 16,
                "author": "ef" * 32,
                "author_name": "Bee",
                "text": "Thank you",
                "ts": 5,
                "stored_at": 6,
                "mine": False,
                "read": False,
                "delivered": True,
            },
            "silent": True,
        },
    ),
    (
        MessageReview("ab" * 16, "cd" * 32, hidden=True),
        {"event": "message_review", "circle": "ab" * 16, "message": "cd" * 32, "hidden": True},
    ),
]


@pytest.mark.parametrize(
    ("event", "shape"), SHAPES, ids=[f"{type(e).__name__}-{i}" for i, (e, _) in enumerate(SHAPES)]
)
def test_to_json_shape(event: EngineEvent, shape: dict[str, object]) -> None:
    document = event.to_json()
    assert next(iter(document)) == "event"  # the name leads, for people reading JSON lines
    # a JSON-lines front serialises the dict; what a reader gets back is the shape
    assert json.loads(json.dumps(document)) == shape


def _event_classes() -> list[type[EngineEvent]]:
    return [
        value
        for value in vars(events).values()
        if isinstance(value, type) and issubclass(value, EngineEvent) and value is not EngineEvent
    ]


def test_every_event_class_is_in_the_shape_table() -> None:
    assert {type(event) for event, _ in SHAPES} == set(_event_classes())


def test_event_names_are_distinct_and_not_a_field() -> None:
    classes = _event_classes()
    names = [cls.name for cls in classes]
    assert len(names) == len(set(names))
    for cls in classes:
        field_names = {f.name for f in dataclasses.fields(cls)}
        assert "event" not in field_names  # would silently overwrite the name in to_json
        assert "name" not in field_names


def test_events_are_immutable() -> None:
    event = PeerConnected(peer_id=PEER)
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.peer_id = "other"  # type: ignore[misc]


def test_a_pictures_thumbnail_stays_out_of_the_json_line() -> None:
    """The thumbnail is for the GUI (in process): a JSON line cannot carry bytes."""
    attachment = AttachmentView("a.jpg", 300, "image/jpeg", 0, "wanted", b"\xff\xd8")
    view = MessageView("cd" * 32, "ef" * 32, "Bee", "", 1_700_000, False, attachment=attachment)
    document = MessageArrived("ab" * 16, view).to_json()
    assert json.loads(json.dumps(document))["message"]["attachment"] == {
        "name": "a.jpg",
        "size": 300,
        "mime": "image/jpeg",
        "have": 0,
        "state": "wanted",
    }
