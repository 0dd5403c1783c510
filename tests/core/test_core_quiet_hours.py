"""Quiet hours and breaks: the daily window (crossing midnight, its edges, none), reading
and writing times, and when a circle is silenced."""

from __future__ import annotations

import pytest

from peerapp.core.quiet_hours import (
    NO_BREAK,
    Break,
    Schedule,
    ScheduleError,
    format_schedule,
    format_time,
    is_quiet,
    is_silenced,
    parse_schedule,
    parse_time,
    shows_break_status,
)


def _at(text: str) -> int:
    return parse_time(text)


@pytest.mark.parametrize(
    ("start", "end", "now", "quiet"),
    [
        # a window within one day: start included, end excluded
        ("09:00", "17:00", "08:59", False),
        ("09:00", "17:00", "09:00", True),
        ("09:00", "17:00", "12:30", True),
        ("09:00", "17:00", "16:59", True),
        ("09:00", "17:00", "17:00", False),
        # crossing midnight
        ("22:00", "07:00", "21:59", False),
        ("22:00", "07:00", "22:00", True),
        ("22:00", "07:00", "23:59", True),
        ("22:00", "07:00", "00:00", True),
        ("22:00", "07:00", "06:59", True),
        ("22:00", "07:00", "07:00", False),
        ("22:00", "07:00", "12:00", False),
        # ending at midnight, starting at midnight
        ("20:00", "00:00", "23:59", True),
        ("20:00", "00:00", "00:00", False),
        ("00:00", "06:00", "00:00", True),
        ("00:00", "06:00", "06:00", False),
        # one minute long, and all but one minute
        ("12:00", "12:01", "12:00", True),
        ("12:00", "12:01", "12:01", False),
        ("12:01", "12:00", "12:00", False),
        ("12:01", "12:00", "12:01", True),
    ],
)
def test_a_schedule_is_quiet_from_its_start_up_to_its_end(
    start: str, end: str, now: str, quiet: bool
) -> None:
    schedule = parse_schedule(start, end)
    assert schedule is not None
    assert is_quiet(schedule, _at(now)) is quiet


@pytest.mark.parametrize("now", range(0, 24 * 60, 37))
def test_equal_start_and_end_is_no_quiet_hours(now: int) -> None:
    assert parse_schedule("08:00", "08:00") is None
    assert not is_quiet(None, now)
    assert not is_quiet(Schedule(480, 480), now)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("00:00", 0), ("07:05", 425), ("7:05", 425), (" 22:30 ", 1350), ("23:59", 1439)],
)
def test_times_read_as_minutes_after_midnight(text: str, minutes: int) -> None:
    assert parse_time(text) == minutes


@pytest.mark.parametrize("minutes", [0, 1, 59, 60, 425, 720, 1439])
def test_times_write_back_as_they_read(minutes: int) -> None:
    assert parse_time(format_time(minutes)) == minutes
    assert len(format_time(minutes)) == 5


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "HH:MM"),
        ("7", "HH:MM"),
        ("07:5", "HH:MM"),
        ("07.30", "HH:MM"),
        ("seven", "HH:MM"),
        ("007:30", "HH:MM"),
        ("-1:00", "HH:MM"),
        ("24:00", "hours go from 00 to 23"),
        ("99:00", "hours go from 00 to 23"),
        ("12:60", "minutes go from 00 to 59"),
    ],
)
def test_a_bad_time_says_what_is_wrong(text: str, says: str) -> None:
    with pytest.raises(ScheduleError, match=says):
        parse_time(text)


@pytest.mark.parametrize("minutes", [-1, 1440])
def test_times_outside_the_day_are_refused(minutes: int) -> None:
    with pytest.raises(ScheduleError):
        Schedule(minutes, 0)
    with pytest.raises(ScheduleError):
        format_time(minutes)


def test_a_schedule_writes_back_as_start_and_end() -> None:
    schedule = parse_schedule("22:00", "7:00")
    assert format_schedule(schedule) == {"start": "22:00", "end": "07:00"}
    assert format_schedule(None) is None


NIGHT = Schedule(_at("22:00"), _at("07:00"))
LUNCH = Schedule(_at("12:00"), _at("13:00"))


@pytest.mark.parametrize(
    ("own", "everywhere", "now", "silenced"),
    [
        (NO_BREAK, NO_BREAK, "23:00", False),
        (Break(on=True), NO_BREAK, "10:00", True),
        (NO_BREAK, Break(on=True), "10:00", True),
        # quiet hours silence only inside their window, the circle's or the global ones
        (Break(quiet_hours=NIGHT), NO_BREAK, "23:00", True),
        (Break(quiet_hours=NIGHT), NO_BREAK, "10:00", False),
        (NO_BREAK, Break(quiet_hours=NIGHT), "06:59", True),
        (NO_BREAK, Break(quiet_hours=NIGHT), "07:00", False),
        (Break(quiet_hours=LUNCH), Break(quiet_hours=NIGHT), "12:30", True),
        (Break(quiet_hours=LUNCH), Break(quiet_hours=NIGHT), "02:00", True),
        (Break(quiet_hours=LUNCH), Break(quiet_hours=NIGHT), "10:00", False),
        # a break that is off with a status shown silences nothing
        (Break(status=True), Break(status=True), "10:00", False),
    ],
)
def test_a_circle_is_silenced_by_either_break_or_either_quiet_hours(
    own: Break, everywhere: Break, now: str, silenced: bool
) -> None:
    assert is_silenced(own, everywhere, _at(now)) is silenced


@pytest.mark.parametrize(
    ("own", "everywhere", "shown"),
    [
        (NO_BREAK, NO_BREAK, False),
        (Break(on=True), NO_BREAK, False),
        (Break(status=True), NO_BREAK, False),
        (Break(on=True, status=True), NO_BREAK, True),
        (NO_BREAK, Break(on=True, status=True), True),
        (Break(on=True), Break(on=True, status=True), True),
        # quiet hours never show a status
        (Break(quiet_hours=NIGHT, status=True), NO_BREAK, False),
    ],
)
def test_members_see_a_break_only_when_it_is_on_with_its_status(
    own: Break, everywhere: Break, shown: bool
) -> None:
    assert shows_break_status(own, everywhere) is shown
