"""The one facade the GUI uses to talk to the engine.

Commands go to the engine thread and come back as asyncio futures that `async_slot`
handlers await. Engine events arrive in the ENGINE thread (EngineThread's on_event) and
are re-emitted here as Qt signals: this object lives in the GUI thread, so Qt queues each
emission to it and slots run in the GUI thread, never in the engine's.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
from typing import Any

from PySide6.QtCore import QObject, Signal

from peerapp.core.api.contract import Command
from peerapp.core.api.contract import Result as TypedResult
from peerapp.core.api.registry import parse_command, result_json
from peerapp.core.errors import HearthError
from peerapp.core.events import (
    CirclesChanged,
    DeliveryChanged,
    EngineError,
    EngineEvent,
    EngineReady,
    EngineStopped,
    HistoryChanged,
    MemberJoined,
    MessageArrived,
    PeerConnected,
    PeerDisconnected,
    SyncProgress,
    TorStatusChanged,
)
from peerapp.core.lifecycle import Phase
from peerapp.core.network_mode import PROFILE_SETTINGS, NetworkOptions
from peerapp.engine.engine import Engine
from peerapp.engine.offline_network import OfflineNetworkSettings, is_network_failure
from peerapp.engine.profiles import UnlockedProfile
from peerapp.engine.thread import EngineFactory, EngineThread

log = logging.getLogger(__name__)

Result = dict[str, Any]


class EngineBridge(QObject):
    ready = Signal(object)  # EngineReady
    peerConnected = Signal(str)
    peerDisconnected = Signal(str)
    engineError = Signal(str, bool)  # message, fatal
    stopped = Signal()
    # circle id, MessageView, silent (it came while its circle is on a break or in quiet
    # hours: nobody is to be notified)
    messageArrived = Signal(str, object, bool)
    memberJoined = Signal(str, object)  # circle id, MemberView
    circlesChanged = Signal()
    syncProgress = Signal(str, int, int)  # circle id, received, total
    historyChanged = Signal(str)  # circle id: many messages arrived at once, reload
    deliveryChanged = Signal(str)  # circle id: members hold more of our messages
    torStatus = Signal(str, str, int, str)  # Tor mode: state, phase, progress, summary
    # every engine event as (name, its fields as in the node's JSON), for views that need
    # events without a signal of their own above (joins, moderation)
    eventArrived = Signal(str, object)

    def __init__(
        self,
        engine_factory: EngineFactory,
        parent: QObject | None = None,
        offline: OfflineNetworkSettings | None = None,
    ) -> None:
        """`offline`: serves the network settings once the engine has failed (for_profile
        gives it), so the settings that made it fail can be fixed."""
        super().__init__(parent)
        self._thread = EngineThread(engine_factory, self._on_engine_event)
        self._offline = offline

    @classmethod
    def for_profile(
        cls,
        profile: UnlockedProfile,
        listen: list[str],
        parent: QObject | None = None,
        network: NetworkOptions = PROFILE_SETTINGS,
    ) -> EngineBridge:
        return cls(
            lambda emit: Engine(profile, listen, emit, network=network),
            parent,
            offline=OfflineNetworkSettings(profile, network),
        )

    # -- lifecycle ----------------------------------------------------------------------

    def start(self) -> asyncio.Future[EngineReady]:
        """Start the engine; resolves once it listens, or fails with the startup error."""
        return asyncio.wrap_future(self._thread.start())

    def stop(self) -> bool:
        """Stop the engine (it closes the database); True when it ended within 2 s."""
        return self._thread.stop()

    @property
    def phase(self) -> Phase:
        return self._thread.phase

    @property
    def failure(self) -> HearthError | None:
        """Why the engine stopped on its own, once it has; None while it runs or after stop()."""
        return self._thread.failure

    @property
    def network_failed(self) -> bool:
        """Whether the engine stopped on its own because of the network settings (Tor)."""
        return is_network_failure(self.failure)

    @property
    def network_chosen_at_start(self) -> bool:
        """Whether this run's network came from options given at start (they win over the
        profile's network settings, so changing those does not change this run's)."""
        return self._offline is not None and self._offline.chosen_at_start

    # -- commands -----------------------------------------------------------------------

    def status(self) -> asyncio.Future[Result]:
        """{peer_id, addrs, connected_peers, profile}"""
        return self._request("status")

    def create_circle(
        self, name: str, guidelines: str = "", member_name: str = ""
    ) -> asyncio.Future[Result]:
        """{circle, name}"""
        arguments: dict[str, Any] = {"name": name}
        if guidelines:
            arguments["guidelines"] = guidelines
        if member_name:
            arguments["member_name"] = member_name
        return self._request("create_circle", **arguments)

    def join(self, code: str, name: str) -> asyncio.Future[Result]:
        """{circle, name}, plus pending: true while a facilitator decides (join approval);
        refusals are CommandErrors with a message for people"""
        return self._request("join", code=code, name=name)

    def circles(self) -> asyncio.Future[Result]:
        """{circles: [{id, name, members, unread}]}"""
        return self._request("circles")

    def invite(
        self, circle: str, max_uses: int | None = None, expires_in: int | None = None
    ) -> asyncio.Future[Result]:
        """{code}; `expires_in` in seconds (the engine's defaults: 1 use, 7 days)"""
        arguments: dict[str, Any] = {"circle": circle}
        if max_uses is not None:
            arguments["max_uses"] = max_uses
        if expires_in is not None:
            arguments["expires_in"] = expires_in
        return self._request("invite", **arguments)

    def send(self, circle: str, text: str, cw: str = "") -> asyncio.Future[Result]:
        """{message}: the new message's id; `cw`: its content warning (a topic or a label)"""
        if cw:
            return self._request("send", circle=circle, text=text, cw=cw)
        return self._request("send", circle=circle, text=text)

    def history(
        self, circle: str, limit: int | None = None, before: str | None = None
    ) -> asyncio.Future[Result]:
        """{messages: [{id, author, author_name, text, ts, mine, lamport, held_by}]}, oldest
        first (the order all members share: by lamport, then id)"""
        arguments: dict[str, Any] = {"circle": circle}
        if limit is not None:
            arguments["limit"] = limit
        if before is not None:
            arguments["before"] = before
        return self._request("history", **arguments)

    def members(self, circle: str) -> asyncio.Future[Result]:
        """{members: [{id, name, role, online}]}, the founder first"""
        return self._request("members", circle=circle)

    def sync_status(self, circle: str) -> asyncio.Future[Result]:
        """{events, heads, held_back, peers: [{id, name, peer, online, last_sync}]}; the
        peers are the other members, `last_sync` in ms since the epoch or None"""
        return self._request("sync_status", circle=circle)

    def mark_read(self, circle: str) -> asyncio.Future[Result]:
        return self._request("mark_read", circle=circle)

    # -- moderation (members are member ids, as in `members`) ---------------------------

    def promote(self, circle: str, member: str) -> asyncio.Future[Result]:
        return self._request("promote", circle=circle, member=member)

    def demote(self, circle: str, member: str) -> asyncio.Future[Result]:
        return self._request("demote", circle=circle, member=member)

    def transfer_founder(self, circle: str, member: str) -> asyncio.Future[Result]:
        return self._request("transfer_founder", circle=circle, member=member)

    def remove_member(self, circle: str, member: str) -> asyncio.Future[Result]:
        return self._request("remove_member", circle=circle, member=member)

    def ban(self, circle: str, member: str, invitees: bool = False) -> asyncio.Future[Result]:
        """{removed}: with `invitees`, the members it brought in are removed with it"""
        return self._request("ban", circle=circle, member=member, invitees=invitees)

    def mute(self, circle: str, member: str, seconds: int) -> asyncio.Future[Result]:
        """{until}; 0 seconds lifts a mute"""
        return self._request("mute", circle=circle, member=member, seconds=seconds)

    def delete_message(self, circle: str, message: str) -> asyncio.Future[Result]:
        return self._request("delete_message", circle=circle, message=message)

    def set_settings(self, circle: str, **settings: Any) -> asyncio.Future[Result]:
        """`settings`: any of slow_mode_seconds, join_approval, guidelines,
        harm_flags_to_hide, members_invite, flag_after_hours"""
        return self._request("set_settings", circle=circle, **settings)

    def moderation_log(self, circle: str) -> asyncio.Future[Result]:
        """{entries: [{id, actor, actor_name, action, target, target_name, ts, details}]}"""
        return self._request("moderation_log", circle=circle)

    def leave(self, circle: str) -> asyncio.Future[Result]:
        return self._request("leave", circle=circle)

    def report(self, circle: str, message: str, reason: str) -> asyncio.Future[Result]:
        """{report}: a message reported to the circle's facilitators"""
        return self._request("report", circle=circle, message=message, reason=reason)

    # -- joining with approval, invites, a circle's settings ------------------------------

    def preview_invite(self, code: str) -> asyncio.Future[Result]:
        """{circle, name, guidelines, join_approval, members}: what joining would join"""
        return self._request("preview_invite", code=code)

    def joins_waiting(self) -> asyncio.Future[Result]:
        """{joins: [{circle, name, since}]}: our requests a facilitator has not answered"""
        return self._request("joins_waiting")

    def cancel_join(self, circle: str) -> asyncio.Future[Result]:
        return self._request("cancel_join", circle=circle)

    def pending_joins(self, circle: str) -> asyncio.Future[Result]:
        """{requests: [{id, name, received_at}]}: people waiting to join (facilitators)"""
        return self._request("pending_joins", circle=circle)

    def approve_join(self, circle: str, request: str) -> asyncio.Future[Result]:
        return self._request("approve_join", circle=circle, request=request)

    def reject_join(self, circle: str, request: str) -> asyncio.Future[Result]:
        return self._request("reject_join", circle=circle, request=request)

    def circle_info(self, circle: str) -> asyncio.Future[Result]:
        """{id, name, guidelines, slow_mode_seconds, join_approval, my_role, my_id, ...}"""
        return self._request("circle_info", circle=circle)

    def invites(self, circle: str) -> asyncio.Future[Result]:
        """{invites: [{id, code, uses, max_uses, expires, revoked, created_by,
        created_by_name, mine}]}"""
        return self._request("invites", circle=circle)

    def revoke_invite(self, circle: str, code: str) -> asyncio.Future[Result]:
        """`code`: the invite code text or the invite id"""
        return self._request("revoke_invite", circle=circle, code=code)

    # -- disk use (issue 11) ---------------------------------------------------------------

    def circle_usage(self, circle: str | None = None) -> asyncio.Future[Result]:
        """{circles: [{circle, name, events, bytes, member_budget, members: [{id, name,
        member, removed, banned, events, bytes, refused}]}], dropped}; every circle
        without `circle`"""
        if circle is None:
            return self._request("circle_usage")
        return self._request("circle_usage", circle=circle)

    def clear_member(self, circle: str, member: str) -> asyncio.Future[Result]:
        """{messages, bytes}: erase what a removed or banned member stored with us"""
        return self._request("clear_member", circle=circle, member=member)

    # -- network mode and Tor (issue 12) --------------------------------------------------

    def network_settings(self) -> asyncio.Future[Result]:
        """{mode, tor_control, tor_socks, tor_config, current}: the profile's settings ("" when
        unset) and what this run uses; also once the engine has failed"""
        return self._network_request("network_settings")

    def set_network_settings(self, **settings: str) -> asyncio.Future[Result]:
        """`settings`: any of mode, tor_control, tor_socks, tor_config ("" clears one);
        checked as a whole, refused with a CommandError naming what to fix; used from the
        next start ({..., restart: true}); also once the engine has failed"""
        return self._network_request("set_network_settings", **settings)

    def _network_request(self, command: str, **arguments: str) -> asyncio.Future[Result]:
        # a failed engine has closed the profile's database; its settings are read and
        # written without it then (engine/offline_network.py), never beside a running one
        if self._offline is not None and self.failure is not None:
            return _as_json(self._offline.request(parse_command(command, arguments)))
        return self._request(command, **arguments)

    def call(self, command: str, **arguments: Any) -> asyncio.Future[Result]:
        """Any engine command by name (docs/node.md), for those without a method above."""
        return self._request(command, **arguments)

    def _request(self, command: str, **arguments: Any) -> asyncio.Future[Result]:
        try:
            typed: Command[Any] = parse_command(command, arguments)
        except HearthError as error:
            refused: concurrent.futures.Future[TypedResult] = concurrent.futures.Future()
            refused.set_exception(error)
            return _as_json(refused)
        return _as_json(self._thread.request(typed))

    # -- engine thread side -------------------------------------------------------------

    def _on_engine_event(self, event: EngineEvent) -> None:
        """Called in the engine thread: only emit signals here, Qt carries them over."""
        try:
            if isinstance(event, TorStatusChanged):
                self.torStatus.emit(event.state, event.phase, event.progress, event.summary)
            else:
                self._emit_for(event)
            self.eventArrived.emit(event.name, event.to_json())
        except RuntimeError:
            # the Qt half of this object was already deleted (the window went away while
            # the engine was still winding down): nobody is left to tell
            log.debug("dropped engine event %s: bridge already deleted", event.name)

    def _emit_for(self, event: EngineEvent) -> None:
        match event:
            case EngineReady():
                self.ready.emit(event)
            case PeerConnected(peer_id=peer_id):
                self.peerConnected.emit(peer_id)
            case PeerDisconnected(peer_id=peer_id):
                self.peerDisconnected.emit(peer_id)
            case EngineError(message=message, fatal=fatal):
                self.engineError.emit(message, fatal)
            case EngineStopped():
                self.stopped.emit()
            case MessageArrived():
                self.messageArrived.emit(event.circle, event.message, event.silent)
            case MemberJoined(circle=circle, member=member):
                self.memberJoined.emit(circle, member)
            case CirclesChanged():
                self.circlesChanged.emit()
            case SyncProgress(circle=circle, received=received, total=total):
                self.syncProgress.emit(circle, received, total)
            case HistoryChanged(circle=circle):
                self.historyChanged.emit(circle)
            case DeliveryChanged(circle=circle):
                self.deliveryChanged.emit(circle)
            case _:
                log.debug("engine event %s has no signal yet", event.name)


def _as_json(
    future: concurrent.futures.Future[TypedResult],
) -> asyncio.Future[Result]:
    """The result as the node's JSON reply has it, for the views still reading dicts."""
    answer: concurrent.futures.Future[Result] = concurrent.futures.Future()

    def done(settled: concurrent.futures.Future[TypedResult]) -> None:
        error = settled.exception()
        if error is not None:
            answer.set_exception(error)
        else:
            answer.set_result(result_json(settled.result()))

    future.add_done_callback(done)
    return asyncio.wrap_future(answer)
