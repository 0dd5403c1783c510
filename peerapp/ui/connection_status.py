"""What the status bar says about the engine, as an immutable snapshot.

Pure (no Qt) so the wording of every state is easy to test. It holds peer ids, never
anything secret.

The network line (issue 12) beside it says how members reach us:
- Direct mode (EngineReady.mode == "direct"): always the plain warning that members can
  see our IP address.
- Tor mode: Tor's own state from `tor_status` events, by the table TOR_LINES: a progress
  bar with Tor's percent while it connects, "Reachable privately" once ready, what Tor is
  doing when it lost its connection or restarts, and its summary with a way to the
  network settings when it failed. Before the first event: "Starting Tor…".
- Before the engine says its mode: nothing.
- The engine stopped: nothing (no network runs); it failed because of the network
  settings (Tor would not start): "Tor could not start", why as tooltip, and a way to the
  network settings. A Tor state seen before the failure never outlives it.
The status bar speaks plain words ("Connected to 2 members", "Not connected yet": issue
14); the identity (`identity_line`) and the counts are in "Connection details…" (the main
window's Help menu), never in the window itself: in direct mode our one peer id; in Tor mode
there is no profile-wide peer id or address (each circle knows us by its own), so it says
that instead and never shows a peer id, whatever the status holds.
Own messages nobody holds yet show "Waiting for Tor…" while the line is not "ready"
(`waiting_for_tor`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import Enum

from peerapp.core.network_mode import NetworkMode
from peerapp.ui.text import network

SHORT_ID_HEAD = 8  # "12D3KooW" for every Ed25519 peer: recognisable, not distinctive
SHORT_ID_TAIL = 6
MAX_SUMMARY_CHARS = 300


class Connection(Enum):
    STARTING = "starting"
    ONLINE = "online"
    STOPPED = "stopped"
    FAILED = "failed"


@dataclass(frozen=True)
class TorState:
    """The last `tor_status` event's fields (core/events.TorStatusChanged)."""

    state: str = "starting"
    phase: str = ""
    progress: int = 0
    summary: str = ""


@dataclass(frozen=True)
class ConnectionStatus:
    connection: Connection = Connection.STARTING
    peer_id: str = ""
    peers: frozenset[str] = frozenset()
    mode: NetworkMode | None = None  # None until the engine says (EngineReady or tor_status)
    tor: TorState = TorState()
    network_failure: str = ""  # why the engine stopped, when the network settings can fix it

    def online(self, peer_id: str, mode: str = NetworkMode.DIRECT.value) -> ConnectionStatus:
        return replace(self, connection=Connection.ONLINE, peer_id=peer_id, mode=_mode_from(mode))

    def with_tor(self, tor: TorState) -> ConnectionStatus:
        # tor_status events come only in Tor mode, maybe before the engine is ready
        summary = tor.summary[:MAX_SUMMARY_CHARS]  # status.py bounds it; a line must fit
        return replace(self, mode=NetworkMode.TOR, tor=replace(tor, summary=summary))

    @property
    def waiting_for_tor(self) -> bool:
        """Whether messages wait for Tor: Tor mode, and Tor not ready (yet, or any more)."""
        return self.mode is NetworkMode.TOR and self.tor.state != "ready"

    def with_peer(self, peer_id: str) -> ConnectionStatus:
        return replace(self, peers=self.peers | {peer_id})

    def without_peer(self, peer_id: str) -> ConnectionStatus:
        return replace(self, peers=self.peers - {peer_id})

    def stopped(self) -> ConnectionStatus:
        # a failure is the more useful thing to keep showing once the run has ended
        if self.connection is Connection.FAILED:
            return self
        return replace(self, connection=Connection.STOPPED, peers=frozenset())

    def failed(self, network_failure: str = "") -> ConnectionStatus:
        """`network_failure`: the reason, when the engine stopped because of the network
        settings (Tor would not start); "" for any other failure."""
        return replace(
            self,
            connection=Connection.FAILED,
            peers=frozenset(),
            network_failure=network_failure[:MAX_SUMMARY_CHARS],
        )


def shorten_peer_id(peer_id: str) -> str:
    if len(peer_id) <= SHORT_ID_HEAD + SHORT_ID_TAIL + 1:
        return peer_id
    return f"{peer_id[:SHORT_ID_HEAD]}…{peer_id[-SHORT_ID_TAIL:]}"


def describe(status: ConnectionStatus) -> str:
    match status.connection:
        case Connection.STARTING:
            return network.status_starting()
        case Connection.ONLINE:
            return network.status_online(len(status.peers))
        case Connection.STOPPED:
            return network.status_stopped()
        case Connection.FAILED:
            return network.status_failed()


@dataclass(frozen=True)
class NetworkLine:
    """The status bar's network line: its text, Tor's progress bar (None: no bar), a
    longer explanation (tooltip) and whether it offers the network settings."""

    text: str
    progress: int | None = None
    detail: str = ""
    offer_settings: bool = False


def _connecting(tor: TorState) -> NetworkLine:
    progress = min(max(tor.progress, 0), 100)
    return NetworkLine(network.tor_connecting(progress), progress, tor.summary)


# Tor's state (TorStatusChanged.state) -> what the network line shows
TOR_LINES: dict[str, Callable[[TorState], NetworkLine]] = {
    "starting": lambda tor: NetworkLine(network.tor_starting(), 0, tor.summary),
    "bootstrapping": _connecting,
    "ready": lambda tor: NetworkLine(network.tor_reachable(), None, network.tor_reachable_hint()),
    "stale": lambda tor: NetworkLine(network.tor_stale(), None, tor.summary),
    "restarting": lambda tor: NetworkLine(network.tor_restarting(), None, tor.summary),
    "failed": lambda tor: NetworkLine(
        tor.summary or network.tor_failed(), None, tor.summary, offer_settings=True
    ),
}
NO_LINE = NetworkLine("")


def network_line(status: ConnectionStatus) -> NetworkLine:
    if status.connection is Connection.FAILED and status.network_failure:
        return NetworkLine(network.tor_failed(), None, status.network_failure, offer_settings=True)
    if status.connection in (Connection.FAILED, Connection.STOPPED):
        return NO_LINE  # no network runs: whatever Tor said last is over
    if status.mode is NetworkMode.DIRECT:
        return NetworkLine(network.direct_mode_status(), None, network.direct_mode_warning())
    if status.mode is None:
        return NO_LINE
    # a state this version does not know reads as still connecting, never as ready
    return TOR_LINES.get(status.tor.state, _connecting)(status.tor)


@dataclass(frozen=True)
class IdentityLine:
    """Who the status bar says we are: its text and a longer explanation (tooltip)."""

    text: str = ""
    detail: str = ""


def identity_line(status: ConnectionStatus) -> IdentityLine:
    if status.mode is NetworkMode.TOR:
        # whatever the status holds: a profile-wide id in Tor mode would link the circles
        return IdentityLine(network.tor_identity_label(), network.tor_identity_hint())
    if status.peer_id:
        return IdentityLine(
            network.peer_id_label(shorten_peer_id(status.peer_id)),
            network.peer_id_tooltip(status.peer_id),
        )
    return IdentityLine()


def _mode_from(text: str) -> NetworkMode:
    """EngineReady.mode; anything but "direct" is Tor (the safe reading, never direct)."""
    return NetworkMode.DIRECT if text == NetworkMode.DIRECT.value else NetworkMode.TOR
