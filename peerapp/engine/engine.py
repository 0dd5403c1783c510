"""The engine: everything a peer does, inside one trio run.

It owns the database connection and the libp2p host. Commands arrive on a memory
channel (put there by the thread bridge); each is answered through a
concurrent.futures.Future so any front, in any thread or loop, can wait for it.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import multiaddr
import trio

from peerapp.core.api.circles import (
    CircleCreated,
    CircleList,
    Circles,
    Connect,
    Connected,
    CreateCircle,
    Invite,
    InviteMade,
    Join,
    Joined,
    MarkRead,
    MemberList,
    Members,
    PeerSyncView,
    Status,
    StatusView,
    SyncStatus,
    SyncStatusView,
)
from peerapp.core.api.contract import Command, Done, Result
from peerapp.core.api.messages import History, HistoryPage, MessageSent, SendMessage
from peerapp.core.api.network import CurrentNetworkView, TorStatusView
from peerapp.core.api.refusals import Refusal
from peerapp.core.api.safety import Report, Reported, ReportList, Reports, ResolveReport
from peerapp.core.errors import CommandError, EngineFailed, HearthError
from peerapp.core.events import (
    EngineError,
    EngineEvent,
    EngineReady,
    PeerConnected,
    PeerDisconnected,
    TorStatusChanged,
)
from peerapp.core.network_mode import PROFILE_SETTINGS, NetworkMode, NetworkOptions
from peerapp.core.quotas import DEFAULT_RULES, QuotaRules
from peerapp.crypto.identity import ProfileKeys
from peerapp.engine.appearance_commands import appearance_handlers, opened
from peerapp.engine.around_commands import around_handlers
from peerapp.engine.attachment_commands import attachment_handlers
from peerapp.engine.boundaries_commands import boundaries_handlers
from peerapp.engine.circle_service import CircleService
from peerapp.engine.clock import Clock
from peerapp.engine.content_commands import content_handlers
from peerapp.engine.context import DEFAULT_TIMINGS, EngineContext, Timings
from peerapp.engine.crisis_directory import crisis_handlers
from peerapp.engine.disk_usage import usage_handlers
from peerapp.engine.dispatch import Handlers
from peerapp.engine.join_commands import join_handlers
from peerapp.engine.moderation_commands import moderation_handlers
from peerapp.engine.network_choice import chosen_mode, chosen_tor
from peerapp.engine.network_commands import network_handlers, open_settings
from peerapp.engine.private_talk_commands import private_talk_handlers
from peerapp.engine.reach import HostCallbacks, MembershipHosts, Reach, SharedHost
from peerapp.engine.safety_commands import safety_handlers
from peerapp.engine.search_commands import search_handlers
from peerapp.network.addresses import DEFAULT_LISTEN, AddressError, parse_listen_address
from peerapp.network.host import NetworkNode, running_node
from peerapp.network.tor.config import TorConfig
from peerapp.storage.database import Database
from peerapp.storage.network_identity_store import NetworkIdentityStore
from peerapp.storage.network_settings import NetworkSettings
from peerapp.storage.profile import UnlockedProfile

if TYPE_CHECKING:
    # Tor's runtime (and stem under it) is imported where Tor mode starts (_run_tor): a
    # direct run loads no Tor module (tests/e2e/test_node_imports.py)
    from peerapp.network.tor.status import TorView

log = logging.getLogger(__name__)

Emit = Callable[[EngineEvent], None]
CommandFuture = concurrent.futures.Future[Result]

# Bounded so a front that floods commands meets back-pressure instead of unbounded memory.
INBOX_SIZE = 1024
CONNECT_TIMEOUT_SECONDS = 10
GRACEFUL_STOP_SECONDS = 1.0
LISTEN_PORT_SETTING = "listen_port"
DEFAULT_FOUNDER_NAME = "Founder"


@dataclass(frozen=True)
class Request:
    command: Command[Any]
    reply: CommandFuture


class Engine:
    def __init__(
        self,
        profile: UnlockedProfile,
        listen: list[str],
        emit: Emit,
        *,
        quota_rules: QuotaRules = DEFAULT_RULES,
        network: NetworkOptions = PROFILE_SETTINGS,
        clock: Clock | None = None,
        timings: Timings = DEFAULT_TIMINGS,
    ) -> None:
        """`quota_rules`: the per-member quotas (core/quotas.py); benchmarks that measure
        raw throughput from one author raise them. `network`: this run's choices (the
        node's --direct/--tor-* options); the profile's network settings fill the rest.
        `clock`: the one clock every part of the engine reads (engine/clock.py); tests
        pass a FakeClock to move time instead of waiting. `timings`: the run's intervals
        (engine/context.py); tests shorten the sync interval instead of waiting 5 s."""
        self._profile = profile
        self._clock = Clock() if clock is None else clock
        self._timings = timings
        self._network_options = network
        self._quota_rules = quota_rules
        # parse now, in the caller's thread, so a bad --listen fails before anything starts
        # explicit --listen addresses; without them the port of the last run is reused, so
        # the addresses members hold for us (from the log) stay valid across restarts
        self._listen = [parse_listen_address(text) for text in listen]
        self._emit = emit
        self._inbox_send, self._inbox_receive = trio.open_memory_channel[Request](INBOX_SIZE)
        self._database: Database | None = None
        self._node: NetworkNode | None = None  # direct mode's one host
        self._reach: Reach | None = None
        self._mode = NetworkMode.DIRECT
        self._tor_view: TorView | None = None
        # command type -> handler (engine/dispatch.py); each feature brings its own
        self._handlers = Handlers()
        self._handlers.add(Status, self._status)
        self._handlers.add(CreateCircle, self._create_circle)
        self._handlers.add(Join, self._join)
        self._handlers.add(Circles, self._circles)
        self._handlers.add(Connect, self._connect)
        self._handlers.add(Invite, self._invite)
        self._handlers.add(SendMessage, self._send)
        self._handlers.add(History, self._history)
        self._handlers.add(Members, self._members)
        self._handlers.add(MarkRead, self._mark_read)
        self._handlers.add(SyncStatus, self._sync_status)
        self._handlers.add(Report, self._report)
        self._handlers.add(Reports, self._reports)
        self._handlers.add(ResolveReport, self._resolve_report)
        self._handlers.include(moderation_handlers(self._service))
        self._handlers.include(around_handlers(self._service))
        self._handlers.include(join_handlers(self._service))
        self._handlers.include(boundaries_handlers(self._service))
        self._handlers.include(safety_handlers(self._service))
        self._handlers.include(content_handlers(self._service))
        self._handlers.include(private_talk_handlers(self._service))
        self._handlers.include(search_handlers(self._service))
        self._handlers.include(crisis_handlers())
        self._handlers.include(usage_handlers(self._service))
        self._handlers.include(attachment_handlers(self._service))
        self._handlers.include(
            network_handlers(lambda: open_settings(self._database), self._network_now)
        )
        self._handlers.include(appearance_handlers(lambda: opened(self._database)))
        self._circles_service: CircleService | None = None
        self._stopping = trio.Event()
        self._commands_waiting = 0

    # -- called from other threads through the bridge (via trio's run_sync_soon) ---------

    def enqueue(self, request: Request) -> None:
        try:
            self._inbox_send.send_nowait(request)
        except trio.WouldBlock:
            request.reply.set_exception(CommandError(Refusal.BUSY))
        else:
            self._commands_waiting += 1  # bulk work gives way until it is answered

    def commands_waiting(self) -> bool:
        """Whether a command is queued or being served (bulk work paces itself by it)."""
        return self._commands_waiting > 0

    # -- the run ----------------------------------------------------------------------

    async def run(self, listen_ready: Callable[[EngineReady], None]) -> None:
        database = self._profile.open_database()
        self._database = database
        try:
            keys = ProfileKeys.from_records(database.keys())
            settings = NetworkSettings(database)
            self._mode = chosen_mode(self._network_options, settings)
            service = CircleService(
                database,
                EngineContext(self._clock, self._emit, self._timings),
                self._quota_rules,
                busy=self.commands_waiting,
            )
            if self._mode is NetworkMode.TOR:
                tor = chosen_tor(self._network_options, settings, self._profile.folder)
                await self._run_tor(tor, service, NetworkIdentityStore(database), listen_ready)
            elif self._listen:
                await self._run_node(keys.peer_seed, service, self._listen, listen_ready)
            else:
                remembered = database.setting(LISTEN_PORT_SETTING) or "0"
                try:
                    await self._run_node(
                        keys.peer_seed, service, _default_listen(remembered), listen_ready
                    )
                except AddressError:
                    if remembered == "0":
                        raise
                    log.info("last run's port is taken; listening on a new one")
                    await self._run_node(
                        keys.peer_seed, service, _default_listen("0"), listen_ready
                    )
        finally:
            self._circles_service = None
            self._node = None
            self._reach = None
            self._database = None
            self._fail_waiting_requests()
            database.close()
            log.info("engine stopped; database closed")

    async def _run_node(
        self,
        peer_seed: bytes,
        service: CircleService,
        listen: list[multiaddr.Multiaddr],
        listen_ready: Callable[[EngineReady], None],
    ) -> None:
        async with running_node(
            peer_seed,
            listen,
            self._peer_connected,
            self._peer_disconnected,
            on_message=service.on_pubsub,
        ) as node:
            self._node = node
            if not self._listen and self._database is not None:
                self._database.set_setting(LISTEN_PORT_SETTING, str(node.listen_port()))
            service.configure(node)
            reach = SharedHost(node)
            self._reach = reach
            async with trio.open_nursery() as nursery:
                nursery.start_soon(
                    self._stop_when_asked, node.close_connections, nursery.cancel_scope
                )
                await nursery.start(service.run, reach)
                self._circles_service = service
                ready = EngineReady(
                    peer_id=node.peer_id, addrs=tuple(node.dialable_addrs()), mode=reach.mode
                )
                await self._serve_commands(nursery, ready, listen_ready)

    async def _run_tor(
        self,
        config: TorConfig,
        service: CircleService,
        identities: NetworkIdentityStore,
        listen_ready: Callable[[EngineReady], None],
    ) -> None:
        """Tor mode: our tor (or an existing one) for the whole run, and one host per
        membership (reach.py). Ready at once: Tor's progress follows as tor_status events,
        and what is sent meanwhile is stored and goes out once tor is ready."""
        from peerapp.network.tor.runtime import running_tor  # noqa: PLC0415 (Tor mode only)

        async with (
            running_tor(config, self._tor_status_changed) as tor,
            trio.open_nursery() as nursery,
        ):
            hosts = MembershipHosts(
                nursery,
                tor,
                identities,
                HostCallbacks(
                    self._peer_connected,
                    self._peer_disconnected,
                    service.on_pubsub,
                    service.configure,
                ),
            )
            self._reach = hosts
            nursery.start_soon(self._stop_when_asked, hosts.close_connections, nursery.cancel_scope)
            await nursery.start(service.run, hosts)
            self._circles_service = service
            ready = EngineReady(peer_id="", addrs=(), mode=hosts.mode)
            await self._serve_commands(nursery, ready, listen_ready)

    async def _serve_commands(
        self,
        nursery: trio.Nursery,
        ready: EngineReady,
        listen_ready: Callable[[EngineReady], None],
    ) -> None:
        listen_ready(ready)
        self._emit(ready)
        async for request in self._inbox_receive:
            nursery.start_soon(self._serve, request)

    def _tor_status_changed(self, view: TorView) -> None:
        from peerapp.network.tor.status import TorState  # noqa: PLC0415 (Tor mode only)

        was_ready = self._tor_view is not None and self._tor_view.state is TorState.READY
        self._tor_view = view
        self._emit(tor_status_event(view))
        if view.state is TorState.READY and not was_ready and self._circles_service:
            # dials made while tor bootstrapped or was stale failed: make them again now
            self._circles_service.reconnect_soon()

    def request_stop(self) -> None:
        """Begin a graceful stop (called in the engine thread via the trio token)."""
        self._stopping.set()

    async def _stop_when_asked(
        self, close_connections: Callable[[], Awaitable[None]], scope: trio.CancelScope
    ) -> None:
        await self._stopping.wait()
        # close connections while the hosts' services still run: under cancellation they
        # cannot, and peers would go on seeing us online until our sockets are collected
        with trio.move_on_after(GRACEFUL_STOP_SECONDS):
            await close_connections()
        scope.cancel()

    def _fail_waiting_requests(self) -> None:
        while True:
            try:
                request = self._inbox_receive.receive_nowait()
            except (trio.WouldBlock, trio.EndOfChannel, trio.ClosedResourceError):
                return
            request.reply.set_exception(EngineFailed("Hearth stopped before answering."))

    async def _serve(self, request: Request) -> None:
        try:
            await self._answer(request)
        finally:
            self._commands_waiting -= 1

    async def _answer(self, request: Request) -> None:
        if not request.reply.set_running_or_notify_cancel():
            return
        try:
            result = await self._handlers.answer(request.command)
        except HearthError as error:
            request.reply.set_exception(error)
        except trio.Cancelled:
            request.reply.set_exception(EngineFailed("Hearth stopped before answering."))
            raise
        except Exception as error:
            # an engine bug: show it, log it, keep serving
            log.exception("command %s failed", type(request.command).__name__)
            message = f"Something went wrong inside Hearth ({type(error).__name__})."
            self._emit(EngineError(message=message, fatal=False))
            request.reply.set_exception(EngineFailed(message))
        else:
            request.reply.set_result(result)

    # -- network notifications --------------------------------------------------------

    def _peer_connected(self, peer_id: str) -> None:
        self._emit(PeerConnected(peer_id=peer_id))
        if self._circles_service is not None:
            self._circles_service.on_peer_connected(peer_id)

    def _peer_disconnected(self, peer_id: str) -> None:
        self._emit(PeerDisconnected(peer_id=peer_id))

    # -- commands ---------------------------------------------------------------------

    def _running_node(self) -> NetworkNode:
        if self._node is None:
            if self._reach is not None and self._reach.mode is NetworkMode.TOR:
                raise CommandError(Refusal.NO_PROFILE_ADDRESS_IN_TOR)
            raise EngineFailed("The network is not running.")
        return self._node

    async def _status(self, _: Status) -> StatusView:
        if self._reach is None:
            raise EngineFailed("The network is not running.")
        nodes = self._reach.nodes()
        service = self._circles_service
        shared = self._node  # direct mode's one host; None in Tor mode (one per membership)
        return StatusView(
            mode=self._reach.mode.value,
            tor=self._tor_fields(),
            peer_id=shared.peer_id if shared else "",
            addrs=shared.dialable_addrs() if shared else [],
            hosts=len(nodes),
            connected_peers=sorted({p for node in nodes for p in node.connected_peers()}),
            profile=str(self._profile.folder),
            # what the fast path sent and dropped; nothing it drops goes uncounted
            fast_path=service.outbox.counters() if service else {},
            network=_summed([node.counters() for node in nodes]),
            received_dropped=dict(service.dropped) if service else {},
            resolutions=dict(service.resolutions) if service else {},
        )

    def _network_now(self) -> CurrentNetworkView:
        """What this run uses (the settings take effect at the next start)."""
        return CurrentNetworkView(mode=self._mode.value, tor=self._tor_fields())

    def _tor_fields(self) -> TorStatusView | None:
        """Tor's state as `tor_status` gives it; None in direct mode."""
        return None if self._tor_view is None else tor_status_view(self._tor_view)

    def _service(self) -> CircleService:
        if self._circles_service is None:
            raise EngineFailed("Circles are not loaded yet.")
        return self._circles_service

    async def _create_circle(self, command: CreateCircle) -> CircleCreated:
        view = await self._service().create_circle(
            command.name,
            command.guidelines if command.guidelines is not None else "",
            command.member_name if command.member_name is not None else DEFAULT_FOUNDER_NAME,
        )
        return CircleCreated(circle=view.id, name=view.name, view=view)

    async def _join(self, command: Join) -> Joined:
        outcome = await self._service().join(command.code, command.name)
        return Joined(circle=outcome.circle, name=outcome.name, pending=outcome.pending)

    async def _circles(self, _: Circles) -> CircleList:
        return CircleList(circles=tuple(self._service().circle_views()))

    async def _invite(self, command: Invite) -> InviteMade:
        code = await self._service().invite(command.circle, command.max_uses, command.expires_in)
        return InviteMade(code=code)

    async def _send(self, command: SendMessage) -> MessageSent:
        service = self._service()
        view = await service.send(command.circle, command.text, command.cw)
        next_send_at = service.moderation.next_send_at(command.circle)
        return MessageSent(message=view.id, view=view, next_send_at=next_send_at)

    async def _history(self, command: History) -> HistoryPage:
        views = self._service().history(command.circle, command.limit, command.before)
        return HistoryPage(messages=tuple(views))

    async def _members(self, command: Members) -> MemberList:
        return MemberList(members=tuple(self._service().member_views(command.circle)))

    async def _sync_status(self, command: SyncStatus) -> SyncStatusView:
        status = self._service().sync_status(command.circle)
        peers = tuple(PeerSyncView(**row) for row in status.pop("peers"))
        return SyncStatusView(**status, peers=peers)

    async def _report(self, command: Report) -> Reported:
        report = await self._service().mailbox.report(
            command.circle, command.message, command.reason
        )
        return Reported(report=report)

    async def _reports(self, command: Reports) -> ReportList:
        views = self._service().mailbox.reports(command.circle)
        return ReportList(reports=tuple(views))

    async def _resolve_report(self, command: ResolveReport) -> Done:
        self._service().mailbox.resolve(command.circle, command.report, command.note or "")
        return Done()

    async def _mark_read(self, command: MarkRead) -> Done:
        self._service().mark_read(command.circle)
        return Done()

    async def _connect(self, command: Connect) -> Connected:
        address = command.addr
        try:
            parsed = multiaddr.Multiaddr(address)
            parsed.value_for_protocol("p2p")
        except Exception:  # multiaddr raises several unrelated types for bad input
            raise CommandError(Refusal.NOT_A_MULTIADDR, address=address) from None
        try:
            with trio.fail_after(CONNECT_TIMEOUT_SECONDS):
                peer_id = await self._running_node().connect(address)
        except trio.TooSlowError:
            raise CommandError(
                Refusal.NO_ANSWER, address=address, seconds=str(CONNECT_TIMEOUT_SECONDS)
            ) from None
        except (OSError, trio.BrokenResourceError) as error:
            raise CommandError(Refusal.NOT_CONNECTED, address=address, reason=str(error)) from None
        except Exception as error:
            # py-libp2p signals refused security/muxer negotiation with its own error types
            if type(error).__module__.startswith("libp2p"):
                raise CommandError(
                    Refusal.NOT_CONNECTED, address=address, reason=str(error)
                ) from None
            raise
        return Connected(peer_id=peer_id)


def _summed(counts: list[dict[str, int]]) -> dict[str, int]:
    total: dict[str, int] = {}
    for one in counts:
        for name, value in one.items():
            total[name] = total.get(name, 0) + value
    return total


def tor_status_view(view: TorView) -> TorStatusView:
    return TorStatusView(
        state=view.state.value,
        phase=view.status.phase,
        progress=view.status.progress,
        summary=view.summary,
    )


def tor_status_event(view: TorView) -> TorStatusChanged:
    return TorStatusChanged(**dataclasses.asdict(tor_status_view(view)))


def _default_listen(port: str) -> list[multiaddr.Multiaddr]:
    return [parse_listen_address(DEFAULT_LISTEN.replace("/tcp/0", f"/tcp/{int(port)}"))]
