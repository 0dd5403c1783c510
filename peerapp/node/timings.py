"""`PEERAPP_TIMINGS`: the engine's timers for a `peerapp node` run by tests.

Unset (or empty), the node runs with the app's timings (engine/context.py DEFAULT_TIMINGS).
`quick` gives it QUICK_TIMINGS: the sync round, a waiting join's retry, the mailbox's round
and back-off and Tor mode's redials a tenth as long or shorter, so an end-to-end test waits
for the round it needs instead of the product's seconds (tests/e2e/node_process.py sets
it). It is for tests only: not an option in --help, and any other value is refused before
the profile is touched, naming the values there are.
"""

from __future__ import annotations

from collections.abc import Mapping

from peerapp.core.errors import HearthError
from peerapp.engine.context import DEFAULT_TIMINGS, QUICK_TIMINGS, Timings

TIMINGS_VARIABLE = "PEERAPP_TIMINGS"
CHOICES: dict[str, Timings] = {"": DEFAULT_TIMINGS, "quick": QUICK_TIMINGS}
# longer than any choice's name: a value past this is not echoed back in full
SHOWN_CHARS = 20


def timings_from(environment: Mapping[str, str]) -> Timings:
    """The timings `environment` asks for; HearthError naming the choices otherwise."""
    value = environment.get(TIMINGS_VARIABLE, "")
    found = CHOICES.get(value.strip().lower())
    if found is None:
        shown = value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "..."
        raise HearthError(
            f"{TIMINGS_VARIABLE}={shown!r} is not known: it is for tests, and takes only "
            f"'quick' (the app's timers shortened); unset it for the app's timings"
        )
    return found
