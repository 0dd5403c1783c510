"""The typing indicator (issue 15): "Sam is typing…", off unless a circle's settings
turn it on (SETTINGS' optional `typing`).

Sending (`send`, the `typing` command): a signal signed by our circle key
(core/typing_signals.py, crypto/signals.py), sealed with the current epoch's message key
in a signal envelope (crypto/envelope.py, version 3) and published once on the circle's
topic: never stored, never synced, never retried. At most one per circle every
SEND_EVERY_SECONDS; asking more often sends nothing. A member who may not send (muted,
removed, left) sends no typing either.

Receiving, as GossipSub does it: `authentic` is the validator's step for a signal
envelope (it opens under the topic's epoch, a current member signed it for this circle,
its time is within FRESH_SECONDS of ours, and that member's previous accepted signal is
ACCEPT_EVERY_SECONDS old): anything else is not relayed, and a member over the rate is
counted (`typing_flood`), so a flood dies at the first honest hop. `receive` then shows
what `authentic` admitted, as a `typing` event, unless the circle shows no typing, the
member is one we blocked, it is ours, or the circle is silenced for us (a break or quiet
hours: a break is stepping back, and "Sam is typing…" pulls one in again, so it is not
shown then, as notifications are not).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable

from peerapp.core import typing_signals
from peerapp.core.api.refusals import Refusal
from peerapp.core.errors import CommandError
from peerapp.core.events import MemberTyping
from peerapp.core.typing_policy import FRESH_SECONDS, SEND_EVERY_SECONDS, SHOW_SECONDS
from peerapp.core.typing_signals import RateGate, SignalError, TypingSignal
from peerapp.crypto import envelope
from peerapp.crypto.signals import SignalSignatureError, sign_signal, signed_payload, verify_signal
from peerapp.engine.boundaries import Boundaries
from peerapp.engine.circle_runtime import CircleRuntime
from peerapp.engine.context import EngineContext
from peerapp.engine.runtimes import CircleRuntimes
from peerapp.engine.topics import CircleTopics
from peerapp.network.pubsub import PubsubMessage

Publish = Callable[[str, bytes], Awaitable[None]]
ADMITTED_KEPT = 256  # signals admitted by the validator and not yet received


async def _nowhere(_topic: str, _data: bytes) -> None:
    """Before the network runs: a typing signal is only worth its moment."""


class TypingSignals:
    def __init__(
        self,
        *,
        runtimes: CircleRuntimes,
        topics: CircleTopics,
        boundaries: Boundaries,
        context: EngineContext,
        count: Callable[[str], None],
        why_not_send: Callable[[CircleRuntime], CommandError | None],
    ) -> None:
        self._runtimes = runtimes
        self._topics = topics
        self._boundaries = boundaries
        self._clock = context.clock
        self._emit = context.emit
        self._count = count
        self._why_not_send = why_not_send
        # where signals go: the circle's topic on its host (the service sets it)
        self.publish: Publish = _nowhere
        self._gate = RateGate()
        self._last_sent: dict[bytes, float] = {}
        self._admitted: deque[bytes] = deque(maxlen=ADMITTED_KEPT)
        self.sent = 0  # signals published (tests and status read it)

    # -- sending ------------------------------------------------------------------------

    async def send(self, circle_hex: str) -> None:
        runtime = self._runtimes.require(circle_hex)
        if not runtime.state.typing:
            raise CommandError(Refusal.TYPING_OFF)
        refused = self._why_not_send(runtime)
        if refused is not None and refused.refusal is not Refusal.SLOW_MODE:
            raise refused  # slow mode holds a message back, not the writing of one
        keys = runtime.current_keys()
        if keys is None:
            raise CommandError(Refusal.NO_KEYS_YET)
        now = self._clock.monotonic()
        last = self._last_sent.get(runtime.circle_id)
        if last is not None and now - last < SEND_EVERY_SECONDS:
            return
        self._last_sent[runtime.circle_id] = now
        signal = TypingSignal(runtime.circle_id, runtime.me, self._clock.now_ms())
        signed = sign_signal(typing_signals.encode(signal), runtime.membership.signing_seed)
        sealed = envelope.seal_signal(signed, keys.message_key, runtime.circle_id, keys.epoch_id)
        self.sent += 1
        try:
            await self.publish(keys.topic, sealed)
        except Exception:
            self._count("typing_unsent")

    # -- receiving ----------------------------------------------------------------------

    @staticmethod
    def is_signal(message: PubsubMessage) -> bool:
        return envelope.is_signal(message.data)

    def _open(self, message: PubsubMessage) -> tuple[CircleRuntime, TypingSignal, bytes] | None:
        """The circle, the signal and its signed bytes, if a current member of the circle
        signed it for this circle; None (counted) otherwise."""
        known = self._topics.get(message.topic)
        if known is None:
            self._count("unknown_topic")
            return None
        circle_id, keys = known
        runtime = self._runtimes.get(circle_id)
        if runtime is None:
            return None
        try:
            signed = envelope.open_signal(message.data, keys.message_key, circle_id, keys.epoch_id)
            signal = typing_signals.decode(signed_payload(signed))
            verify_signal(signed, signal.member)
        except (envelope.EnvelopeError, SignalError, SignalSignatureError):
            self._count("typing_invalid")
            return None
        if signal.circle != circle_id or not runtime.state.is_member(signal.member):
            self._count("typing_invalid")
            return None
        return runtime, signal, signed

    def authentic(self, message: PubsubMessage) -> bool:
        """The validator's step for a signal envelope: relayed and delivered only if
        genuine, fresh and within its member's rate."""
        opened = self._open(message)
        if opened is None:
            return False
        runtime, signal, signed = opened
        if abs(self._clock.now_ms() - signal.ts) > FRESH_SECONDS * 1000:
            self._count("typing_stale")
            return False
        if not self._gate.admit(runtime.circle_id, signal.member, self._clock.monotonic()):
            self._count("typing_flood")
            return False
        self._admitted.append(signed)
        return True

    def receive(self, message: PubsubMessage) -> None:
        """A delivered signal (the validator admitted it): a `typing` event, if shown."""
        opened = self._open(message)
        if opened is None:
            return
        runtime, signal, signed = opened
        if signed not in self._admitted:
            self._count("typing_unvalidated")
            return
        self._admitted.remove(signed)
        circle_id = runtime.circle_id
        shown = (
            runtime.state.typing
            and signal.member != runtime.me
            and not self._boundaries.is_blocked(circle_id, signal.member)
            and not self._boundaries.is_silenced(circle_id)
        )
        if shown:
            name = runtime.name_of(signal.member)
            self._emit(MemberTyping(circle_id.hex(), signal.member.hex(), name, SHOW_SECONDS))
