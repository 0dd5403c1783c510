"""Replies, reactions and edits (issue 15) as a feature on its own: real database,
FakeClock, the write path's publish and the fronts' events recorded; no socket
(tests/engine/circle_parts.py). Each member's app judges what arrives: a lying edit or
reaction from a modified app is refused on receipt, counted, and changes nothing."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
import trio
from trio.testing import wait_all_tasks_blocked

from peerapp.core.api.refusals import Refusal
from peerapp.core.circle_events import EventType
from peerapp.core.content_policy import EDIT_WINDOW_MS, MAX_REACTIONS_PER_MEMBER_PER_MESSAGE
from peerapp.core.errors import CommandError
from peerapp.core.events import MessageChanged, MessageView
from peerapp.engine.circle_runtime import CircleRuntime
from peerapp.engine.outbox import COALESCE_SECONDS
from peerapp.storage.content_store import ContentStore
from tests.engine.circle_parts import (
    Member,
    admit,
    admitted_and_said,
    circle_of,
    deliver_and_announce,
    in_reach,
    open_hosts,
    run,
    signed_in,
    types_in,
)


async def pass_on(sender: Member, receiver: Member, runtime: CircleRuntime) -> None:
    """What `sender` published reaches `receiver`, announced as ingest does (the outbox's
    pause between envelopes passes first: MockClock, virtual time)."""
    await trio.sleep(COALESCE_SECONDS)
    await deliver_and_announce(sender, receiver, runtime)


def changed_views(events: Sequence[object], message: str) -> list[MessageView]:
    return [e.message for e in events if isinstance(e, MessageChanged) and e.message.id == message]


def test_a_reply_quotes_the_message_it_answers(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            said = await admitted_and_said(ash, circle, bee, "a hard day")
            circle_hex = circle.circle_id.hex()
            reply = await ash.content.reply(circle_hex, said.view.id, "I'm here", None)
            assert reply.reply_to == said.view.id
            assert reply.quote is not None and reply.quote.text == "a hard day"
            assert reply.quote.author_name == "Bee" and not reply.quote.removed
            await pass_on(ash, bee, said.runtime)
            (seen,) = [v for v in bee.messages.history(circle_hex, None, None) if v.reply_to]
            assert seen.text == "I'm here" and seen.quote == reply.quote
            # a reply to what is not a message here is refused before anything is signed
            before = len(ash.record.published)
            for target in ("ab" * 32, circle.circle_id.hex() + "00" * 16):
                with pytest.raises(CommandError) as refused:
                    await ash.content.reply(circle_hex, target, "hello?", None)
                assert refused.value.refusal is Refusal.NO_SUCH_MESSAGE
            assert len(ash.record.published) == before
            # once the original is deleted, the quote says so and keeps no text
            await bee.moderation.delete_message(circle_hex, said.view.id)
            await pass_on(bee, ash, circle)
            (after,) = [v for v in ash.messages.history(circle_hex, None, None) if v.reply_to]
            assert after.quote is not None and after.quote.removed and after.quote.text == ""

    run(body)


def test_reactions_count_who_gave_them_toggle_and_respect_blocks(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            said = await admitted_and_said(ash, circle, bee, "a hard day")
            circle_hex = circle.circle_id.hex()
            view = await ash.content.react(circle_hex, said.view.id, "hug", on=True)
            (hug,) = view.reactions
            assert (hug.reaction, hug.names, hug.mine) == ("hug", ("Ash",), True)
            # the same again signs nothing
            published = len(ash.record.published)
            await ash.content.react(circle_hex, said.view.id, "hug", on=True)
            assert len(ash.record.published) == published
            await pass_on(ash, bee, said.runtime)
            assert types_in(ash.record.published).count(EventType.REACTION) == 1
            (seen,) = changed_views(bee.record.emitted, said.view.id)
            assert [(r.reaction, r.names, r.mine) for r in seen.reactions] == [
                ("hug", ("Ash",), False)
            ]
            await bee.content.react(circle_hex, said.view.id, "\U0001f49c", on=True)
            await bee.content.react(circle_hex, said.view.id, "hug", on=True)
            await pass_on(bee, ash, circle)
            (now,) = [v for v in ash.messages.history(circle_hex, None, None)]
            assert [(r.reaction, len(r.names)) for r in now.reactions] == [
                ("hug", 2),
                ("\U0001f49c", 1),
            ]
            # our own toggles off
            view = await ash.content.react(circle_hex, said.view.id, "hug", on=False)
            assert [(r.reaction, r.names) for r in view.reactions] == [
                ("hug", ("Bee",)),
                ("\U0001f49c", ("Bee",)),
            ]
            # a blocked member's reactions are not shown to us (on anyone's message)
            own = await ash.messages.send(circle_hex, "glad you're here")
            await pass_on(ash, bee, said.runtime)
            await bee.content.react(circle_hex, own.id, "heart", on=True)
            await pass_on(bee, ash, circle)
            (hearts,) = changed_views(ash.record.emitted, own.id)
            assert [(r.reaction, r.names) for r in hearts.reactions] == [("heart", ("Bee",))]
            ash.boundaries.block(circle_hex, said.runtime.me.hex())
            (blocked,) = ash.messages.history(circle_hex, None, None)
            assert blocked.id == own.id and blocked.reactions == ()
            # a malformed reaction is refused with the choices
            with pytest.raises(CommandError) as refused:
                await bee.content.react(circle_hex, said.view.id, "\U0001f600\U0001f600", on=True)
            assert refused.value.refusal is Refusal.NOT_A_REACTION
            assert "'thinking of you'" in refused.value.message

    run(body)


def test_the_reaction_limit_holds_for_our_app_and_on_receipt(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            said = await admitted_and_said(ash, circle, bee, "thank you all")
            circle_hex = circle.circle_id.hex()
            emoji = [chr(0x1F600 + i) for i in range(MAX_REACTIONS_PER_MEMBER_PER_MESSAGE + 1)]
            for one in emoji[:-1]:
                await bee.content.react(circle_hex, said.view.id, one, on=True)
            with pytest.raises(CommandError) as refused:
                await bee.content.react(circle_hex, said.view.id, emoji[-1], on=True)
            assert refused.value.refusal is Refusal.TOO_MANY_REACTIONS
            # a modified app signs one more anyway: every replica refuses its effect
            body = {
                "message": bytes.fromhex(said.view.id),
                "author": said.runtime.me,
                "reaction": emoji[-1],
                "on": True,
            }
            lying = bee.log.author(said.runtime, EventType.REACTION, body)
            bee.log.append(said.runtime, [lying])
            await pass_on(bee, ash, circle)
            (view,) = ash.messages.history(circle_hex, None, None)
            assert len(view.reactions) == MAX_REACTIONS_PER_MEMBER_PER_MESSAGE
            assert emoji[-1] not in {r.reaction for r in view.reactions}
            assert ash.record.counted.count("content_refused") == 1

    run(body)


def test_an_edit_replaces_the_text_keeps_versions_for_facilitators_and_shows_edited(
    tmp_path: Path,
) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            said = await admitted_and_said(ash, circle, bee, "a hard dya")
            circle_hex = circle.circle_id.hex()
            edited = await bee.content.edit(circle_hex, said.view.id, "a hard day")
            assert (edited.text, edited.edited, edited.earlier) == ("a hard day", True, ())
            await pass_on(bee, ash, circle)
            (changed,) = changed_views(ash.record.emitted, said.view.id)
            assert changed.text == "a hard day" and changed.edited
            # the facilitator sees the earlier version
            assert [v.text for v in changed.earlier] == ["a hard dya"]
            # the storage contract: the message's own row holds the newest text
            stored = ash.store.event(circle.circle_id, bytes.fromhex(said.view.id))
            assert stored is not None and stored.text == "a hard day"
            versions = ContentStore(ash.database).versions(circle.circle_id, stored.id)
            assert [v.text for v in versions] == ["a hard dya", "a hard day"]
            # only the author edits
            with pytest.raises(CommandError) as refused:
                await ash.content.edit(circle_hex, said.view.id, "rewritten")
            assert refused.value.refusal is Refusal.EDIT_NOT_AUTHOR
            # within a day only
            bee.clock.advance(EDIT_WINDOW_MS / 1000 + 1)
            with pytest.raises(CommandError) as late:
                await bee.content.edit(circle_hex, said.view.id, "too late")
            assert late.value.refusal is Refusal.EDIT_WINDOW_CLOSED
            assert "24 hours" in late.value.message

    run(body)


def test_a_lying_edit_is_refused_on_receipt_and_changes_nothing(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            said = await admitted_and_said(ash, circle, bee, "hello")
            circle_hex = circle.circle_id.hex()
            mine = await ash.messages.send(circle_hex, "welcome, Bee")
            await pass_on(ash, bee, said.runtime)
            # Bee's modified app edits Ash's message, and its own after the window
            others = bee.log.author(
                said.runtime,
                EventType.EDIT,
                {"message": bytes.fromhex(mine.id), "text": "Bee was here"},
            )
            bee.clock.advance(EDIT_WINDOW_MS / 1000 + 1)
            late = bee.log.author(
                said.runtime,
                EventType.EDIT,
                {"message": bytes.fromhex(said.view.id), "text": "rewritten history"},
                after=others,
            )
            bee.log.append(said.runtime, [others, late])
            await pass_on(bee, ash, circle)
            texts = {v.id: (v.text, v.edited) for v in ash.messages.history(circle_hex, None, None)}
            assert texts[mine.id] == ("welcome, Bee", False)
            assert texts[said.view.id] == ("hello", False)
            assert ash.record.counted.count("content_refused") == 2
            assert not changed_views(ash.record.emitted, mine.id)

    run(body)


def test_deleting_an_edited_message_clears_its_versions_and_reactions(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            said = await admitted_and_said(ash, circle, bee, "first words")
            circle_hex = circle.circle_id.hex()
            await bee.content.edit(circle_hex, said.view.id, "second words")
            await ash.content.react(circle_hex, said.view.id, "heart", on=True)
            await pass_on(bee, ash, circle)
            content = ContentStore(ash.database)
            message = bytes.fromhex(said.view.id)
            assert len(content.versions(circle.circle_id, message)) == 2
            await ash.moderation.delete_message(circle_hex, said.view.id, "off topic")
            assert content.versions(circle.circle_id, message) == []
            assert content.reactions(circle.circle_id, [message]) == []
            # the EDIT's own bytes (which held the text) are erased as well
            edits = [
                s for s in ash.store.events_in_order(circle.circle_id) if s.type is EventType.EDIT
            ]
            assert edits and all(s.signed == b"" for s in edits)
            # and the history gives the tombstone, neither edited nor reacted
            (view,) = ash.messages.history(circle_hex, None, None)
            assert view.deleted and not view.edited and view.reactions == ()
            # an edit arriving after the delete is refused and its text erased at once
            late = bee.log.author(
                said.runtime, EventType.EDIT, {"message": message, "text": "third words"}
            )
            accepted = ash.receive(circle, [late.signed])
            await ash.log.announce(circle, accepted)
            held = ash.store.event(circle.circle_id, late.id)
            assert held is not None and held.signed == b""

    run(body)


def test_a_muted_member_can_neither_react_nor_edit(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            said = await admitted_and_said(ash, circle, bee, "something")
            circle_hex = circle.circle_id.hex()
            await ash.moderation.mute(circle_hex, said.runtime.me.hex(), 600)
            await pass_on(ash, bee, said.runtime)
            for attempt in (
                bee.content.react(circle_hex, said.view.id, "strong", on=True),
                bee.content.edit(circle_hex, said.view.id, "something else"),
            ):
                with pytest.raises(CommandError) as refused:
                    await attempt
                assert refused.value.refusal is Refusal.MUTED
            assert EventType.REACTION not in types_in(bee.record.published)
            assert signed_in(bee.record.published)

    run(body)


def test_a_report_of_an_edited_message_holds_the_version_reported(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee", "Cy") as (ash, bee, cy):
            circle = ash.found()
            circle_hex = circle.circle_id.hex()
            said = await admitted_and_said(ash, circle, bee, "something mild")
            cy_runtime = await admit(ash, circle, cy)
            await bee.content.edit(circle_hex, said.view.id, "something unkind")
            await pass_on(ash, cy, cy_runtime)
            await pass_on(bee, cy, cy_runtime)
            (seen,) = [v for v in cy.messages.history(circle_hex, None, None) if v.edited]
            assert seen.text == "something unkind"
            async with trio.open_nursery() as network:
                open_hosts(network, cy, ash)
                in_reach(cy, ash)
                cy.online_peers.add(ash.peer)
                await cy.parts.mailbox.report(circle_hex, said.view.id, "That was unkind.")
                await wait_all_tasks_blocked()
                network.cancel_scope.cancel()
            (report,) = ash.parts.mailbox.reports(circle_hex)
            # what the reporter saw, signed by its author: not the first version
            assert report.excerpt == "something unkind"
            assert report.message == said.view.id

    run(body)


def test_an_edit_and_a_reaction_concurrent_with_a_mute_lose_their_effect_everywhere(
    tmp_path: Path,
) -> None:
    # Bee edits and reacts before the mute reaches her: the whole-log resolution refuses
    # both once it arrives, so the replicas that applied them (Bee's; Cy's, which hears
    # Bee first) must take their effect back, and end where Ash's (which refused them on
    # receipt) does: the state core.resolution gives, whatever the arrival order
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee", "Cy") as (ash, bee, cy):
            circle = ash.found()
            circle_hex = circle.circle_id.hex()
            said = await admitted_and_said(ash, circle, bee, "before")
            cy_runtime = await admit(ash, circle, cy)
            own = await ash.messages.send(circle_hex, "welcome")
            await pass_on(ash, bee, said.runtime)
            await pass_on(ash, cy, cy_runtime)
            # a reaction on and off again before the mute, so one stays off anyway
            await bee.content.react(circle_hex, own.id, "strong", on=True)
            await pass_on(bee, ash, circle)
            await ash.moderation.mute(circle_hex, said.runtime.me.hex(), 600)
            await bee.content.edit(circle_hex, said.view.id, "after")
            await bee.content.react(circle_hex, own.id, "hug", on=True)
            await bee.content.react(circle_hex, own.id, "strong", on=False)
            (edited,) = [v for v in bee.messages.history(circle_hex, None, None) if v.edited]
            assert edited.text == "after"
            await pass_on(bee, cy, cy_runtime)  # Cy applies Bee's edit, then hears the mute
            (heard,) = [v for v in cy.messages.history(circle_hex, None, None) if v.edited]
            assert heard.text == "after"
            await pass_on(ash, cy, cy_runtime)
            await pass_on(ash, bee, said.runtime)
            await pass_on(bee, ash, circle)
            for member in (ash, bee, cy):
                views = {v.id: v for v in member.messages.history(circle_hex, None, None)}
                mine, welcome = views[said.view.id], views[own.id]
                assert (member.name, mine.text, mine.edited) == (member.name, "before", False)
                assert [(r.reaction, r.names) for r in welcome.reactions] == [("strong", ("Bee",))]
                content = ContentStore(member.database)
                assert content.versions(circle.circle_id, bytes.fromhex(said.view.id)) == []

    run(body)


def test_clearing_a_removed_member_takes_its_edits_and_reactions_too(tmp_path: Path) -> None:
    # edits and reactions are a member's stored bytes like its messages (ingest charges
    # them to the same quota): clearing what a removed member stored must free them all
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            circle_hex = circle.circle_id.hex()
            said = await admitted_and_said(ash, circle, bee, "first")
            own = await ash.messages.send(circle_hex, "welcome")
            await pass_on(ash, bee, said.runtime)
            await bee.content.edit(circle_hex, said.view.id, "second")
            await bee.content.react(circle_hex, own.id, "hug", on=True)
            await bee.content.react(circle_hex, own.id, "hug", on=False)
            await bee.content.react(circle_hex, own.id, "strong", on=True)
            await pass_on(bee, ash, circle)
            bee_hex = said.runtime.me.hex()
            await ash.moderation.on_member(circle_hex, EventType.REMOVE, bee_hex)
            bees = [
                s
                for s in ash.store.events_in_order(circle.circle_id)
                if s.author == said.runtime.me
            ]
            content = (EventType.MESSAGE, EventType.EDIT, EventType.REACTION)
            assert sorted(s.type.value for s in bees if s.type in content) == sorted(
                t.value for t in [EventType.MESSAGE, EventType.EDIT, *[EventType.REACTION] * 3]
            )
            # what stays once cleared: the control events that keep the log's shape
            control = sum(len(s.signed) for s in bees if s.type not in content)
            quota = ash.parts.ingest.quotas(circle)
            charged = quota.stored_bytes(said.runtime.me)
            cleared = ash.parts.disk_usage.clear_member(circle_hex, bee_hex)
            (usage,) = ash.parts.disk_usage.usage(circle_hex)
            (after,) = [m for m in usage.members if m.id == bee_hex]
            assert (cleared["messages"], after.bytes) == (1, control)
            assert cleared["bytes"] == sum(len(s.signed) for s in bees) - control
            assert quota.stored_bytes(said.runtime.me) == max(0, charged - cleared["bytes"])
            (welcome,) = [v for v in ash.messages.history(circle_hex, None, None) if v.id == own.id]
            assert welcome.reactions == ()

    run(body)
