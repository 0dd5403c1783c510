"""The circle parts wired to each other, in one place.

`build_parts(database, context, around)` makes every part of a member's circles (the
write path, the late-event resolver, sync, receiving keys, moderation, reconnects,
safety, boundaries, messages, what accepted events change in the views (messages,
members, settings, the circle's row), joins, ingest, disk use, the mailbox, private
conversations, pictures and files) and hands each only what it needs: the other parts,
the context (clock, emit, spawn, timings) and the `Surroundings`, which is everything
the parts reach outside themselves (the network's hosts and peers, and what the circle
service does around them). CircleService passes its own surroundings; the socket-free
tests (tests/engine/circle_parts.py) pass recorders and a FakeClock, so they test the
very wiring the app runs.

Parts that need each other both ways (the log asks receiving keys for a fresh key,
receiving keys write through the log) reach the later-made part through a lambda, called
only once every part exists.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from peerapp.core.api.refusals import Refusal
from peerapp.core.errors import CommandError
from peerapp.core.events import CircleView, MemberView
from peerapp.core.network_mode import NetworkMode
from peerapp.core.quotas import DEFAULT_RULES, QuotaRules
from peerapp.engine.attachments import Attachments
from peerapp.engine.boundaries import Boundaries
from peerapp.engine.care import asked_for_support
from peerapp.engine.circle_changes import ROW, CircleChanges
from peerapp.engine.circle_join import JoinService
from peerapp.engine.circle_log import CircleLog
from peerapp.engine.circle_runtime import CircleRuntime
from peerapp.engine.circle_sync import CircleSync
from peerapp.engine.content import Content
from peerapp.engine.context import EngineContext
from peerapp.engine.disk_usage import DiskUsage
from peerapp.engine.ingest import Ingest
from peerapp.engine.late_events import LateEvents
from peerapp.engine.mailbox import Mailbox
from peerapp.engine.member_views import member_views
from peerapp.engine.membership_notices import MembershipNotices
from peerapp.engine.message_changes import MessageChanges
from peerapp.engine.messages import Messages
from peerapp.engine.moderation import Moderation
from peerapp.engine.outbox import Outbox
from peerapp.engine.private_talk import PrivateTalk
from peerapp.engine.reach import Reach
from peerapp.engine.receiving_keys import ReceivingKeys
from peerapp.engine.reconnects import Reconnects
from peerapp.engine.runtimes import CircleRuntimes
from peerapp.engine.safety import Safety
from peerapp.engine.search import MessageSearch
from peerapp.engine.topics import CircleTopics
from peerapp.engine.typing_signals import TypingSignals
from peerapp.network.host import NetworkNode
from peerapp.storage.attachment_store import AttachmentStore
from peerapp.storage.boundaries_store import BoundariesStore
from peerapp.storage.circle_store import CircleStore
from peerapp.storage.content_store import ContentStore
from peerapp.storage.database import Database
from peerapp.storage.exchange_key_store import ExchangeKeyStore
from peerapp.storage.mailbox_store import MailboxStore
from peerapp.storage.private_store import PrivateStore
from peerapp.storage.search_store import SearchStore


@dataclass(frozen=True)
class Surroundings:
    """What the parts reach outside themselves (the circle service's; a test's recorders)."""

    # the engine's dropped counters
    count: Callable[[str], None]
    # yield to waiting commands between steps of bulk work
    give_way: Callable[[], Awaitable[None]]
    # the host a circle's topics are subscribed at (None: not open)
    subscribe_at: Callable[[bytes], NetworkNode | None]
    # the host a membership is reached at, if open in this run's mode
    node: Callable[[bytes], NetworkNode | None]
    # whether the circle's host is open in this run (nothing is published when not)
    reachable: Callable[[bytes], bool]
    # the running network, None before it runs
    reach: Callable[[], Reach | None]
    # a membership's network mode
    mode_of: Callable[[bytes], NetworkMode]
    # the peers connected at any host
    online: Callable[[], set[str]]
    # membership changed: the network gate acts on it now
    access_changed: Callable[[], None]
    # close our connections to a peer that shares no circle with us any more
    # (peer, opened_before): close the peer's connections opened before that trio time
    disconnect_unless_member: Callable[[str, float], Awaitable[None]]
    # erase a circle we left
    forget: Callable[[CircleRuntime], None]
    # a rejoin: the read-only copy leaves memory (runtime, topics); its history and host stay
    set_aside_for_rejoin: Callable[[CircleRuntime], None]
    # the network keeps (True) or drops a stranger that tried an invite's proof
    proof_judged: Callable[[str, bool], None]
    # tell the fronts and the gate of a new member
    member_joined: Callable[[CircleRuntime, bytes], None]
    # the fronts' view of a circle just made or joined
    circle_view: Callable[[CircleRuntime], CircleView]
    # a circle's row as `circles` lists it; None when it is not listed (left, forgotten)
    row: Callable[[CircleRuntime], CircleView | None]


@dataclass(frozen=True)
class CircleParts:
    store: CircleStore
    runtimes: CircleRuntimes
    topics: CircleTopics
    outbox: Outbox
    log: CircleLog
    late: LateEvents
    sync: CircleSync
    keys: ReceivingKeys
    moderation: Moderation
    reconnects: Reconnects
    safety: Safety
    boundaries: Boundaries
    messages: Messages
    content: Content
    message_changes: MessageChanges
    circle_changes: CircleChanges
    membership: MembershipNotices
    typing: TypingSignals
    # a circle's members as `members` lists them (and `members_changed` carries them)
    members_of: Callable[[CircleRuntime], list[MemberView]]
    joins: JoinService
    ingest: Ingest
    disk_usage: DiskUsage
    mailbox: Mailbox
    private: PrivateTalk
    search: MessageSearch
    attachments: Attachments


def build_parts(
    database: Database,
    context: EngineContext,
    around: Surroundings,
    quota_rules: QuotaRules = DEFAULT_RULES,
) -> CircleParts:
    """Every circle part, each given only what it needs; the lambdas reach parts made
    further down (called only after this returns)."""
    store = CircleStore(database)
    runtimes = CircleRuntimes()
    topics = CircleTopics(around.subscribe_at)
    outbox = Outbox()
    count = around.count

    def reach_or_refuse() -> Reach:
        reach = around.reach()
        if reach is None:
            raise CommandError(Refusal.NETWORK_NOT_RUNNING)
        return reach

    log = CircleLog(
        store,
        context=context,
        outbox=outbox,
        reachable=around.reachable,
        count=count,
        fresh_key=lambda runtime: keys.fresh_key(runtime),  # noqa: PLW0108 (made below)
        defer=lambda runtime: late.hand(runtime),  # noqa: PLW0108 (made below)
        decided=lambda runtime, decided: context.spawn(ingest.announce_decided, runtime, decided),
    )
    late = LateEvents(
        store,
        runtimes=runtimes,
        log=log,
        context=context,
        count=count,
        give_way=around.give_way,
        decided=lambda runtime, accepted: ingest.announce_decided(runtime, accepted),  # noqa: PLW0108 (made below)
    )
    sync = CircleSync(
        store,
        context=context,
        ingest=lambda runtime, signed: ingest.ingest(
            runtime, signed, strict=True, quiet=True, via="sync"
        ),
        runtimes=runtimes.by_id,
        node=around.node,
        online=around.online,
        # a removed member just learnt of its removal: nothing more for it here
        served_former=around.disconnect_unless_member,
        count=count,
        delivery=lambda runtime, after, through: messages.delivery(runtime, after, through),  # noqa: PLW0108 (made below)
        # a sync stream that asks for chunks of files (made below)
        serve_chunks=lambda stream, first: attachments.serve(stream, first),  # noqa: PLW0108 (made below)
    )
    keys = ReceivingKeys(
        ExchangeKeyStore(database),
        store,
        runtimes=runtimes,
        log=log,
        topics=topics,
        context=context,
        count=count,
        retire_later=lambda runtime: moderation.retire_epochs_later(runtime),  # noqa: PLW0108 (made below)
    )
    moderation = Moderation(
        store,
        runtimes=runtimes,
        log=log,
        topics=topics,
        context=context,
        access_changed=around.access_changed,
        disconnect_unless_member=around.disconnect_unless_member,
        forget=around.forget,
        discard_keys=keys.discard_all,
    )
    reconnects = Reconnects(
        runtimes=runtimes,
        topics=topics,
        reach=around.reach,
        mode_of=around.mode_of,
        context=context,
        count=count,
    )
    safety = Safety(
        store,
        runtimes=runtimes,
        moderation=moderation,
        send_body=lambda circle, body: messages.send_body(circle, body),  # noqa: PLW0108 (made below)
        context=context,
    )
    # what accepted events mean beyond the log, ours or from the network
    log.on_accepted(moderation.on_accepted)
    boundaries = Boundaries(
        BoundariesStore(database),
        runtimes=runtimes,
        context=context,
        announce_break=safety.announce_break,
        # the row previews the last message: a block may change it (made below)
        row_changed=lambda runtime: circle_changes.announce(runtime, ROW),
    )
    messages = Messages(
        store,
        content=ContentStore(database),
        runtimes=runtimes,
        log=log,
        boundaries=boundaries,
        why_not_send=moderation.why_not_send,
        context=context,
        attachment_of=lambda runtime, stored: attachments.view_of(runtime, stored),  # noqa: PLW0108 (made below)
    )
    # pictures and files: recorded and fetched as their messages are accepted, whoever
    # sent them; served to members over the sync protocol
    attachments = Attachments(
        AttachmentStore(database),
        store,
        runtimes=runtimes,
        send_body=messages.send_body,
        message_view=lambda runtime, stored: messages.view(runtime, stored),  # noqa: PLW0108 (one signature)
        node=around.node,
        online=around.online,
        context=context,
        count=count,
    )
    log.on_accepted(attachments.on_accepted)

    def members_of(runtime: CircleRuntime) -> list[MemberView]:
        now = context.clock.now_ms()
        return member_views(
            runtime,
            online=around.online(),
            is_blocked=boundaries.is_blocked,
            # the mailbox is made below; members_of is called only once every part exists
            asked_for_support=asked_for_support(store, mailbox, runtime, now),
            now=now,
        )

    # what accepted events change in what the fronts show, each with its view:
    # messages already stored, then the members, the settings and the circle's row
    message_changes = MessageChanges(
        store, view=messages.view, sees=boundaries.reader_sees, context=context
    )
    circle_changes = CircleChanges(
        members=members_of, info=moderation.info_of, row=around.row, context=context
    )
    log.on_accepted(message_changes.on_accepted)
    log.on_accepted(circle_changes.on_accepted)
    # replies, reactions and edits: what accepted EDITs and REACTIONs change (issue 15)
    content = Content(
        store,
        ContentStore(database),
        runtimes=runtimes,
        log=log,
        messages=messages,
        why_not_send=moderation.why_not_send,
        sees=boundaries.reader_sees,
        context=context,
        count=count,
    )
    log.on_accepted(content.on_accepted)
    log.on_verdicts_changed(content.follow_verdicts)
    # who joined and left, for the conversation's notices
    membership = MembershipNotices(store, runtimes=runtimes, context=context)
    log.on_accepted(membership.on_accepted)
    typing = TypingSignals(
        runtimes=runtimes,
        topics=topics,
        boundaries=boundaries,
        context=context,
        count=count,
        why_not_send=moderation.why_not_send,
    )

    def admitted(runtime: CircleRuntime, member: bytes) -> None:
        """Our own admission: the service's steps, and its "joined" notice (what the
        others learn through the log's hooks)."""
        around.member_joined(runtime, member)
        membership.admitted(runtime, member)

    joins = JoinService(
        database,
        store,
        runtimes=runtimes,
        log=log,
        topics=topics,
        context=context,
        reach=reach_or_refuse,
        node=around.node,
        set_aside_for_rejoin=around.set_aside_for_rejoin,
        proof_judged=around.proof_judged,
        member_joined=admitted,
        retire_later=moderation.retire_epochs_later,
        reconnect=reconnects.reconnect,
        settle_status=boundaries.settle_status,
        repair_epoch=keys.repair_epoch,
        start_pull=sync.start_pull,
        circle_view=around.circle_view,
    )
    ingest = Ingest(
        store,
        runtimes=runtimes,
        log=log,
        topics=topics,
        boundaries=boundaries,
        context=context,
        count=count,
        give_way=around.give_way,
        online=around.online,
        start_pull=sync.start_pull,
        member_joined=around.member_joined,
        reconnect=reconnects.reconnect,
        message_view=messages.view,
        admission_lost=moderation.admission_lost,
        repair_epoch=keys.repair_epoch,
        quota_rules=quota_rules,
        row_changed=lambda runtime: circle_changes.announce(runtime, ROW),
    )
    disk_usage = DiskUsage(
        store,
        runtimes=runtimes,
        quotas=ingest.quotas,
        context=context,
        forget_files=attachments.forget_author,
    )
    mailbox = Mailbox(
        MailboxStore(database),
        context=context,
        runtime=runtimes.require,
        runtimes=runtimes.by_id,
        node=around.node,
        online=around.online,
        care_flag_arrived=circle_changes.support_asked,
        # the circle's row counts what waits for a facilitator's care
        care_changed=lambda runtime: circle_changes.announce(runtime, ROW),
    )
    # private conversations ride the mailbox (a note kind of their own)
    private = PrivateTalk(
        PrivateStore(database),
        mailbox=mailbox,
        boundaries=boundaries,
        runtime=runtimes.require,
        context=context,
    )
    return CircleParts(
        store=store,
        runtimes=runtimes,
        topics=topics,
        outbox=outbox,
        log=log,
        late=late,
        sync=sync,
        keys=keys,
        moderation=moderation,
        reconnects=reconnects,
        safety=safety,
        boundaries=boundaries,
        messages=messages,
        content=content,
        message_changes=message_changes,
        circle_changes=circle_changes,
        membership=membership,
        typing=typing,
        members_of=members_of,
        joins=joins,
        ingest=ingest,
        disk_usage=disk_usage,
        mailbox=mailbox,
        private=private,
        search=MessageSearch(
            SearchStore(database), runtimes=runtimes, filter_of=boundaries.filter_of
        ),
        attachments=attachments,
    )
