"""Edits and reactions in every arrival order (issue 15): replicas that end up holding the
same events show the same messages, whatever order the events reached them in, even when
a mute concurrent with the author's edits and reactions refuses them only once it
arrives (core/resolution.py), so the replicas that applied them must take them back
(engine/content.py `follow_verdicts`).

Hypothesis draws what Bee does (edits of her message, reactions on and off on both
messages) and whether Ash mutes her meanwhile, unseen by Bee (then all she did is
refused, on every replica); two more members take the
new events one at a time in drawn orders (each event once its parents are held, as
ingest holds orphans back), announced as ingest does. Real databases, FakeClock, no
socket (tests/engine/circle_parts.py)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import trio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from trio.testing import wait_all_tasks_blocked

from peerapp.core.errors import CommandError
from peerapp.crypto.signing import verify_signed
from peerapp.engine.circle_runtime import CircleRuntime
from peerapp.engine.outbox import COALESCE_SECONDS
from peerapp.storage.content_store import ContentStore
from tests.engine.circle_parts import (
    Member,
    admit,
    admitted_and_said,
    circle_of,
    run,
    signed_in,
)
from tests.engine.test_engine_content_parts import pass_on

REACTIONS = ("hug", "strong", "heart")
# what Bee does: ("edit", n) or ("react", on Ash's message?, reaction, on)
bee_steps = st.lists(
    st.one_of(
        st.tuples(st.just("edit"), st.integers(0, 9)),
        st.tuples(st.just("react"), st.booleans(), st.sampled_from(REACTIONS), st.booleans()),
    ),
    min_size=1,
    max_size=5,
)


async def deliver_in_order(receiver: Member, runtime: CircleRuntime, order: list[bytes]) -> None:
    """Each signed event once all its parents are held (at most len(order) rounds)."""
    waiting = list(order)
    for _ in range(len(order) + 1):
        if not waiting:
            return
        for signed in waiting:
            parents = verify_signed(signed).event.prev
            if receiver.store.present(parents) == set(parents):
                waiting.remove(signed)
                accepted = receiver.receive(runtime, [signed])
                await receiver.log.announce(runtime, accepted)
                break
    assert not waiting, "events whose parents never came"


async def catch_up(member: Member, runtime: CircleRuntime, source: Member) -> None:
    """Everything `source` stores of the circle (our invites included), as a sync brings."""
    held = source.store.events_in_order(runtime.circle_id)
    await member.log.announce(runtime, member.receive(runtime, [s.signed for s in held]))


def shown(member: Member, circle_hex: str, circle_id: bytes, ids: list[str]) -> list[object]:
    """What a replica shows of the messages: text, edited, reactions with who, versions."""
    views = {v.id: v for v in member.messages.history(circle_hex, None, None)}
    content = ContentStore(member.database)
    return [
        (
            views[i].text,
            views[i].edited,
            [(r.reaction, r.names) for r in views[i].reactions],
            [v.text for v in content.versions(circle_id, bytes.fromhex(i))],
        )
        for i in ids
    ]


@settings(
    max_examples=4,  # a circle of four per example: ~1.5 s each
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(steps=bee_steps, mute=st.booleans(), data=st.data())
def test_edits_and_reactions_end_the_same_in_every_arrival_order(
    steps: list[tuple[object, ...]], mute: bool, data: st.DataObject
) -> None:
    async def body(folder: Path) -> None:
        async with circle_of(folder, "Ash", "Bee", "Cy", "Dee") as (ash, bee, cy, dee):
            circle = ash.found()
            circle_hex = circle.circle_id.hex()
            said = await admitted_and_said(ash, circle, bee, "before")
            own = await ash.messages.send(circle_hex, "welcome")
            receivers = [(cy, await admit(ash, circle, cy)), (dee, await admit(ash, circle, dee))]
            for member, runtime in [(bee, said.runtime), *receivers]:
                await catch_up(member, runtime, ash)
            marks = {ash.name: len(ash.record.published), bee.name: len(bee.record.published)}
            if mute:  # Bee does not hear of it before she acts: all she does is concurrent
                await ash.moderation.mute(circle_hex, said.runtime.me.hex(), 600)
            for step in steps:
                try:
                    if step[0] == "edit":
                        await bee.content.edit(circle_hex, said.view.id, f"version {step[1]}")
                    else:
                        target = own.id if step[1] else said.view.id
                        await bee.content.react(circle_hex, target, str(step[2]), on=bool(step[3]))
                except CommandError:
                    pass  # refused by Bee's own app (no change to sign): nothing sent
            await ash.content.react(circle_hex, said.view.id, "hug", on=True)
            await trio.sleep(COALESCE_SECONDS)  # the outboxes drain (virtual time)
            await wait_all_tasks_blocked()
            new = [
                *signed_in(ash.record.published[marks[ash.name] :]),
                *signed_in(bee.record.published[marks[bee.name] :]),
            ]
            for receiver, runtime in receivers:
                order = data.draw(st.permutations(new), label=f"{receiver.name}'s order")
                await deliver_in_order(receiver, runtime, order)
            await pass_on(ash, bee, said.runtime)
            await pass_on(bee, ash, circle)
            ids = [said.view.id, own.id]
            everyone = [shown(m, circle_hex, circle.circle_id, ids) for m in (ash, bee, cy, dee)]
            assert everyone[1:] == everyone[:1] * 3
            if mute:
                # the mute refuses all Bee did (concurrent, dated before it ends), on
                # the replicas that applied it first too: only Ash's hug is left
                assert everyone[0] == [
                    ("before", False, [("hug", ("Ash",))], []),
                    ("welcome", False, [], []),
                ]

    with tempfile.TemporaryDirectory() as folder:
        run(lambda: body(Path(folder)))
