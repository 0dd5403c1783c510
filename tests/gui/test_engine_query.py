"""peerapp.ui.engine_query without Qt or an engine: which answers are used, and when an ask
runs once more."""

from __future__ import annotations

from peerapp.ui.engine_query import Latest, OneAtATime


def test_an_older_answer_never_undoes_a_newer_one() -> None:
    latest = Latest()
    first, second, third = latest.ask(), latest.ask(), latest.ask()
    assert latest.take(second)  # answers overtake each other: the second came first
    assert not latest.take(first)  # older than one used: dropped
    assert latest.take(third)
    assert not latest.take(second)
    assert latest.take(third)  # the same answer again is still the newest


def test_answers_in_order_are_all_used() -> None:
    latest = Latest()
    assert [latest.take(latest.ask()) for _ in range(3)] == [True, True, True]


def test_asks_while_one_is_in_flight_fold_into_one_more_run() -> None:
    one = OneAtATime()
    assert one.start()
    assert one.running
    assert not one.start() and not one.start()  # asked twice meanwhile
    assert one.finish()  # so once more, not twice
    assert not one.running
    assert one.start()
    assert not one.finish()  # nobody asked meanwhile


def test_a_failed_run_keeps_a_rerun_for_the_next_and_frees_the_slot() -> None:
    one = OneAtATime()
    assert one.start()
    assert not one.start()
    one.stop()  # the engine refused: nothing to use
    assert not one.running
    assert one.start()  # a new ask runs at once
    assert one.finish()  # and the one asked during the failed run follows it


def test_an_ask_put_off_is_run_by_whoever_can_run_it() -> None:
    one = OneAtATime()
    one.later()  # nothing shown yet
    assert one.asked_meanwhile()
    assert not one.asked_meanwhile()  # taken once
    one.later()
    assert one.start()
    assert one.finish()  # or by the next run's end
