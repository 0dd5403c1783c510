"""Who asked for support recently, as a facilitator's engine knows it (issue 14): a low
check-in in the circle (a message with a mood, core/care_policy.py's LOW_MOODS) or a care
flag about the member in our facilitator mailbox. `MemberView.asked_for_support_at` is
filled from it, so a facilitator about to mute or remove someone is told, and the GUI asks
nothing extra.
"""

from __future__ import annotations

from peerapp.core import care_policy
from peerapp.engine.circle_runtime import CircleRuntime
from peerapp.engine.mailbox import Mailbox
from peerapp.storage.circle_store import CircleStore


def asked_for_support(
    store: CircleStore, mailbox: Mailbox, runtime: CircleRuntime, now_ms: int
) -> dict[bytes, int]:
    """For a facilitator viewing: member key -> when (ms) it last asked for support within
    care_policy's recent window; empty for a viewer who is no facilitator (care flags reach
    facilitators only, and members are not told this about each other)."""
    if not runtime.state.is_facilitator(runtime.me):
        return {}
    since = care_policy.support_window_start(now_ms)
    asked = store.check_ins_since(runtime.circle_id, care_policy.LOW_MOODS, since)
    for member, when in mailbox.care_flagged_since(runtime, since).items():
        asked[member] = max(asked.get(member, 0), when)
    return asked
