"""Incremental resolution (core.resolution.resume) ends exactly where resolving the whole
log ends: for a small generated circle history (messages, edits, reactions, mutes,
removals, bans, promotions, demotions, some authored on an old view of the log so they
are concurrent with what followed), a replica that resolved all but some late events
takes them in any order, some twice, resuming from a checkpoint after each arrival as
the engine does (engine/circle_runtime.py: resume_point, resume_stored). After every
arrival its state,
order, refusals and removals are those `resolve` gives for the events it holds, or the
resume declines (None) and it resolves the whole log; it never gets a different answer.
Resuming from any earlier checkpoint gives the same. (What an EDIT or a REACTION leaves
on its message follows these verdicts: tests/engine/test_engine_content_parts.py.)"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerapp.core.circle_events import EventType
from peerapp.core.resolution import Entry, ResolvedLog, resolve, resolve_log, resume
from peerapp.crypto.signing import VerifiedEvent
from tests.crypto.circle_fixtures import (
    NOW_MS,
    Identity,
    LogBuilder,
    entry,
    founded_circle,
    identity,
    invite_seed,
    member_body,
    message_body,
    mute_body,
    sign,
)

EVERY = 2  # a checkpoint every 2 entries: every arrival has several to resume from
MUTE_UNTIL = NOW_MS + 10 * 24 * 3_600_000
MEMBERS = ("ada", "bo", "cy")


@functools.cache
def _founded() -> tuple[tuple[VerifiedEvent, ...], int]:
    """Founder, three members, ada a facilitator. Made once: a KEY_ROTATE's sealed box is
    randomised, and the ids of everything after hang on it."""
    builder, founder = founded_circle("resume")
    seed = invite_seed("resume")
    builder.invite(founder, seed, max_uses=len(MEMBERS))
    for name in MEMBERS:
        builder.join(founder, identity(f"resume-{name}"), seed)
    builder.on(founder, EventType.PROMOTE, identity("resume-ada"))
    builder.message(identity("resume-bo"), "hello all")
    return tuple(builder.events), builder.clock_ms


PEOPLE: dict[str, Identity] = {
    "founder": identity("founder-resume"),
    **{name: identity(f"resume-{name}") for name in MEMBERS},
}
MODERATORS = ("founder", "ada")
ACTIONS = ("message", "message", "edit", "react", "mute", "remove", "ban", "promote", "demote")
CONTENT_ACTIONS = ("message", "edit", "react")


@dataclass(frozen=True)
class Step:
    action: str
    author: str
    target: str
    view: float  # which part of the log the author had seen: 0 the founding, 1 all


@dataclass(frozen=True)
class History:
    circle: bytes
    founding: tuple[VerifiedEvent, ...]
    later: tuple[VerifiedEvent, ...]


steps = st.builds(
    Step,
    action=st.sampled_from(ACTIONS),
    author=st.sampled_from(tuple(PEOPLE)),
    target=st.sampled_from(MEMBERS),
    view=st.sampled_from((0.0, 0.5, 0.8, 1.0, 1.0, 1.0)),
)


def _history(plan: list[Step]) -> History:
    founding, clock_ms = _founded()
    builder = LogBuilder(founding[0].event.circle, clock_ms)
    for verified in founding:
        builder.record(verified)
    for step in plan:
        # the author wrote on its view of the log: the founding plus part of what followed
        seen = builder.events[
            : len(founding) + int(step.view * (len(builder.events) - len(founding)))
        ]
        named = {p for v in seen for p in v.event.prev}
        heads = [v.id for v in seen if v.id not in named]
        author = step.author if step.action in CONTENT_ACTIONS else _moderator(step.author)
        who, target = PEOPLE[author], PEOPLE[step.target]
        # the founding holds bo's message: there is always one to edit or react to (an
        # edit of another's message is the content rules' to refuse, not the log's)
        said = [v for v in seen if v.event.type is EventType.MESSAGE]
        own = [v for v in said if v.event.author == who.key] or said
        edited, reacted = own[-1].id, said[-1]
        kind, body = {
            "message": (EventType.MESSAGE, message_body(f"{author} says")),
            "edit": (EventType.EDIT, {"message": edited, "text": f"{author} meant"}),
            "react": (
                EventType.REACTION,
                {
                    "message": reacted.id,
                    "author": reacted.event.author,
                    "reaction": "heart",
                    "on": True,
                },
            ),
            "mute": (EventType.MUTE, mute_body(target, MUTE_UNTIL)),
            "remove": (EventType.REMOVE, member_body(target)),
            "ban": (EventType.BAN, member_body(target)),
            "promote": (EventType.PROMOTE, member_body(target)),
            "demote": (EventType.DEMOTE, member_body(target)),
        }[step.action]
        lamport = 1 + max(v.event.lamport for v in seen)
        event = builder.make(who, kind, body, prev=heads, lamport=lamport)
        builder.record(sign(event, who))
    return History(builder.circle_id, founding, tuple(builder.events[len(founding) :]))


def _moderator(name: str) -> str:
    return name if name in MODERATORS else "founder"


def _entries(events: dict[bytes, VerifiedEvent]) -> list[Entry]:
    return [entry(v) for v in events.values()]


def _resumed_from_every_checkpoint(
    log: ResolvedLog, circle: bytes, held: dict[bytes, VerifiedEvent], earliest: tuple[int, bytes]
) -> int:
    """Resume from each checkpoint before `earliest`; each agrees with `resolve` or
    declines. How many declined."""
    whole = resolve(circle, _entries(held))
    declined = 0
    for checkpoint in log.folds[0].checkpoints:
        after = log.keys[checkpoint.index]
        if after >= earliest:
            break
        suffix = [entry(v) for i, v in held.items() if (v.event.lamport, i) > after]
        resumed = resume(log, circle, after, suffix)
        if resumed is None:
            declined += 1
        else:
            assert resumed.resolution == whole
    return declined


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(plan=st.lists(steps, min_size=2, max_size=9), data=st.data())
def test_late_events_in_any_order_with_duplicates_resolve_as_the_whole_log(
    plan: list[Step], data: st.DataObject
) -> None:
    history = _history(plan)
    circle = history.circle
    late = data.draw(st.sets(st.sampled_from(history.later), min_size=1), label="late")
    late_ids = {v.id for v in late}
    held = {v.id: v for v in history.founding + history.later if v.id not in late_ids}
    # every late event at least once, some twice, in any order
    arrivals = data.draw(st.permutations(list(late)), label="order")
    repeats = data.draw(st.lists(st.sampled_from(arrivals), max_size=3), label="duplicates")
    arrivals = arrivals + repeats
    arrivals = data.draw(st.permutations(arrivals), label="arrival order")

    current = resolve_log(circle, _entries(held), every=EVERY)
    resumed_count = declined = 0
    for verified in arrivals:
        held[verified.id] = verified
        earliest = (verified.event.lamport, verified.id)
        whole = resolve(circle, _entries(held))
        declined += _resumed_from_every_checkpoint(current, circle, held, earliest)
        after = current.resume_point(earliest)
        step: ResolvedLog | None = None
        if after is not None:
            suffix = [entry(v) for i, v in held.items() if (v.event.lamport, i) > after]
            # a duplicate delivery within the suffix changes nothing
            step = resume(current, circle, after, [*suffix, entry(verified)])
        if step is None:  # no checkpoint before it, or it declined: resolve the whole log
            current = resolve_log(circle, _entries(held), every=EVERY)
        else:
            resumed_count += 1
            assert step.resolution == whole
            current = step  # the next arrival resumes from this resumed log
        assert current.resolution == whole
    everything = [entry(v) for v in history.founding + history.later]
    assert current.resolution == resolve(circle, everything)
    print(f"{len(arrivals)} arrivals: {resumed_count} resumed, {declined} declined elsewhere")


def test_a_resume_that_meets_a_new_removal_declines_rather_than_guess() -> None:
    # a late REMOVE concurrent with a message by its target: resuming cannot keep the
    # removals it had, so it must decline (or agree) — never return another answer
    history = _history(
        [
            Step("message", "bo", "bo", 1.0),
            Step("message", "cy", "cy", 1.0),
            Step("remove", "founder", "cy", 0.0),
            Step("message", "cy", "cy", 1.0),
        ]
    )
    remove = history.later[2]
    assert remove.event.type is EventType.REMOVE
    held = {v.id: v for v in history.founding + history.later if v.id != remove.id}
    before = resolve_log(history.circle, _entries(held), every=EVERY)
    held[remove.id] = remove
    earliest = (remove.event.lamport, remove.id)
    after = before.resume_point(earliest)
    assert after is not None
    suffix = [entry(v) for i, v in held.items() if (v.event.lamport, i) > after]
    resumed = resume(before, history.circle, after, suffix)
    whole = resolve(history.circle, _entries(held))
    assert resumed is None or resumed.resolution == whole
    assert whole.refused  # the concurrent message of cy's is dropped: the case is real
