"""Tor's state as a person should see it, from what its control port says. Pure: fed lines
and inputs, testable without tor.

Rules (the table `TRANSITIONS` is the whole of them; a pair not in it changes no state):
- STARTING: tor is launching or we just connected. Any bootstrap progress below 100 means
  BOOTSTRAPPING; 100 means READY at once (a tor with cached state may already be done).
- BOOTSTRAPPING: progress updates the status; 100 means READY.
- READY: tor can build circuits. Lost circuits (tor's CIRCUIT_NOT_ESTABLISHED, e.g. the
  clock jumped after the machine slept, or NETWORK_LIVENESS DOWN after the network
  changed) make it STALE.
- STALE: circuits come back (CIRCUIT_ESTABLISHED, NETWORK_LIVENESS UP) or a bootstrap
  report of 100: READY again. Progress below 100 keeps it STALE (tor is still catching up).
- Any state: tor stopped (the process exited, the control connection closed) means FAILED.
  Our own tor that stopped and is being started again (runtime.py) means RESTARTING, whose
  progress and done move on as STARTING's do; a control connection to an existing tor
  that is back means STARTING. FAILED leaves only by a restart or a reconnection.
- Bootstrap reports always refresh the shown `TorStatus`, whatever the state; a reported
  problem (tor's WARNING) is added to the summary, so "stuck at 5%" says why.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from stem.response import ControlLine

MAX_LINE_CHARS = 2048
MAX_FIELDS = 16
MAX_TEXT_CHARS = 120


@dataclass(frozen=True)
class TorStatus:
    """Tor's bootstrap phase: its tag ("conn", "done"...), percent and its own words."""

    phase: str
    progress: int
    summary: str


INITIAL_STATUS = TorStatus(phase="starting", progress=0, summary="Starting Tor")
RESTART_STATUS = TorStatus(phase="starting", progress=0, summary="Tor stopped; starting it again")
RECONNECT_STATUS = TorStatus(phase="starting", progress=0, summary="Connected to Tor again")


class TorState(enum.Enum):
    STARTING = "starting"
    BOOTSTRAPPING = "bootstrapping"
    READY = "ready"
    STALE = "stale"
    FAILED = "failed"
    RESTARTING = "restarting"


# Inputs, each a frozen dataclass; `Kind` is what the table is keyed by.
@dataclass(frozen=True)
class Bootstrap:
    status: TorStatus


@dataclass(frozen=True)
class CircuitsLost:
    reason: str


@dataclass(frozen=True)
class CircuitsBack:
    pass


@dataclass(frozen=True)
class TorStopped:
    reason: str


@dataclass(frozen=True)
class TorRestarted:
    """Our own tor stopped and is being started again."""


@dataclass(frozen=True)
class TorReconnected:
    """The control connection to an existing tor (not ours) is back."""


TorInput = Bootstrap | CircuitsLost | CircuitsBack | TorStopped | TorRestarted | TorReconnected


class Kind(enum.Enum):
    PROGRESS = "progress"
    DONE = "done"
    LOST = "lost"
    BACK = "back"
    STOPPED = "stopped"
    RESTARTED = "restarted"
    RECONNECTED = "reconnected"


S = TorState
TRANSITIONS: dict[tuple[TorState, Kind], TorState] = {
    (S.STARTING, Kind.PROGRESS): S.BOOTSTRAPPING,
    (S.STARTING, Kind.DONE): S.READY,
    (S.BOOTSTRAPPING, Kind.DONE): S.READY,
    (S.RESTARTING, Kind.PROGRESS): S.BOOTSTRAPPING,
    (S.RESTARTING, Kind.DONE): S.READY,
    (S.READY, Kind.LOST): S.STALE,
    (S.STALE, Kind.BACK): S.READY,
    (S.STALE, Kind.DONE): S.READY,
    **{(state, Kind.STOPPED): S.FAILED for state in TorState},
    **{(state, Kind.RESTARTED): S.RESTARTING for state in TorState},
    **{(state, Kind.RECONNECTED): S.STARTING for state in TorState},
}


@dataclass(frozen=True)
class TorView:
    """What the status bar and `tor_status` events show. `detail` says why when STALE or
    FAILED (tor's reason, bounded), else is empty."""

    state: TorState
    status: TorStatus
    detail: str = ""

    @property
    def summary(self) -> str:
        """The one line to show: why, when there is a reason, else tor's own words."""
        return self.detail or self.status.summary


def kind_of(event: TorInput) -> Kind:
    if isinstance(event, Bootstrap):
        return Kind.DONE if event.status.progress >= 100 else Kind.PROGRESS
    if isinstance(event, CircuitsLost):
        return Kind.LOST
    if isinstance(event, CircuitsBack):
        return Kind.BACK
    if isinstance(event, TorStopped):
        return Kind.STOPPED
    if isinstance(event, TorRestarted):
        return Kind.RESTARTED
    return Kind.RECONNECTED


def step(view: TorView, event: TorInput) -> TorView:
    """The view after one input: the table decides the state; inputs refresh the rest."""
    state = TRANSITIONS.get((view.state, kind_of(event)), view.state)
    status = view.status
    detail = view.detail if state == view.state else ""
    if isinstance(event, Bootstrap):
        status = event.status
    elif isinstance(event, CircuitsLost | TorStopped) and state != view.state:
        detail = event.reason
    elif isinstance(event, TorRestarted):
        status = RESTART_STATUS
    elif isinstance(event, TorReconnected):
        status = RECONNECT_STATUS
    return TorView(state=state, status=status, detail=detail)


class TorStatusMachine:
    """Holds the current view; `feed` returns the new one and whether it changed."""

    def __init__(self) -> None:
        self.view = TorView(state=TorState.STARTING, status=INITIAL_STATUS)

    def feed(self, event: TorInput) -> tuple[TorView, bool]:
        new = step(self.view, event)
        changed = new != self.view
        self.view = new
        return new, changed


# Parsing what tor says. Lines come from the control port: hostile, so bounded, and any
# line that does not read as expected is ignored (None) rather than trusted.


def parse_bootstrap_phase(answer: str) -> TorStatus | None:
    """`GETINFO status/bootstrap-phase`: `NOTICE BOOTSTRAP PROGRESS=.. TAG=.. SUMMARY=".."`."""
    return _bootstrap(answer)


def parse_event(line: str) -> TorInput | None:
    """An asynchronous event's content, as stem gives it without the `650 ` code:
    `STATUS_CLIENT <severity> <action> <args>` or `NETWORK_LIVENESS UP|DOWN`."""
    if len(line) > MAX_LINE_CHARS:
        return None
    words = line.split(maxsplit=3)
    if len(words) == 2 and words[0] == "NETWORK_LIVENESS":
        return _LIVENESS.get(words[1])
    if len(words) < 3 or words[0] != "STATUS_CLIENT":
        return None
    return _client_status(words[1], words[2], words[3] if len(words) > 3 else "")


def _client_status(severity: str, action: str, rest: str) -> TorInput | None:
    if action == "BOOTSTRAP":
        status = _bootstrap(f"{severity} BOOTSTRAP {rest}")
        return Bootstrap(status) if status is not None else None
    if action == "CIRCUIT_ESTABLISHED":
        return CircuitsBack()
    if action == "CIRCUIT_NOT_ESTABLISHED":
        reason = (_fields(rest) or {}).get("REASON", "")
        return CircuitsLost(reason=_CIRCUIT_REASONS.get(reason, "Tor lost its circuits"))
    return None


_LIVENESS: dict[str, TorInput] = {
    "UP": CircuitsBack(),
    "DOWN": CircuitsLost(reason="the network is down"),
}
_CIRCUIT_REASONS = {
    "CLOCK_JUMPED": "the clock jumped (the computer slept)",
    "DIR_ALL_UNREACHABLE": "Tor cannot reach the Tor network",
    "EXTERNAL_ADDRESS": "the network changed",
}


def _bootstrap(text: str) -> TorStatus | None:
    """`<severity> BOOTSTRAP <fields>` as a TorStatus, or None if it does not read."""
    if len(text) > MAX_LINE_CHARS:
        return None
    words = text.split(maxsplit=2)
    if len(words) < 3 or words[1] != "BOOTSTRAP" or words[0] not in ("NOTICE", "WARN"):
        return None
    fields = _fields(words[2])
    if fields is None:
        return None
    progress_text = fields.get("PROGRESS", "")
    tag = fields.get("TAG", "")
    if not progress_text.isdigit() or len(progress_text) > 3 or not _is_tag(tag):
        return None
    progress = int(progress_text)
    if progress > 100:
        return None
    summary = _clean(fields.get("SUMMARY", "")) or tag
    warning = _clean(fields.get("WARNING", ""))
    if warning:
        summary = f"{summary} ({warning})"
    return TorStatus(phase=tag, progress=progress, summary=summary)


def _fields(text: str) -> dict[str, str] | None:
    """KEY=value and KEY="quoted value" pairs, read with stem's ControlLine; other words
    are skipped. None when the text is malformed."""
    line = ControlLine(text)
    fields: dict[str, str] = {}
    try:
        for _ in range(MAX_FIELDS):
            if line.is_empty():
                return fields
            quoted = line.is_next_mapping(quoted=True)
            if quoted or line.is_next_mapping():
                key, value = line.pop_mapping(quoted=quoted, escaped=quoted)
                if not quoted and str(value).startswith('"'):
                    return None  # an opening quote that never closes
                fields[str(key)] = str(value)
            else:
                line.pop()
    except ValueError:
        return None
    return fields


def _is_tag(tag: str) -> bool:
    return 0 < len(tag) <= 40 and all(ch.isalnum() or ch == "_" for ch in tag) and tag.isascii()


def _clean(text: str) -> str:
    return "".join(ch for ch in text if ch.isprintable())[:MAX_TEXT_CHARS]
