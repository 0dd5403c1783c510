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
from peerapp.core.api.refusals import Refusal
from peerapp.core.errors import CommandError


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
class QuietHoursView:
    """Quiet hours every day, local time; the end may be past midnight."""

    start: str  # "HH:MM"
    end: str

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> QuietHoursView:
        """`set_break`'s quiet_hours from a front's JSON object: both times, as text (the
        engine reads the times themselves, and says what is wrong with them)."""
        start, end = value.get("start"), value.get("end")
        if set(value) != {"start", "end"} or not isinstance(start, str) or not isinstance(end, str):
            raise CommandError(Refusal.QUIET_HOURS_SHAPE)
        return cls(start, end)


@dataclass(frozen=True)
class BreakView(Result):
    """One scope's break (a circle's own, or the global one)."""

    on: bool = False
    quiet_hours: QuietHoursView | None = None  # None: no quiet hours
    status: bool = False  # members see "taking a break" while it is on


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
    quiet_hours: QuietHoursView | Unset | None = UNSET
    status: bool | None = None


@dataclass(frozen=True, kw_only=True)
class AllBreaks(Result):
    # "global" on the wire (a Python keyword)
    global_break: BreakView = json_name("global")  # noqa: RUF009 (field metadata)
    circles: dict[str, BreakView]  # circle id -> its break, for every circle we are in

    def of(self, circle: str | None) -> BreakView:
        """The break of `circle` (None: the global one); no break when it has none."""
        if circle is None:
            return self.global_break
        return self.circles.get(circle, BreakView())


NO_BREAKS = AllBreaks(global_break=BreakView(), circles={})


@command("breaks", "Your global break and each circle's.")
@dataclass(frozen=True, kw_only=True)
class BreaksOf(Command[AllBreaks]):
    pass
