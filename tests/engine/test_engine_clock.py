"""Ends and back-offs by the engine's one clock (issue 13), tested by moving a FakeClock
past them instead of waiting: an invite's end, a mute's end, a receiving key's age and
its grace, a mailbox note's back-off, quiet hours. Real engines on loopback, real
SQLCipher; engines of one test share one clock (their events' timestamps agree, as real
members' do). The periodic rounds (key checks, mailbox retries) are run by the test
right after it moves the clock, so nothing waits for a timer."""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from peerapp.core.errors import CommandError
from peerapp.core.events import MessageArrived
from peerapp.engine import mailbox, receiving_keys
from peerapp.engine.circle_service import CircleService
from peerapp.engine.clock import Clock, FakeClock
from peerapp.engine.context import Timings
from peerapp.engine.join_client import JoinRefused
from peerapp.storage.mailbox_store import OutgoingNote
from tests.engine.engine_support import QUICK_SYNC
from tests.engine.test_engine_moderation import Member, _circle, _ids, _until

MINUTE = 60
DAY = 24 * 3600
WEEK = 7 * DAY


@contextmanager
def _members(
    folder: Path, clock: Clock, *names: str, timings: Timings = QUICK_SYNC
) -> Iterator[list[Member]]:
    """Engines on loopback reading `clock`; every one stopped afterwards."""
    members: list[Member] = []
    try:
        for name in names:
            members.append(Member(folder, name, clock, timings))
        yield members
    finally:
        for member in members:
            member.thread.stop()


def test_a_fake_clock_stands_still_until_moved() -> None:
    evening = datetime.datetime(2026, 1, 15, 21, 59).timestamp()  # local time
    clock = FakeClock(evening, monotonic=5.0)
    assert (clock.wall(), clock.monotonic(), clock.now_ms()) == (evening, 5.0, evening * 1000)
    assert clock.local_minutes() == 21 * 60 + 59
    clock.advance(MINUTE)
    assert (clock.now_ms() - evening * 1000, clock.monotonic()) == (60_000, 65.0)
    assert clock.local_minutes() == 22 * 60
    with pytest.raises(ValueError, match="forward only"):
        clock.advance(-1)
    assert FakeClock().wall() % 1 == 0  # whole seconds: moved by whole seconds, ms are exact


def test_an_invite_ends_when_the_clock_passes_its_expiry(tmp_path: Path) -> None:
    inviter_clock = FakeClock()
    joiner_clock = FakeClock(inviter_clock.wall())
    expired = re.escape(JoinRefused.EXPIRED_TEXT)
    with (
        _members(tmp_path, inviter_clock, "Ash") as (ash,),
        _members(tmp_path, joiner_clock, "Bee") as (bee,),
    ):
        circle = ash.call("create_circle", name="Clock", member_name="Ash")["circle"]
        code = ash.call("invite", circle=circle, expires_in=2 * MINUTE)["code"]
        assert [i["code"] for i in ash.call("invites", circle=circle)["invites"]] == [code]
        inviter_clock.advance(2 * MINUTE - 1)
        assert len(ash.call("invites", circle=circle)["invites"]) == 1
        inviter_clock.advance(1)
        assert ash.call("invites", circle=circle)["invites"] == []
        # the inviter's app refuses it, though the joiner's clock is before the end
        with pytest.raises(CommandError, match=expired):
            bee.call("join", code=code, name="Bee")
        # and the joiner's app, once its clock passes the end, without dialling anyone
        assert ash.thread.stop()
        joiner_clock.advance(2 * MINUTE)
        with pytest.raises(CommandError, match=expired):
            bee.call("join", code=code, name="Bee")
        assert bee.call("circles")["circles"] == []


def test_a_mute_ends_when_the_clock_passes_it(tmp_path: Path) -> None:
    clock = FakeClock()
    with _members(tmp_path, clock, "Ash", "Bee") as members:
        ash, bee = members
        circle = _circle(members)
        bee_id = _ids(ash, circle)["Bee"].hex()
        until = ash.call("mute", circle=circle, member=bee_id, seconds=2 * MINUTE)["until"]
        assert until == clock.now_ms() + 2 * MINUTE * 1000
        _until(
            lambda: bee.call("circle_info", circle=circle)["muted_until"] == until,
            "Bee's app learns of the mute",
        )
        with pytest.raises(CommandError, match="muted in this circle for another 2 minutes"):
            bee.call("send", circle=circle, text="too soon")
        clock.advance(MINUTE)
        with pytest.raises(CommandError, match="for another 1 minute\\."):
            bee.call("send", circle=circle, text="still too soon")
        clock.advance(MINUTE)
        assert bee.call("circle_info", circle=circle)["muted_until"] == 0
        muted = {m["id"]: m["muted_until"] for m in ash.call("members", circle=circle)["members"]}
        assert muted[bee_id] == 0
        sent = bee.call("send", circle=circle, text="back again")["message"]
        # Ash's app accepts it: the message is stamped at the mute's end, not before
        _until(
            lambda: sent in {m["id"] for m in ash.call("history", circle=circle)["messages"]},
            "Ash accepts Bee's message",
        )


def test_a_receiving_key_is_replaced_at_a_week_and_forgotten_after_its_grace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(receiving_keys, "CHECK_SECONDS", DAY)  # the test runs each check
    clock = FakeClock()
    with _members(tmp_path, clock, "Ash") as (ash,):
        circle = ash.call("create_circle", name="Keys", member_name="Ash")["circle"]

        def check() -> tuple[bytes, int]:
            """The periodic key check; then (our announced key, replaced keys kept)."""

            async def work(service: CircleService) -> tuple[bytes, int]:
                await service.keys.check_all()
                runtime = service.runtimes.require(circle)
                retired = service.keys._store.retired(runtime.circle_id)
                return runtime.state.members[runtime.me].exchange, len(retired)

            return ash.inside(work)

        first, kept = check()
        assert kept == 0
        clock.advance(WEEK - MINUTE)
        assert check() == (first, 0), "a key younger than a week stays"
        clock.advance(MINUTE)
        second, kept = check()
        assert second != first and kept == 1, "a week old: a new key, the old one kept"
        clock.advance(receiving_keys.RETIRED_GRACE_SECONDS - MINUTE)
        assert check() == (second, 1)
        clock.advance(MINUTE + 1)
        assert check() == (second, 0), "the replaced key is deleted after its grace"
        sent = ash.call("send", circle=circle, text="under the new key")["message"]
        assert sent in {m["id"] for m in ash.call("history", circle=circle)["messages"]}


def test_a_refused_mailbox_note_backs_off_by_the_clock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A facilitator's app refuses a second note within a day (the limit lowered to one);
    the sender retries after 5 s, then 10 s, and delivers once the day has passed."""
    monkeypatch.setattr(mailbox, "MAX_NOTES_PER_SENDER_PER_DAY", 1)
    rounds_by_the_test = dataclasses.replace(QUICK_SYNC, mailbox_interval=DAY)
    clock = FakeClock()
    with _members(tmp_path, clock, "Ash", "Bee", timings=rounds_by_the_test) as members:
        ash, bee = members
        circle = _circle(members)
        bee_id = _ids(ash, circle)["Bee"].hex()
        ash_peer = ash.call("status")["peer_id"]

        def owed() -> list[OutgoingNote]:
            async def work(service: CircleService) -> list[OutgoingNote]:
                return service.mailbox._store.undelivered()

            return bee.inside(work)

        def retry_round() -> list[str]:
            async def work(service: CircleService) -> list[str]:
                return service.mailbox.deliver_due()

            return bee.inside(work)

        def flags_at_ash() -> int:
            return len(ash.call("flags", circle=circle)["flags"])

        def flag(note: str) -> None:
            bee.call("flag", circle=circle, kind="care", member=bee_id, note=note)

        flag("a rough week")
        _until(lambda: flags_at_ash() == 1, "the first note delivered")
        flag("and a rougher day")
        (note,) = _until(lambda: [n for n in owed() if n.attempts == 1], "refused once")
        assert note.next_attempt_at == clock.now_ms() + mailbox.RETRY_BASE_MS
        clock.advance(mailbox.RETRY_BASE_MS // 1000 - 1)
        assert retry_round() == []
        clock.advance(1)
        assert retry_round() == [ash_peer]
        (note,) = _until(lambda: [n for n in owed() if n.attempts == 2], "refused twice")
        assert note.next_attempt_at == clock.now_ms() + 2 * mailbox.RETRY_BASE_MS
        clock.advance(DAY)
        assert retry_round() == [ash_peer]
        _until(lambda: flags_at_ash() == 2 and owed() == [], "delivered after the day")


def test_quiet_hours_begin_and_end_by_the_clock(tmp_path: Path) -> None:
    # a winter evening, local time: no daylight-saving change overnight
    clock = FakeClock(datetime.datetime(2026, 1, 15, 21, 59).timestamp())
    with _members(tmp_path, clock, "Ash", "Bee") as members:
        ash, bee = members
        circle = _circle(members)
        ash.call("set_break", on=False, quiet_hours={"start": "22:00", "end": "07:00"})

        def quiet() -> bool:
            views = ash.call("circles")["circles"]
            return bool(next(v for v in views if v["id"] == circle)["quiet"])

        def silent(text: str) -> bool:
            """Whether Bee's message reaches Ash's app silenced (no notification)."""
            sent = bee.call("send", circle=circle, text=text)["message"]

            def arrived() -> list[MessageArrived]:
                events = ash.events.of_type(MessageArrived)
                return [e for e in events if e.message.id == sent]

            return _until(arrived, f"Ash gets {text!r}")[0].silent

        assert not quiet() and not silent("at 21:59")
        clock.advance(MINUTE)
        assert quiet() and silent("at 22:00")
        clock.advance(datetime.datetime(2026, 1, 16, 6, 59).timestamp() - clock.wall())
        assert quiet() and silent("at 06:59")
        clock.advance(MINUTE)
        assert not quiet() and not silent("at 07:00")
