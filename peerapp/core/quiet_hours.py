"""Breaks and quiet hours: when a circle stays silent for this reader.

Rules:
- A quiet-hours schedule is a daily window of local time, written "HH:MM" (24-hour).
  It covers start <= now < end; when end is before start it crosses midnight
  (22:00 to 07:00 is quiet from 22:00 through 06:59). start == end is no window at all.
- A break is one switch per circle plus one global switch, each with optional quiet
  hours and a status flag: while a break is on and its flag is set, members of the
  circles it covers see "taking a break".
- A circle is silenced now (no notifications, see `is_silenced`) when its own break or
  the global break is on, or now falls in its own quiet hours or the global ones.
- Nothing here reads a clock: callers pass the local time as minutes after midnight.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MINUTES_PER_DAY = 24 * 60
_TIME = re.compile(r"(\d{1,2}):(\d{2})")


class ScheduleError(ValueError):
    """A time or schedule that cannot be read; the message is fit to show a person."""


@dataclass(frozen=True)
class Schedule:
    """A daily quiet window in minutes after local midnight (start < end or crossing it)."""

    start: int
    end: int

    def __post_init__(self) -> None:
        for minutes in (self.start, self.end):
            if not 0 <= minutes < MINUTES_PER_DAY:
                raise ScheduleError("A time of day is between 00:00 and 23:59.")

    @property
    def crosses_midnight(self) -> bool:
        return self.end < self.start


@dataclass(frozen=True)
class Break:
    """One scope's break: a circle's own, or the global one."""

    on: bool = False
    quiet_hours: Schedule | None = None
    status: bool = False  # members see "taking a break" while `on`

    @property
    def shows_status(self) -> bool:
        return self.on and self.status


NO_BREAK = Break()


def parse_time(text: str) -> int:
    """ "HH:MM" (24-hour; "7:05" is read as 07:05) -> minutes after midnight."""
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise ScheduleError(f"{text!r} is not a time: write it as HH:MM, like 22:00.")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours > 23:
        raise ScheduleError(f"{text!r} is not a time: hours go from 00 to 23.")
    if minutes > 59:
        raise ScheduleError(f"{text!r} is not a time: minutes go from 00 to 59.")
    return hours * 60 + minutes


def format_time(minutes: int) -> str:
    if not 0 <= minutes < MINUTES_PER_DAY:
        raise ScheduleError("A time of day is between 00:00 and 23:59.")
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_schedule(start: str, end: str) -> Schedule | None:
    """A schedule from its two times; None when they are equal (no quiet hours)."""
    schedule = Schedule(parse_time(start), parse_time(end))
    return None if schedule.start == schedule.end else schedule


def format_schedule(schedule: Schedule | None) -> dict[str, str] | None:
    if schedule is None:
        return None
    return {"start": format_time(schedule.start), "end": format_time(schedule.end)}


def minutes_of(hour: int, minute: int) -> int:
    """Minutes after midnight of a local clock reading."""
    return hour * 60 + minute


def is_quiet(schedule: Schedule | None, local_minutes: int) -> bool:
    """Whether `local_minutes` (0..1439) falls in the schedule's window."""
    if schedule is None or schedule.start == schedule.end:
        return False
    if schedule.crosses_midnight:
        return local_minutes >= schedule.start or local_minutes < schedule.end
    return schedule.start <= local_minutes < schedule.end


def is_silenced(own: Break, everywhere: Break, local_minutes: int) -> bool:
    """A circle with break `own`, under the global break `everywhere`, at local time."""
    return (
        own.on
        or everywhere.on
        or is_quiet(own.quiet_hours, local_minutes)
        or is_quiet(everywhere.quiet_hours, local_minutes)
    )


def shows_break_status(own: Break, everywhere: Break) -> bool:
    """Whether members of the circle should see us "taking a break"."""
    return own.shows_status or everywhere.shows_status
