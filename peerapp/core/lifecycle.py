"""The engine's lifecycle as a state machine.

Rules:
- An engine starts once: CREATED -> STARTING -> RUNNING.
- A stop request may come at any moment; from CREATED it goes straight to STOPPED.
- A failure (an exception that escaped the engine) ends in FAILED, never in STOPPED,
  so the front can tell the person something went wrong.
- STOPPED and FAILED are final. Any transition not in the table raises.
"""

from __future__ import annotations

from enum import Enum


class Phase(Enum):
    CREATED = "created"
    STARTING = "starting"
    RUNNING = "running"
    STOPPING = "stopping"
    STOPPED = "stopped"
    FAILED = "failed"


class Trigger(Enum):
    START = "start"
    STARTED = "started"
    STOP = "stop"
    FINISHED = "finished"
    CRASHED = "crashed"


_TRANSITIONS: dict[tuple[Phase, Trigger], Phase] = {
    (Phase.CREATED, Trigger.START): Phase.STARTING,
    (Phase.CREATED, Trigger.STOP): Phase.STOPPED,
    (Phase.STARTING, Trigger.STARTED): Phase.RUNNING,
    (Phase.STARTING, Trigger.STOP): Phase.STOPPING,
    (Phase.STARTING, Trigger.CRASHED): Phase.FAILED,
    (Phase.STARTING, Trigger.FINISHED): Phase.STOPPED,
    (Phase.RUNNING, Trigger.STOP): Phase.STOPPING,
    (Phase.RUNNING, Trigger.CRASHED): Phase.FAILED,
    (Phase.RUNNING, Trigger.FINISHED): Phase.STOPPED,
    (Phase.STOPPING, Trigger.STOP): Phase.STOPPING,
    (Phase.STOPPING, Trigger.FINISHED): Phase.STOPPED,
    (Phase.STOPPING, Trigger.CRASHED): Phase.FAILED,
    (Phase.STOPPED, Trigger.STOP): Phase.STOPPED,
    (Phase.FAILED, Trigger.STOP): Phase.FAILED,
}


class IllegalTransition(Exception):
    pass


def next_phase(phase: Phase, trigger: Trigger) -> Phase:
    try:
        return _TRANSITIONS[(phase, trigger)]
    except KeyError:
        raise IllegalTransition(f"{trigger.value} is not allowed while {phase.value}") from None


def is_final(phase: Phase) -> bool:
    return phase in (Phase.STOPPED, Phase.FAILED)
