"""Per-member quotas: token buckets per author with the clock passed in."""

from __future__ import annotations

from peerapp.core.quotas import MIB, QuotaRules, Quotas, Verdict

ALICE = b"\x01" * 32
MALLORY = b"\x02" * 32
RULES = QuotaRules(events_per_minute=60, event_burst=10, bytes_per_day=1000, stored_bytes=5000)


def test_a_burst_passes_then_the_rate_holds() -> None:
    quotas = Quotas(RULES)
    assert [quotas.charge(MALLORY, 1, 0.0) for _ in range(10)] == [Verdict.OK] * 10
    assert quotas.charge(MALLORY, 1, 0.0) is Verdict.OVER_RATE
    assert quotas.charge(MALLORY, 1, 0.5) is Verdict.OVER_RATE  # half a token so far
    assert quotas.charge(MALLORY, 1, 1.0) is Verdict.OK  # one event per second
    assert quotas.refused == {MALLORY: 2}


def test_one_authors_flood_spends_nobody_elses_allowance() -> None:
    quotas = Quotas(RULES)
    for _ in range(20):
        quotas.charge(MALLORY, 1, 0.0)
    assert quotas.charge(ALICE, 1, 0.0) is Verdict.OK
    assert ALICE not in quotas.refused


def test_bytes_per_day_refill_evenly() -> None:
    quotas = Quotas(RULES)
    assert quotas.charge(MALLORY, 900, 0.0) is Verdict.OK
    assert quotas.charge(MALLORY, 200, 0.0) is Verdict.OVER_BYTES
    assert quotas.charge(MALLORY, 200, 86400 * 0.2) is Verdict.OK  # a fifth of a day later


def test_the_stored_budget_does_not_refill() -> None:
    quotas = Quotas(RULES, stored={MALLORY: 4500})
    assert quotas.charge(MALLORY, 400, 0.0) is Verdict.OK
    assert quotas.charge(MALLORY, 400, 10 * 86400.0) is Verdict.OVER_DISK
    quotas.forget_stored(MALLORY, 4900)  # the user cleared what it stored
    assert quotas.charge(MALLORY, 400, 10 * 86400.0) is Verdict.OK


def test_a_clock_stepping_back_refills_nothing() -> None:
    quotas = Quotas(RULES)
    for _ in range(10):
        quotas.charge(MALLORY, 1, 100.0)
    assert quotas.charge(MALLORY, 1, 0.0) is Verdict.OVER_RATE
    assert quotas.check(MALLORY, 1, 100.5) is Verdict.OVER_RATE


def test_check_spends_nothing() -> None:
    quotas = Quotas(RULES)
    for _ in range(100):
        assert quotas.check(MALLORY, 1, 0.0) is Verdict.OK
    assert quotas.stored_bytes(MALLORY) == 0


def test_the_defaults_let_a_week_of_honest_messages_through_at_once() -> None:
    quotas = Quotas()
    week = 7 * 150  # a very talkative member: 150 messages a day, 1 KiB each
    assert all(quotas.charge(ALICE, 1024, 0.0) is Verdict.OK for _ in range(week))
    assert quotas.rules.stored_bytes >= 32 * MIB
