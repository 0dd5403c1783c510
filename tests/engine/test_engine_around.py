"""Around the list (issue 15), socket-free on the parts as the service wires them: who
joined and left (the membership log and its events), and the typing signal: off by
default, sent at most once per 3 s, shown to members as a `typing` event, never for a
blocked member, and a flood dropped and counted."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import trio

from peerapp.core import typing_signals
from peerapp.core.api.refusals import Refusal
from peerapp.core.errors import CommandError
from peerapp.core.events import MembershipChanged, MemberTyping
from peerapp.core.typing_policy import SEND_EVERY_SECONDS, SHOW_SECONDS
from peerapp.crypto import envelope
from peerapp.crypto.signals import sign_signal
from peerapp.network.pubsub import PubsubMessage
from tests.engine.circle_parts import (
    Member,
    admitted_and_said,
    circle_of,
    deliver,
    epoch_of,
    run,
)


def published_by(member: Member) -> list[tuple[str, bytes]]:
    """What a member's typing part publishes, recorded."""
    sent: list[tuple[str, bytes]] = []

    async def publish(topic: str, data: bytes) -> None:
        sent.append((topic, data))

    member.parts.typing.publish = publish
    return sent


def typing_events(member: Member) -> list[MemberTyping]:
    return [e for e in member.record.emitted if isinstance(e, MemberTyping)]


def test_joins_and_leaves_are_in_the_membership_log_and_announced(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            circle_hex = circle.circle_id.hex()
            assert ash.parts.membership.log(circle_hex) == ()  # the founder did not "join"
            said = await admitted_and_said(ash, circle, bee, "hi")
            (joined,) = ash.parts.membership.log(circle_hex)
            assert (joined.action, joined.member, joined.member_name) == (
                "joined",
                said.runtime.me.hex(),
                "Bee",
            )
            announced = [e for e in ash.record.emitted if isinstance(e, MembershipChanged)]
            assert [e.entry for e in announced] == [joined]
            # Bee leaves: Ash stores the LEAVE and announces it
            await bee.moderation.leave(said.runtime.circle_id.hex())
            await trio.sleep(1)
            stored = await deliver(bee, ash, circle)
            await ash.log.announce(circle, stored)
            entries = ash.parts.membership.log(circle_hex)
            assert [(e.action, e.member_name) for e in entries] == [
                ("joined", "Bee"),
                ("left", "Bee"),
            ]
            assert entries[1].lamport > joined.lamport  # its place in the one order
            announced = [e for e in ash.record.emitted if isinstance(e, MembershipChanged)]
            assert announced[-1].entry == entries[1]

    run(body)


async def _typing_circle(ash: Member, bee: Member) -> tuple[str, str]:
    """Ash's circle with typing on, Bee in it: (Ash's circle hex, Bee's circle hex)."""
    circle = ash.found()
    circle_hex = circle.circle_id.hex()
    with pytest.raises(CommandError) as off:
        await ash.parts.typing.send(circle_hex)  # off by default
    assert off.value.refusal is Refusal.TYPING_OFF
    settings = await ash.moderation.set_settings(
        circle_hex, slow_mode_seconds=None, join_approval=None, guidelines=None, typing=True
    )
    assert settings["typing"] is True
    said = await admitted_and_said(ash, circle, bee, "hi")
    assert said.runtime.state.typing  # Bee's replica holds the setting too
    return circle_hex, said.runtime.circle_id.hex()


def test_typing_is_sent_at_most_every_three_seconds_and_shown(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle_hex, bee_circle = await _typing_circle(ash, bee)
            sent = published_by(bee)
            await bee.parts.typing.send(bee_circle)
            await bee.parts.typing.send(bee_circle)  # typing on: no second signal yet
            assert len(sent) == 1
            bee.clock.advance(SEND_EVERY_SECONDS)
            await bee.parts.typing.send(bee_circle)
            assert len(sent) == 2
            # nothing of it was stored: the log is as it was
            topic, data = sent[0]
            assert envelope.is_signal(data)
            ash_runtime = ash.runtimes.require(circle_hex)
            keys = epoch_of(ash_runtime)
            with pytest.raises(envelope.EnvelopeError, match="a signal, not events"):
                envelope.open_envelope(
                    data, [keys.message_key], ash_runtime.circle_id, keys.epoch_id
                )

            arrived = PubsubMessage(topic, "12D3KooWBee", data)
            assert ash.parts.typing.authentic(arrived)
            ash.parts.typing.receive(arrived)
            (shown,) = typing_events(ash)
            assert shown == MemberTyping(
                circle_hex, bee.runtimes.require(bee_circle).me.hex(), "Bee", SHOW_SECONDS
            )

    run(body)


def test_a_flood_is_dropped_and_counted_and_a_forgery_refused(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle_hex, bee_circle = await _typing_circle(ash, bee)
            sent = published_by(bee)
            bee_runtime = bee.runtimes.require(bee_circle)
            keys = epoch_of(bee_runtime)
            # a modified app: a fresh signal every time, far faster than 3 s
            for _ in range(50):
                signal = typing_signals.TypingSignal(
                    bee_runtime.circle_id, bee_runtime.me, bee.clock.now_ms()
                )
                signed = sign_signal(
                    typing_signals.encode(signal), bee_runtime.membership.signing_seed
                )
                data = envelope.seal_signal(
                    signed, keys.message_key, bee_runtime.circle_id, keys.epoch_id
                )
                message = PubsubMessage(keys.topic, "12D3KooWBee", data)
                if ash.parts.typing.authentic(message):
                    ash.parts.typing.receive(message)
            assert len(typing_events(ash)) == 1
            assert ash.record.counted.count("typing_flood") == 49
            assert sent == []  # Bee's own part sent nothing: the flood was forged above

            # Bee signs a signal saying Ash is typing: refused, never shown
            ash.clock.advance(SEND_EVERY_SECONDS)
            ash_me = ash.runtimes.require(circle_hex).me
            forged = typing_signals.TypingSignal(bee_runtime.circle_id, ash_me, ash.clock.now_ms())
            signed = sign_signal(typing_signals.encode(forged), bee_runtime.membership.signing_seed)
            data = envelope.seal_signal(
                signed, keys.message_key, bee_runtime.circle_id, keys.epoch_id
            )
            assert not ash.parts.typing.authentic(PubsubMessage(keys.topic, "12D3KooWBee", data))
            assert "typing_invalid" in ash.record.counted
            # garbage, and an old signal replayed
            junk = PubsubMessage(keys.topic, "x", b"\x83\x03\x00\x00")
            assert not ash.parts.typing.authentic(junk)
            stale = replace(forged, member=bee_runtime.me, ts=ash.clock.now_ms() - 120_000)
            signed = sign_signal(typing_signals.encode(stale), bee_runtime.membership.signing_seed)
            data = envelope.seal_signal(
                signed, keys.message_key, bee_runtime.circle_id, keys.epoch_id
            )
            assert not ash.parts.typing.authentic(PubsubMessage(keys.topic, "b", data))
            assert "typing_stale" in ash.record.counted

    run(body)


def test_a_blocked_member_typing_is_not_shown(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle_hex, bee_circle = await _typing_circle(ash, bee)
            sent = published_by(bee)
            ash.boundaries.block(circle_hex, bee.runtimes.require(bee_circle).me.hex())
            await bee.parts.typing.send(bee_circle)
            topic, data = sent[0]
            message = PubsubMessage(topic, "12D3KooWBee", data)
            assert ash.parts.typing.authentic(message)  # relayed: others may not block Bee
            ash.parts.typing.receive(message)
            assert typing_events(ash) == []

    run(body)
