"""A scripted hostile member, built from the project's own code: a bare libp2p node that is
genuinely admitted to a circle (so its keys are valid member keys), signs whatever events
it likes and answers the victim's sync pulls with a script. Used by the engine tests and
bench/hostile.py."""

from __future__ import annotations

import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import nacl.public
import nacl.signing

from peerapp.core import join_messages as jm
from peerapp.core import sync_messages as sm
from peerapp.core.circle_events import EVENT_ID_BYTES, Event, EventType
from peerapp.core.invite_code import InviteCode
from peerapp.crypto.signing import VerifiedEvent, sign_event, verify_signed
from peerapp.engine.join_client import request_admission, signed_join_request
from peerapp.network.framed import FramedStream
from peerapp.network.host import NetworkNode

Handler = Callable[[FramedStream], Awaitable[None]]


def _now_ms() -> int:
    return int(time.time() * 1000)


@dataclass
class HostileMember:
    signing: nacl.signing.SigningKey
    circle: bytes
    log: list[VerifiedEvent]  # the control log the victim sent on admitting us
    seq: int = 1
    made: list[VerifiedEvent] = field(default_factory=list)

    @property
    def key(self) -> bytes:
        return bytes(self.signing.verify_key)

    @property
    def head(self) -> VerifiedEvent:
        return max(self.log, key=lambda v: (v.event.lamport, v.id))

    def sign(
        self,
        kind: EventType,
        body: dict[str, Any],
        *,
        prev: tuple[bytes, ...],
        lamport: int,
    ) -> VerifiedEvent:
        event = Event(
            type=kind,
            circle=self.circle,
            author=self.key,
            seq=self.seq,
            lamport=lamport,
            prev=prev,
            ts=_now_ms(),
            body=body,
        )
        self.seq += 1
        verified = sign_event(event, bytes(self.signing))
        self.made.append(verified)
        return verified

    def chain(
        self, count: int, make: Callable[[int], tuple[EventType, dict[str, Any]]], after: Any = None
    ) -> list[VerifiedEvent]:
        """`count` events, each the only child of the one before (the first of `after`,
        default our admission log's head); lamport one above its parent's."""
        parent: VerifiedEvent = after or self.head
        events = []
        for number in range(count):
            kind, body = make(number)
            parent = self.sign(kind, body, prev=(parent.id,), lamport=parent.event.lamport + 1)
            events.append(parent)
        return events

    def messages(self, count: int, size: int = 200) -> list[VerifiedEvent]:
        return self.chain(count, lambda n: (EventType.MESSAGE, {"text": f"{n:06d} " + "x" * size}))

    def statuses(self, count: int) -> list[VerifiedEvent]:
        """STATUS events, on and off in turn, the last one on."""
        return self.chain(count, lambda n: (EventType.STATUS, {"on_break": (count - n) % 2 == 1}))

    def orphans(self, count: int) -> list[VerifiedEvent]:
        """Messages naming parents that never exist."""
        base = self.head.event.lamport
        return [
            self.sign(
                EventType.MESSAGE,
                {"text": f"orphan {n}"},
                prev=(os.urandom(EVENT_ID_BYTES),),
                lamport=base + 2,
            )
            for n in range(count)
        ]


async def admit(node: NetworkNode, code: InviteCode, name: str = "H") -> HostileMember:
    """A genuine admission for `node`: from here on the victim treats it as a member."""
    signing = nacl.signing.SigningKey.generate()
    exchange = nacl.public.PrivateKey.generate()

    def make(challenge: bytes) -> bytes:
        return signed_join_request(
            code,
            challenge=challenge,
            signing=signing,
            exchange_public=bytes(exchange.public_key),
            member_name=name,
            peer=node.peer_id,
            addrs=[],
        )

    log = await request_admission(node, code, make)
    return HostileMember(signing, code.circle_id, [verify_signed(s) for s in log])


def answering(offered: list[VerifiedEvent], sent: list[VerifiedEvent] | None = None) -> Handler:
    """A sync answer offering the ids of `offered` whatever the asker holds, then answering
    each want with the asked events in order (`sent` instead: events never asked for)."""
    by_id = {v.id: v.signed for v in offered}
    ids = list(by_id)

    async def answer(stream: FramedStream) -> None:
        await stream.receive(sm.MAX_FRAME_BYTES)  # the asker's summary
        for start in range(0, max(len(ids), 1), sm.MAX_IDS_PER_FRAME):
            chunk = tuple(ids[start : start + sm.MAX_IDS_PER_FRAME])
            more = start + sm.MAX_IDS_PER_FRAME < len(ids)
            await stream.send(sm.encode_sync_frame(sm.IdList(chunk, more)))
        while True:
            frame = sm.decode_sync_frame(await stream.receive(sm.MAX_FRAME_BYTES))
            if not isinstance(frame, sm.Want):
                return
            if sent is not None:
                wanted = [v.signed for v in sent[: len(frame.ids)]]
            else:
                wanted = [by_id[i] for i in frame.ids if i in by_id]
            for start in range(0, max(len(wanted), 1), jm.MAX_EVENTS_PER_FRAME):
                batch = tuple(wanted[start : start + jm.MAX_EVENTS_PER_FRAME])
                more = start + jm.MAX_EVENTS_PER_FRAME < len(wanted)
                await stream.send(jm.encode_frame(jm.Events(batch, more)))

    return answer
