"""Search as a part (issue 15): the app's wiring on a real database, no socket
(tests/engine/circle_parts.py). A member's message is found by the reader's search with
its author's name and a snippet; it leaves the results while hidden pending review,
once the reader blocks its author, and once it is deleted; an edit's old words leave
both replicas' results; bad arguments are refused
with the contract's refusals, storing nothing; a private conversation's messages are
found by both its sides, marked private with the other person, until one blocks."""

from __future__ import annotations

from pathlib import Path

import pytest
import trio
from trio.testing import wait_all_tasks_blocked

from peerapp.core.api.refusals import Refusal
from peerapp.core.errors import CommandError
from peerapp.core.events import PrivateMessageArrived
from peerapp.engine.outbox import COALESCE_SECONDS
from peerapp.engine.search import MessageSearch
from peerapp.storage.search_store import SearchStore
from tests.engine.circle_parts import (
    admitted_and_said,
    circle_of,
    deliver_and_announce,
    hide_at_first_flag,
    in_reach,
    open_hosts,
    run,
)


def _texts(search: MessageSearch, words: str, circle: str | None = None) -> list[str]:
    return [hit.text for hit in search.search(words, circle)]


def test_a_member_s_message_is_found_until_hidden_blocked_or_deleted(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            circle_hex = circle.circle_id.hex()
            await hide_at_first_flag(ash, circle_hex)
            mine, view, _ = await admitted_and_said(ash, circle, bee, "The garden helped today")
            search = ash.parts.search

            (hit,) = search.search("GARDEN help")
            assert (hit.circle, hit.message, hit.author) == (circle_hex, view.id, mine.me.hex())
            assert (hit.author_name, hit.circle_name, hit.mine) == ("Bee", "Evening circle", False)
            assert (hit.lamport, hit.ts, hit.filter) == (view.lamport, view.ts, "show")
            assert [(part.text, part.match) for part in hit.snippet] == [
                ("The ", False),
                ("garden", True),
                (" ", False),
                ("helped", True),
                (" today", False),
            ]
            assert _texts(search, "garden", circle_hex) == ["The garden helped today"]
            # Bee's own search finds its own message, marked as its own
            assert [h.mine for h in bee.parts.search.search("garden")] == [True]

            await ash.safety.flag_harm(circle_hex, view.id)  # hidden pending review
            assert _texts(search, "garden") == []
            await ash.safety.restore(circle_hex, view.id)
            assert _texts(search, "garden") == ["The garden helped today"]

            ash.boundaries.block(circle_hex, mine.me.hex())
            assert _texts(search, "garden") == []
            ash.boundaries.unblock(circle_hex, mine.me.hex())

            await ash.moderation.delete_message(circle_hex, view.id)  # a facilitator's delete
            assert _texts(search, "garden") == []
            assert SearchStore(ash.database).indexed() == 0  # the erased text left the index

    run(body)


@pytest.mark.parametrize(
    ("arguments", "refusal"),
    [
        ({"text": "x" * 201}, Refusal.SEARCH_TOO_LONG),
        ({"text": "hi", "limit": 0}, Refusal.OUT_OF_RANGE),
        ({"text": "hi", "limit": 101}, Refusal.OUT_OF_RANGE),
        ({"text": "hi", "offset": -1}, Refusal.OUT_OF_RANGE),
        ({"text": "hi", "circle_hex": "not hex"}, Refusal.NOT_A_CIRCLE_ID),
        ({"text": "hi", "circle_hex": "ab" * 16}, Refusal.NOT_IN_CIRCLE),
    ],
)
def test_bad_arguments_are_refused(
    tmp_path: Path, arguments: dict[str, object], refusal: Refusal
) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash") as (ash,):
            ash.found()
            with pytest.raises(CommandError) as raised:
                ash.parts.search.search(**arguments)  # type: ignore[arg-type]
            assert raised.value.refusal is refusal

    run(body)


def test_words_that_look_like_syntax_are_only_words(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash") as (ash,):
            circle = ash.found()
            await ash.messages.send(circle.circle_id.hex(), 'she said "NEAR( me*" twice')
            search = ash.parts.search
            for words in ('"', "NEAR(", "*", "me*", "AND OR NOT", "text:she", '"NEAR( me*"'):
                search.search(words)  # never raises
            assert _texts(search, '"near( me*"') == ['she said "NEAR( me*" twice']
            assert _texts(search, "") == []

    run(body)


def test_an_edit_s_old_words_leave_the_results_on_every_replica(tmp_path: Path) -> None:
    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            circle_hex = circle.circle_id.hex()
            said = await admitted_and_said(ash, circle, bee, "a hard dya at the lake")
            assert _texts(ash.parts.search, "dya") == ["a hard dya at the lake"]
            await bee.content.edit(circle_hex, said.view.id, "a hard day at the river")
            await trio.sleep(COALESCE_SECONDS)  # the outbox's pause (virtual time)
            await deliver_and_announce(bee, ash, circle)
            for member in (ash, bee):
                assert _texts(member.parts.search, "dya") == []
                assert _texts(member.parts.search, "lake") == []
                assert _texts(member.parts.search, "river") == ["a hard day at the river"]

    run(body)


def test_private_conversations_are_searched_with_their_kind_until_blocked(
    tmp_path: Path,
) -> None:
    """Ash writes privately to Bee, who also said something in the circle: both sides
    find the private message with its kind and the conversation's other member, next to
    the circle's; Bee blocking Ash takes that conversation out of Bee's results."""

    async def body() -> None:
        async with circle_of(tmp_path, "Ash", "Bee") as (ash, bee):
            circle = ash.found()
            circle_hex = circle.circle_id.hex()
            mine, said, _ = await admitted_and_said(ash, circle, bee, "The garden helped today")
            async with trio.open_nursery() as network:
                open_hosts(network, ash, bee)
                in_reach(ash, bee)
                sent = await ash.parts.private.send(
                    circle_hex, mine.me.hex(), "Is the garden still helping?"
                )
                await wait_all_tasks_blocked()
                network.cancel_scope.cancel()
            (arrived,) = bee.record.events(PrivateMessageArrived)
            assert isinstance(arrived, PrivateMessageArrived) and arrived.message.id == sent.id

            hits = {hit.kind: hit for hit in ash.parts.search.search("garden")}
            assert set(hits) == {"circle", "private"}
            assert (hits["circle"].message, hits["circle"].member) == (said.id, "")
            private = hits["private"]
            assert (private.message, private.circle, private.text) == (
                sent.id,
                circle_hex,
                "Is the garden still helping?",
            )
            assert (private.member, private.member_name) == (mine.me.hex(), "Bee")
            assert (private.author_name, private.mine, private.lamport) == ("Ash", True, 0)
            assert [(p.text, p.match) for p in private.snippet if p.match] == [("garden", True)]
            # in one circle too, and a word only the private message has
            assert [h.kind for h in ash.parts.search.search("still", circle_hex)] == ["private"]

            (theirs,) = [h for h in bee.parts.search.search("garden") if h.kind == "private"]
            assert (theirs.member, theirs.member_name, theirs.mine) == (
                circle.me.hex(),
                "Ash",
                False,
            )
            bee.boundaries.block(mine.circle_id.hex(), circle.me.hex())
            assert [h.kind for h in bee.parts.search.search("garden")] == ["circle"]
            bee.boundaries.unblock(mine.circle_id.hex(), circle.me.hex())
            assert len(bee.parts.search.search("garden")) == 2

    run(body)
