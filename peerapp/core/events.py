"""Events the engine reports to its fronts (GUI, headless node, tests).

Immutable snapshots: they never carry keys, seeds, passphrases or message text that the
front did not ask for.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, ClassVar

from peerapp.core.api.contract import Result
from peerapp.core.api.moderation import CircleInfoView, ModerationEntryView
from peerapp.core.api.private_talk import PrivateMessageView


@dataclass(frozen=True)
class EngineEvent:
    name: ClassVar[str] = "event"

    def to_json(self) -> dict[str, Any]:
        return {"event": self.name, **_fields(self)}


def _fields(value: Any) -> Any:
    """dataclasses.asdict, leaving out a nested result's IN_PROCESS fields (bytes for the
    GUI, such as a picture's thumbnail, that a JSON line cannot carry) and a nested view's
    OMIT_DEFAULTS fields while at their default."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        skip: frozenset[str] = frozenset()
        omit: frozenset[str] = frozenset()
        if isinstance(value, Result):
            skip = value.IN_PROCESS  # (a result's OMIT_DEFAULTS is for its reply only)
        else:
            omit = getattr(value, "OMIT_DEFAULTS", frozenset())
        return {
            f.name: _fields(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name not in skip and (f.name not in omit or getattr(value, f.name) != f.default)
        }
    if isinstance(value, (list, tuple)):
        return type(value)(_fields(item) for item in value)
    if isinstance(value, dict):
        return {key: _fields(item) for key, item in value.items()}
    return value


@dataclass(frozen=True)
class EngineReady(EngineEvent):
    """The engine runs and answers commands. Direct mode: the profile's one peer id and
    its dialable addresses. Tor mode: each circle has its own peer id and onion address
    (see `circles`, `invite`), so there is none to give here: "" and (); Tor may still be
    starting (`tor_status` events follow)."""

    name: ClassVar[str] = "ready"
    peer_id: str
    addrs: tuple[str, ...]
    mode: str = "direct"  # "tor" | "direct" (core/network_mode.py)


@dataclass(frozen=True)
class TorStatusChanged(EngineEvent):
    """Tor's state as a person should see it (network/tor/status.py). `state`: starting,
    bootstrapping, ready (reachable privately), stale (circuits lost: the machine slept or
    the network changed; tor recovers by itself), restarting (our tor stopped and is being
    started again), failed (it could not be: `summary` says what to fix). `phase` and
    `progress` are Tor's own bootstrap tag and percent; `summary` its words, fit to show."""

    name: ClassVar[str] = "tor_status"
    state: str
    phase: str
    progress: int
    summary: str


@dataclass(frozen=True)
class PeerConnected(EngineEvent):
    name: ClassVar[str] = "peer_connected"
    peer_id: str


@dataclass(frozen=True)
class PeerDisconnected(EngineEvent):
    name: ClassVar[str] = "peer_disconnected"
    peer_id: str


@dataclass(frozen=True)
class EngineError(EngineEvent):
    """Something failed inside the engine; `message` is short and fit to show a person."""

    name: ClassVar[str] = "error"
    message: str
    fatal: bool


@dataclass(frozen=True)
class EngineStopped(EngineEvent):
    name: ClassVar[str] = "stopped"


@dataclass(frozen=True)
class AttachmentView(Result):
    """A message's picture or file as this reader holds it (issue 15)."""

    name: str
    size: int  # bytes
    mime: str
    have: int  # bytes of it held here (== size: complete)
    # "wanted" (fetched from members), "over_limit" (bigger than the circle's limit:
    # never fetched), "cleared" (cleared by this reader: fetched again on request)
    state: str = "wanted"
    # a small JPEG preview, checked by Pillow on receipt; b"" when none
    thumb: bytes = b""

    IN_PROCESS = frozenset({"thumb"})


@dataclass(frozen=True)
class QuoteView:
    """What a reply shows of the message it answers, as this reader sees it: `removed`
    when that message was deleted, is hidden pending review, is not held here, or is one
    this reader does not see (a blocked member's, a hidden topic's); its text is "" then."""

    author_name: str = ""
    text: str = ""
    cw: str = ""
    removed: bool = False


@dataclass(frozen=True)
class ReactionView:
    """One reaction on a message: who gave it (names and member ids, in the order they
    gave it; blocked members left out) and whether we did."""

    reaction: str
    names: tuple[str, ...]
    members: tuple[str, ...]
    mine: bool = False


@dataclass(frozen=True)
class EarlierVersionView:
    """An edited message's earlier text (facilitators only), oldest first."""

    text: str
    ts: int
    cw: str = ""


@dataclass(frozen=True)
class MessageView:
    id: str
    author: str
    author_name: str
    text: str
    ts: int  # milliseconds since the epoch, by the author's clock
    mine: bool
    lamport: int = 0  # with the id, the message's place in the one order all members share
    held_by: int = 0  # own messages: how many other members are known to hold it
    deleted: str = ""  # "" | "author" | "facilitator": erased, only the tombstone is left
    cw: str = ""  # the author's content warning: a listed topic's key, a custom label, or ""
    mood: int = 0  # a check-in's mood, 1..5; 0 when the message is not a check-in
    hidden: bool = False  # hidden pending review: enough members flagged it as harmful
    harm_flags: int = 0  # how many members flagged it as harmful (never who)
    flagged: bool = False  # we flagged it
    restored: bool = False  # a facilitator reviewed it and restored it
    # this reader's choice for its content warning: "show" | "collapse" ("show" with none)
    filter: str = "show"
    # its author signed another event under the same number (equivocation): both versions
    # are kept and shown, never one silently replacing the other; facilitators compare them
    equivocated: bool = False
    attachment: AttachmentView | None = None  # its picture or file, None when none
    # replies, reactions and edits (issue 15)
    reply_to: str = ""  # the id of the message this one answers, "" when none
    quote: QuoteView | None = None  # a reply's quote of that message
    reactions: tuple[ReactionView, ...] = ()
    edited: bool = False  # its author edited it (the text is the newest version)
    # a facilitator viewing an edited message: its earlier versions, oldest first
    earlier: tuple[EarlierVersionView, ...] = ()
    # `mine`, written under an earlier member key of ours (we were removed and came back
    # with a new invite): shown as ours; not ours to delete or edit as its author any
    # more (core/permissions.py signed_by_me: the rules know authors by key, and that key
    # left the circle), and no delivery state (who held it went with that key)
    earlier_membership: bool = False


@dataclass(frozen=True)
class MemberView:
    id: str
    name: str
    role: str  # "founder" | "facilitator" | "member"
    online: bool
    rank: int | None = None  # 0 the founder, then facilitators by promotion order
    muted_until: int = 0  # ms since the epoch; 0 when not muted
    on_break: bool = False  # the member shows "taking a break"
    blocked: bool = False  # I blocked them (their messages are hidden for me only)
    equivocated: bool = False  # signed two versions of its history (evidence in the log)
    invited_by: str = ""  # the member id that admitted it ("" for the founder)
    # how many times members reported that a key rotation of its could not be opened
    # (a report, not a proof: the reporter could lie)
    unreadable_reports: int = 0
    # what the viewer may do to this member, as core/permissions.py's MemberAction values
    # (the moderation commands): the fronts offer these instead of re-deriving the rules
    actions: tuple[str, ...] = ()
    # for a facilitator viewing: when this member last asked for support recently
    # (core/care_policy.py: a low check-in, or a care flag about them in our mailbox), ms
    # since the epoch; 0 when not recently, and always 0 for a viewer who is no facilitator
    asked_for_support_at: int = 0


@dataclass(frozen=True)
class CircleView:
    id: str
    name: str
    members: int
    unread: int
    quiet: bool = False  # silenced now, by a break or quiet hours: no notifications
    on_break: bool = False  # my own break switch for it, or the global one, is on
    network: str = "direct"  # the mode it was made or joined in: "tor" | "direct"
    # why it sleeps (made in the other network mode than this run's): nothing is sent or
    # dialled for it until the profile switches back; "" when it is reachable
    asleep: str = ""
    # what waits for our care as a facilitator (0 when we do not facilitate): open care
    # flags sent to us, and messages to review (hidden pending review, or reported to us
    # and not resolved yet); `circle_changed` carries them
    care_flags: int = 0
    to_review: int = 0
    # the newest message this reader sees (no blocked member's, no hidden topic's), as
    # `history` would show it (its content warning, hidden pending review, deleted):
    # the circle list's preview; None before the first. A front shows what its own
    # privacy choice allows of it, and follows `message` events from there.
    last_message: MessageView | None = None


@dataclass(frozen=True)
class MessageArrived(EngineEvent):
    name: ClassVar[str] = "message"
    circle: str
    message: MessageView
    silent: bool = False  # arrived while the circle is silenced: no notification
    via: str = "gossip"  # which path stored it: "gossip" (the fast path) or "sync"


@dataclass(frozen=True)
class MemberJoined(EngineEvent):
    name: ClassVar[str] = "member_joined"
    circle: str
    member: MemberView


@dataclass(frozen=True)
class CirclesChanged(EngineEvent):
    """The list of circles changed (one made, joined, left or forgotten), or a break
    changed what many rows show: read `circles` again."""

    name: ClassVar[str] = "circles_changed"


@dataclass(frozen=True)
class CircleChanged(EngineEvent):
    """One circle's row changed (its members came or went, its name): a front updates
    that row from `circle` alone, without asking for the circles again."""

    name: ClassVar[str] = "circle_changed"
    circle: CircleView


@dataclass(frozen=True)
class CircleSettingsChanged(EngineEvent):
    """A circle's settings, or this member's standing in it (role, rank, mute, removal),
    changed, whoever wrote the change and however it arrived: `info` is `circle_info`'s
    answer as of now, so a front updates from it without asking."""

    name: ClassVar[str] = "circle_settings_changed"
    circle: str
    info: CircleInfoView


@dataclass(frozen=True)
class UnreadChanged(EngineEvent):
    """A circle's unread count is now `unread` (messages arrived, or it was marked read):
    a front updates its badge from this alone, without asking for the circles again."""

    name: ClassVar[str] = "unread_changed"
    circle: str
    unread: int


@dataclass(frozen=True)
class SyncProgress(EngineEvent):
    """A large pull is under way: `received` of `total` missing events so far."""

    name: ClassVar[str] = "sync_progress"
    circle: str
    received: int
    total: int


@dataclass(frozen=True)
class AttachmentProgress(EngineEvent):
    """More of a message's picture or file arrived: `have` of `size` bytes are held."""

    name: ClassVar[str] = "attachment_progress"
    circle: str
    message: str
    have: int
    size: int


@dataclass(frozen=True)
class HistoryChanged(EngineEvent):
    """Many events arrived at once (a sync): reload the history instead of appending."""

    name: ClassVar[str] = "history_changed"
    circle: str


@dataclass(frozen=True)
class DeliveryChanged(EngineEvent):
    """Members were found to hold more of our messages: delivery states moved on.
    `held_by`: for each of our messages that moved (message id), how many other members
    now hold it (MessageView.held_by), so a front updates them without asking."""

    name: ClassVar[str] = "delivery_changed"
    circle: str
    held_by: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ModerationHappened(EngineEvent):
    """A moderation action took effect (one `moderation_log` entry): for in-place notices."""

    name: ClassVar[str] = "moderation"
    circle: str
    entry: ModerationEntryView


@dataclass(frozen=True)
class MessageChanged(EngineEvent):
    """A stored message's view changed after it was first shown: hidden pending review or
    shown again, deleted (the view is its tombstone), flagged by one more member, found
    to have a second version. `message` is its view as this reader sees it now (as
    `history` would give it), so a front replaces that one row without asking."""

    name: ClassVar[str] = "message_changed"
    circle: str
    message: MessageView


@dataclass(frozen=True)
class MessageReview(EngineEvent):
    """A message became hidden pending review (enough members flagged it as harmful), or
    showed again (a facilitator restored it, or it was deleted): the review's turn, for a
    facilitator's list and notes. Only ids: the row itself comes as `message_changed`,
    just before."""

    name: ClassVar[str] = "message_review"
    circle: str
    message: str
    hidden: bool


@dataclass(frozen=True)
class RemovedFromCircle(EngineEvent):
    """We were removed (or banned) from a circle: nothing sent there afterwards reaches us."""

    name: ClassVar[str] = "removed_from_circle"
    circle: str
    by: str
    by_name: str
    banned: bool
    # not removed by anyone: our admission lost to another that used the same single-use
    # invite at the same moment (by and by_name are then "")
    admission_lost: bool = False
    reason: str = ""  # the facilitator's words for it, "" when none (the REMOVE/BAN's)


@dataclass(frozen=True)
class RejoinedCircle(EngineEvent):
    """We were removed from this circle and are a member again (a new invite admitted
    us): the history we held stays, and a front shows the circle as it now is."""

    name: ClassVar[str] = "rejoined_circle"
    circle: str


@dataclass(frozen=True)
class MembersChanged(EngineEvent):
    """Roles, mutes, breaks or membership of a circle changed: `members` are its members
    as `members` would list them now (with what this member may do to each). Empty when
    only this reader's own view of them changed (a block): read them again then."""

    name: ClassVar[str] = "members_changed"
    circle: str
    members: tuple[MemberView, ...] = ()


@dataclass(frozen=True)
class ReportReceived(EngineEvent):
    """A member's note reached our facilitator mailbox. Only ids: read it with `reports`."""

    name: ClassVar[str] = "report_received"
    circle: str
    report: str


@dataclass(frozen=True)
class CareFlagReceived(EngineEvent):
    """A member's "I'm worried about someone" flag reached us as a facilitator. Ids only,
    never the note: read it with `flags`. The flagged member is never sent any event."""

    name: ClassVar[str] = "care_flag"
    circle: str
    flag: str
    member: str


@dataclass(frozen=True)
class ResolutionNoteReceived(EngineEvent):
    """Another facilitator resolved a care flag or a report with a note for us (issue 14):
    ids only, never the note; `flags` or `reports` shows it under what it is about (`about`,
    the care flag's or report's id). The member a flag or a report is about never gets it."""

    name: ClassVar[str] = "resolution_note"
    circle: str
    about: str


@dataclass(frozen=True)
class PrivateMessageArrived(EngineEvent):
    """A private message from `member` arrived (core/private_talk.py). `silent`: it came
    while the circle is silenced by a break or quiet hours: stored and shown, no
    notification. Nothing arrives from a member we blocked."""

    name: ClassVar[str] = "private_message"
    circle: str
    member: str
    message: PrivateMessageView
    silent: bool = False


# -- join approval: the JSON says "name" (a circle's or a joiner's), which the class
# attribute `name` (the event's own name) cannot be as a field


@dataclass(frozen=True)
class JoinPending(EngineEvent):
    """Our request to join waits for a facilitator's approval (the circle keeps it)."""

    name: ClassVar[str] = "join_pending"
    circle: str
    circle_name: str

    def to_json(self) -> dict[str, Any]:
        return {"event": self.name, "circle": self.circle, "name": self.circle_name}


@dataclass(frozen=True)
class JoinApproved(EngineEvent):
    """A facilitator approved our waiting join: we are now a member."""

    name: ClassVar[str] = "join_approved"
    circle: str
    circle_name: str

    def to_json(self) -> dict[str, Any]:
        return {"event": self.name, "circle": self.circle, "name": self.circle_name}


@dataclass(frozen=True)
class JoinRejected(EngineEvent):
    """Our waiting join ended without admission; `reason` is fit to show a person, `code`
    the Refusal's code (core/api/refusals.py) for fronts to match on."""

    name: ClassVar[str] = "join_rejected"
    circle: str
    circle_name: str
    reason: str
    code: str

    def to_json(self) -> dict[str, Any]:
        return {
            "event": self.name,
            "circle": self.circle,
            "name": self.circle_name,
            "reason": self.reason,
            "code": self.code,
        }


@dataclass(frozen=True)
class JoinRequestArrived(EngineEvent):
    """Someone asks to join a circle where we are a facilitator and approval is on."""

    name: ClassVar[str] = "join_request"
    circle: str
    request: str
    member_name: str

    def to_json(self) -> dict[str, Any]:
        return {
            "event": self.name,
            "circle": self.circle,
            "request": self.request,
            "name": self.member_name,
        }


@dataclass(frozen=True)
class MembershipEntryView:
    """A member joined or left a circle (its ADD_MEMBER or LEAVE in the log): a
    `membership_log` row, a `membership` event's entry. Removals and bans are moderation
    entries. The name comes from a member: plain text to a front."""

    id: str  # the event's id
    member: str  # member id
    member_name: str
    action: str  # "joined" | "left"
    ts: int  # ms, by the clock of who wrote the event
    lamport: int  # with the id, its place in the circle's one order


@dataclass(frozen=True)
class MembershipChanged(EngineEvent):
    """A member joined or left (accepted in the log, ours or from the network): a front
    places a notice from `entry` alone."""

    name: ClassVar[str] = "membership"
    circle: str
    entry: MembershipEntryView


@dataclass(frozen=True)
class MemberTyping(EngineEvent):
    """A member of a circle whose settings show typing is writing now (an ephemeral
    signal, never stored): show it for `seconds`, unless another comes. Never for a
    member this reader blocked, nor our own."""

    name: ClassVar[str] = "typing"
    circle: str
    member: str
    member_name: str
    seconds: int
