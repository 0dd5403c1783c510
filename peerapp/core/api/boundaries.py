"""A reader's boundaries, local to this device (docs/node.md "Boundaries")."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from peerapp.core.api.contract import (
    JSON_NAME,
    UNSET,
    Command,
    Done,
    Result,
    Unset,
    command,
    json_name,
)


@command("block", "Hide a member's messages for you only; nobody is told.")
@dataclass(frozen=True, kw_only=True)
class Block(Command[Done]):
    circle: str
    member: str


@command("unblock", "Show a blocked member's messages again.")
@dataclass(frozen=True, kw_only=True)
class Unblock(Command[Done]):
    circle: str
    member: str


@dataclass(frozen=True)
class FilterModes(Result):
    filters: dict[str, str]  # topic -> "show" | "collapse" | "hide"


@command("filters", "How you see each content-warning topic.")
@dataclass(frozen=True, kw_only=True)
class Filters(Command[FilterModes]):
    pass


@command(
    "set_filters",
    'Show, collapse or hide messages per content-warning topic ("other": custom labels).',
)
@dataclass(frozen=True, kw_only=True)
class SetFilters(Command[FilterModes]):
    """One field per topic of core/content_warnings.FILTER_TOPICS (a test holds them
    equal); None keeps that topic's mode."""

    self_harm: str | None = json_name("self-harm", None)
    suicide: str | None = None
    abuse: str | None = None
    eating: str | None = None
    substances: str | None = None
    grief: str | None = None
    violence: str | None = None
    other: str | None = None

    @classmethod
    def of(cls, modes: Mapping[str, str]) -> SetFilters:
        """The command giving each topic (as the wire names it) its mode."""
        fields = {f.metadata.get(JSON_NAME, f.name): f.name for f in dataclasses.fields(cls)}
        return cls(**{fields[topic]: mode for topic, mode in modes.items()})


@dataclass(frozen=True)
class BreakView(Result):
    on: bool
    quiet_hours: dict[str, str] | None  # {"start": "HH:MM", "end": "HH:MM"}
    status: bool


@command(
    "set_break",
    "Take a break from a circle (or from all, without circle): silence, quiet hours, "
    'and whether members see "taking a break".',
)
@dataclass(frozen=True, kw_only=True)
class SetBreak(Command[BreakView]):
    circle: str | None = None
    on: bool
    # absent keeps the quiet hours, null clears them
    quiet_hours: dict[str, Any] | Unset | None = UNSET
    status: bool | None = None


@dataclass(frozen=True, kw_only=True)
class AllBreaks(Result):
    # {on, quiet_hours, status}; "global" on the wire (a Python keyword)
    global_break: dict[str, Any] = json_name("global")  # noqa: RUF009 (field metadata)
    circles: dict[str, dict[str, Any]]  # circle id -> its break


@command("breaks", "Your global break and each circle's.")
@dataclass(frozen=True, kw_only=True)
class BreaksOf(Command[AllBreaks]):
    pass
