"""The restart budget, pure: backoff grows within the window, the sixth stop in ten
minutes gives up, and restarts older than the window no longer count."""

from __future__ import annotations

import pytest

from peerapp.network.tor.restart import DEFAULT_POLICY, RestartBudget, RestartPolicy


def test_backoff_doubles_then_the_budget_is_spent() -> None:
    budget = RestartBudget(DEFAULT_POLICY)
    delays = [budget.next_delay(float(t)) for t in range(6)]
    assert delays == [1.0, 2.0, 4.0, 8.0, 16.0, None]
    assert budget.next_delay(100.0) is None  # still within 10 minutes of the first


def test_restarts_older_than_the_window_no_longer_count() -> None:
    budget = RestartBudget(DEFAULT_POLICY)
    for t in range(5):
        budget.next_delay(float(t))
    assert budget.next_delay(600.0) == 16.0  # the one at 0 s left the window
    assert budget.next_delay(2000.0) == 1.0  # a tor that stops once in a while: from 1 s


def test_the_last_backoff_repeats_and_a_bad_policy_is_refused() -> None:
    budget = RestartBudget(RestartPolicy(max_restarts=3, backoff_seconds=(0.5,)))
    assert [budget.next_delay(0.0) for _ in range(4)] == [0.5, 0.5, 0.5, None]
    with pytest.raises(ValueError):
        RestartPolicy(backoff_seconds=())
