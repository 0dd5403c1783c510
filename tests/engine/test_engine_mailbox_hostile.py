"""The facilitator's side of the mailbox against members who misbehave: two scripted
libp2p nodes, both genuinely admitted, send notes that are forged (another member's key,
a broken signature), misaddressed, unreadable, of another circle, garbage or oversized.
Each is refused and nothing of it is stored; a genuine note is stored once however often
it is sent; the engine keeps serving."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import nacl.public
import nacl.signing

from peerapp.core import wire
from peerapp.core.circle_events import Event, EventType
from peerapp.core.events import CareFlagReceived, ReportReceived
from peerapp.core.invite_code import InviteCode, decode_invite
from peerapp.core.mailbox_messages import (
    MAX_ANSWER_BYTES,
    MAX_FRAME_BYTES,
    PROTOCOL,
    Ack,
    Answer,
    NoteBody,
    NoteKind,
    Refusal,
    Refused,
    decode_answer,
    encode_note_frame,
)
from peerapp.core.network_mode import DIRECT_RUN
from peerapp.crypto.keyfile import TEST_KDF
from peerapp.crypto.notes import seal_note
from peerapp.crypto.signing import sign_event, verify_signed
from peerapp.engine.engine import Engine
from peerapp.engine.join_client import request_admission, signed_join_request
from peerapp.engine.thread import EngineThread
from peerapp.network.framed import FramedStream, StreamError
from peerapp.network.host import NetworkNode, running_node
from peerapp.node.json_requests import request_json
from peerapp.storage.profile import UnlockedProfile, create_profile
from tests.engine.engine_support import EventLog
from tests.network.trio_helpers import run

LOOPBACK = ["/ip4/127.0.0.1/tcp/0"]
WAIT = 30.0


def _engine(profile: UnlockedProfile, events: EventLog) -> EngineThread:
    thread = EngineThread(
        lambda emit: Engine(profile, LOOPBACK, emit, network=DIRECT_RUN),
        events,
    )
    thread.start().result(WAIT)
    return thread


@dataclass(frozen=True, repr=False)
class Member:
    """A scripted member: its own libp2p node and a real membership in the circle."""

    name: str
    signing: nacl.signing.SigningKey
    exchange: nacl.public.PrivateKey

    @property
    def key(self) -> bytes:
        return bytes(self.signing.verify_key)

    @property
    def seed(self) -> bytes:
        return bytes(self.signing)

    def join_request(self, code: InviteCode, peer: str) -> Callable[[bytes], bytes]:
        def make(challenge: bytes) -> bytes:
            return signed_join_request(
                code,
                challenge=challenge,
                signing=self.signing,
                exchange_public=bytes(self.exchange.public_key),
                member_name=self.name,
                peer=peer,
                addrs=[],
            )

        return make

    def message(self, circle: bytes, text: str) -> bytes:
        """A MESSAGE signed by this member (evidence for a report; never published)."""
        event = Event(
            type=EventType.MESSAGE,
            circle=circle,
            author=self.key,
            seq=1,
            lamport=50,
            prev=(),
            ts=int(time.time() * 1000),
            body={"text": text},
        )
        return sign_event(event, self.seed).signed


def _member(name: str) -> Member:
    return Member(name, nacl.signing.SigningKey.generate(), nacl.public.PrivateKey.generate())


def _circle_with_two_invites(
    facilitator: EngineThread, name: str
) -> tuple[str, bytes, list[InviteCode]]:
    """Ash founds a circle and makes two invites: (circle hex, circle id, codes)."""
    circle_hex = request_json(facilitator, "create_circle", name=name, member_name="Ash").result(
        WAIT
    )["circle"]
    codes = [
        decode_invite(request_json(facilitator, "invite", circle=circle_hex).result(WAIT)["code"])
        for _ in range(2)
    ]
    return circle_hex, bytes.fromhex(circle_hex), codes


@dataclass(frozen=True)
class Admitted:
    """Rex's and Sam's scripted nodes, both genuinely admitted, and the facilitator's keys."""

    rex_node: NetworkNode
    sam_node: NetworkNode
    ash_key: bytes
    ash_exchange: bytes


@asynccontextmanager
async def _admitted(
    codes: list[InviteCode], rex: Member, sam: Member, seeds: tuple[bytes, bytes]
) -> AsyncIterator[Admitted]:
    async with (
        running_node(seeds[0], [], lambda p: None, lambda p: None) as rex_node,
        running_node(seeds[1], [], lambda p: None, lambda p: None) as sam_node,
    ):
        log = await request_admission(
            rex_node, codes[0], rex.join_request(codes[0], rex_node.peer_id)
        )
        await request_admission(sam_node, codes[1], sam.join_request(codes[1], sam_node.peer_id))
        genesis = next(
            v.event for v in map(verify_signed, log) if v.event.type is EventType.GENESIS
        )
        yield Admitted(rex_node, sam_node, genesis.author, genesis.body["exchange"])


async def _exchange(stream: FramedStream, frame: bytes) -> Answer:
    await stream.send(frame)
    return decode_answer(await stream.receive(MAX_ANSWER_BYTES))


def test_forged_misaddressed_and_hostile_notes_are_refused_and_nothing_is_stored(
    tmp_path: Path,
) -> None:
    profile = create_profile(tmp_path / "facilitator", "facilitator passphrase", TEST_KDF)
    events = EventLog()
    facilitator = _engine(profile, events)
    try:
        circle_hex, circle, codes = _circle_with_two_invites(facilitator, "Guarded")
        facilitator_peer = codes[0].peer_id
        rex, sam = _member("Rex"), _member("Sam")
        answers: dict[str, Answer | str] = {}
        genuine_ids: list[bytes] = []

        async def misbehave() -> None:
            async with _admitted(codes, rex, sam, (b"\x0e" * 32, b"\x0f" * 32)) as admitted:
                rex_node, sam_node = admitted.rex_node, admitted.sam_node
                ash_key, ash_exchange = admitted.ash_key, admitted.ash_exchange
                evidence = sam.message(circle, "words Sam really wrote")
                body = NoteBody(NoteKind.REPORT, "Rex reports Sam", 1, message=evidence)

                def note(
                    sender: Member = rex,
                    *,
                    to: bytes = ash_key,
                    to_exchange: bytes = ash_exchange,
                    in_circle: bytes = circle,
                    note_body: NoteBody = body,
                    note_id: bytes = b"\x01" * 16,
                ) -> bytes:
                    sealed = seal_note(
                        circle=in_circle,
                        note_id=note_id,
                        recipient=to,
                        recipient_exchange=to_exchange,
                        body=note_body,
                        sender_seed=sender.seed,
                    )
                    return encode_note_frame(sealed)

                forged_signature = note()
                forged_signature = forged_signature[:-1] + bytes([forged_signature[-1] ^ 1])
                altered = evidence.replace(b"really", b"barely")
                probes = {
                    "genuine": note(),
                    "genuine again": note(),
                    "signed by Sam, sent from Rex's peer": note(sam, note_id=b"\x02" * 16),
                    "a broken signature": forged_signature,
                    "addressed to Sam": note(
                        to=sam.key, to_exchange=bytes(sam.exchange.public_key)
                    ),
                    "sealed to someone else": note(
                        to_exchange=bytes(rex.exchange.public_key), note_id=b"\x04" * 16
                    ),
                    "another circle": note(in_circle=b"\x07" * 16),
                    "words Sam never wrote": note(
                        note_body=replace(body, message=altered), note_id=b"\x03" * 16
                    ),
                    "the genuine id from another sender": b"",  # filled below, from Sam's peer
                    "garbage": b"\xff\x00 not a note",
                    "a CBOR map of nonsense": wire.encode({"note": {"circle": 1}}),
                }
                stream = await rex_node.open_stream(facilitator_peer, PROTOCOL)
                for what, frame in probes.items():
                    if frame:
                        answers[what] = await _exchange(stream, frame)
                await stream.close()
                genuine_ids.append(b"\x01" * 16)

                sam_stream = await sam_node.open_stream(facilitator_peer, PROTOCOL)
                answers["the genuine id from another sender"] = await _exchange(
                    sam_stream, note(sam, note_id=b"\x01" * 16)
                )
                await sam_stream.close()

                oversized = await rex_node.open_stream(facilitator_peer, PROTOCOL)
                try:
                    answers["oversized"] = await _exchange(oversized, bytes(MAX_FRAME_BYTES + 1))
                except StreamError as error:
                    answers["oversized"] = type(error).__name__

        run(misbehave, WAIT * 2)

        assert answers == {
            "genuine": Ack(b"\x01" * 16),
            "genuine again": Ack(b"\x01" * 16),
            "signed by Sam, sent from Rex's peer": Refused(Refusal.UNKNOWN_SENDER),
            "a broken signature": Refused(Refusal.BAD_SIGNATURE),
            "addressed to Sam": Refused(Refusal.NOT_FOR_ME),
            "sealed to someone else": Refused(Refusal.UNREADABLE),
            "another circle": Refused(Refusal.NOT_FOR_ME),
            "words Sam never wrote": Refused(Refusal.UNREADABLE),
            "garbage": Refused(Refusal.MALFORMED),
            "a CBOR map of nonsense": Refused(Refusal.MALFORMED),
            "the genuine id from another sender": Refused(Refusal.DUPLICATE_ID),
            "oversized": answers["oversized"],
        }
        assert isinstance(answers["oversized"], str), "an oversized frame was answered"

        reports = request_json(facilitator, "reports", circle=circle_hex).result(WAIT)["reports"]
        assert [(r["id"], r["reporter_name"], r["author_name"], r["excerpt"]) for r in reports] == [
            (genuine_ids[0].hex(), "Rex", "Sam", "words Sam really wrote")
        ]
        assert [e.report for e in events.of_type(ReportReceived)] == [genuine_ids[0].hex()]
        assert request_json(facilitator, "status").result(WAIT)["peer_id"]  # still serving
    finally:
        assert facilitator.stop()


def test_care_flags_about_the_facilitator_or_with_someone_else_s_message_are_refused(
    tmp_path: Path,
) -> None:
    """A care flag is stored and announced (ids only) when genuine; one about the
    facilitator itself (the flagged member never holds a flag about themselves) or with a
    message by someone other than the flagged member is refused and nothing is stored."""
    profile = create_profile(tmp_path / "facilitator", "facilitator passphrase", TEST_KDF)
    events = EventLog()
    facilitator = _engine(profile, events)
    try:
        circle_hex, circle, codes = _circle_with_two_invites(facilitator, "Caring")
        rex, sam = _member("Rex"), _member("Sam")
        answers: dict[str, Answer] = {}

        async def flag() -> None:
            async with _admitted(codes, rex, sam, (b"\x1e" * 32, b"\x1f" * 32)) as admitted:
                ash_key, ash_exchange = admitted.ash_key, admitted.ash_exchange

                def care(number: int, member: bytes, message: bytes | None) -> bytes:
                    body = NoteBody(NoteKind.CARE, "", 1, message=message, member=member)
                    return encode_note_frame(
                        seal_note(
                            circle=circle,
                            note_id=bytes([number]) * 16,
                            recipient=ash_key,
                            recipient_exchange=ash_exchange,
                            body=body,
                            sender_seed=rex.seed,
                        )
                    )

                probes = {
                    "about Sam, with Sam's words": care(1, sam.key, sam.message(circle, "low")),
                    "about Rex himself": care(2, rex.key, None),
                    "about the facilitator": care(3, ash_key, None),
                    "about Sam, with Rex's words": care(4, sam.key, rex.message(circle, "x")),
                }
                stream = await admitted.rex_node.open_stream(codes[0].peer_id, PROTOCOL)
                for what, frame in probes.items():
                    answers[what] = await _exchange(stream, frame)
                await stream.close()

        run(flag, WAIT * 2)

        assert answers == {
            "about Sam, with Sam's words": Ack(b"\x01" * 16),
            "about Rex himself": Ack(b"\x02" * 16),
            "about the facilitator": Refused(Refusal.NOT_FOR_ME),
            "about Sam, with Rex's words": Refused(Refusal.UNREADABLE),
        }
        flags = request_json(facilitator, "flags", circle=circle_hex).result(WAIT)["flags"]
        # (both may arrive within one millisecond, so their order is not asserted)
        assert sorted((f["id"], f["member_name"], f["message_text"]) for f in flags) == [
            ("01" * 16, "Sam", "low"),
            ("02" * 16, "Rex", ""),
        ]
        assert sorted((e.flag, e.member) for e in events.of_type(CareFlagReceived)) == [
            ("01" * 16, sam.key.hex()),
            ("02" * 16, rex.key.hex()),
        ]
        assert events.of_type(ReportReceived) == []
        assert request_json(facilitator, "reports", circle=circle_hex).result(WAIT)["reports"] == []
    finally:
        assert facilitator.stop()
