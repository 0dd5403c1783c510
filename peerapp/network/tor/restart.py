"""How often and how soon Hearth starts its own tor again after it stopped, and how patient
it is with an existing tor and a stale one. Pure: fed times, testable without tor.

Rules:
- A tor that stopped is started again after a backoff that grows with each restart in the
  window (1, 2, 4, 8, 16 s): a tor that crashes at once must not spin the machine.
- At most `max_restarts` restarts within `window_seconds` (5 in 10 minutes); one more stop
  inside the window means Hearth gives up and says why. Restarts older than the window
  no longer count: a tor that stops once a day is restarted every time.
- An existing tor (not ours) is never started by us: its control port is tried again every
  `reconnect_seconds` for as long as the run lasts.
- A tor that stays stale (circuits lost) for `stale_seconds` is nudged once per stale
  episode (runtime.py): before that tor is usually recovering by itself.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RestartPolicy:
    max_restarts: int = 5
    window_seconds: float = 600.0
    backoff_seconds: tuple[float, ...] = (1.0, 2.0, 4.0, 8.0, 16.0)
    reconnect_seconds: float = 10.0
    stale_seconds: float = 30.0

    def __post_init__(self) -> None:
        if self.max_restarts < 0 or not self.backoff_seconds:
            raise ValueError("a restart policy needs a count >= 0 and at least one backoff")


DEFAULT_POLICY = RestartPolicy()


class RestartBudget:
    """The restarts made within the policy's window."""

    def __init__(self, policy: RestartPolicy) -> None:
        self._policy = policy
        self._times: list[float] = []

    def next_delay(self, now: float) -> float | None:
        """The wait before the next restart, which is counted from `now`; None when the
        budget is spent (give up)."""
        window = self._policy.window_seconds
        self._times = [t for t in self._times if now - t < window]
        if len(self._times) >= self._policy.max_restarts:
            return None
        backoff = self._policy.backoff_seconds
        delay = backoff[min(len(self._times), len(backoff) - 1)]
        self._times.append(now)
        return delay
