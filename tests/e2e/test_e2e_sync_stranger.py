"""Nothing lost (issue 4), hostile side: a libp2p peer that is not a member of any circle
opens the sync protocol to a real `peerapp node` and gets nothing of the log.

(Members that answer sync with garbage, another circle's events or a never-ending stream
are tested at the engine level, where the member side can be scripted.)"""

from __future__ import annotations

import trio
from libp2p.peer.id import ID

from peerapp.core import wire
from peerapp.network.framed import StreamError, StreamOpenFailed
from peerapp.network.host import NetworkNode, running_node
from tests.e2e.node_process import StartNode
from tests.e2e.sync_support import form_circle, send_many

SYNC_PROTOCOL = "/hearth/sync/1.0.0"
WAIT = 20.0
MAX_REPLY_BYTES = 4 * 1024 * 1024
IDENTIFY_POLLS = 200
IDENTIFY_POLL_SECONDS = 0.05


def _probes(circle: bytes) -> list[tuple[str, bytes | None]]:
    """What the stranger sends after opening the stream (None: nothing, just listen)."""
    return [
        (
            "a summary naming the real circle",
            wire.encode({"summary": {"circle": circle, "buckets": []}}),
        ),
        ("a want for made-up ids", wire.encode({"want": [b"\x01" * 32, b"\x02" * 32]})),
        ("bytes that are not CBOR", b"\xff\x00garbage" * 64),
        ("nothing at all", None),
    ]


def _refused(answer: object) -> bool:
    """The only acceptable frame is a refusal."""
    return isinstance(answer, dict) and set(answer) == {"refused"}


async def _served_protocols(stranger: NetworkNode, peer_id: str, address: str) -> list[str]:
    """The member's protocols as libp2p identify reports them to any peer (identify is
    libp2p's own protocol, not gated). Reads the host inside NetworkNode: the wrapper does
    not expose the peer store."""
    await stranger.connect(address)
    peerstore = stranger._host.get_peerstore()
    protocols: list[str] = []
    for _ in range(IDENTIFY_POLLS):  # identify runs right after connecting; bounded poll
        try:
            protocols = [str(p) for p in peerstore.get_protocols(ID.from_base58(peer_id))]
        except Exception:  # the peer store raises until identify has filled it in
            protocols = []
        if protocols:
            break
        await trio.sleep(IDENTIFY_POLL_SECONDS)
    return protocols


def test_a_stranger_is_refused_on_the_sync_protocol(start_node: StartNode) -> None:
    member = start_node()
    circle = form_circle(member, [], name="Closed circle")
    send_many(member, circle, [f"private note {i}" for i in range(5)])
    peer_id = member.ready["peer_id"]
    address = member.ready["addrs"][0]
    served: list[str] = []
    outcomes: list[tuple[str, str]] = []

    async def probe() -> None:
        with trio.fail_after(WAIT + 4 * (2 * WAIT + 5)):
            async with running_node(b"\x0c" * 32, [], lambda p: None, lambda p: None) as look:
                served.extend(await _served_protocols(look, peer_id, address))
            if SYNC_PROTOCOL not in served:
                return
            for number, (what, payload) in enumerate(_probes(bytes.fromhex(circle))):
                outcomes.append((what, await _probe_once(number, payload)))

    async def _probe_once(number: int, payload: bytes | None) -> str:
        """One probe from a fresh stranger (its own key and connection), so how the
        member treats one probe cannot change what the next one sees."""
        seed = bytes([0x0D] * 31 + [number])
        async with running_node(seed, [], lambda p: None, lambda p: None) as stranger:
            try:
                stream = await stranger.open_stream(peer_id, SYNC_PROTOCOL, [address], WAIT)
            except StreamOpenFailed as error:
                # the protocol is served (identify said so): reset during negotiation
                return f"cut off while opening: {error}"
            try:
                if payload is not None:
                    await stream.send(payload, WAIT)
                raw = await stream.receive(MAX_REPLY_BYTES, WAIT)
            except StreamError as error:
                return f"cut off: {type(error).__name__}"
            await stream.reset()
        try:
            answer = wire.decode(raw, MAX_REPLY_BYTES)
        except wire.WireError:
            answer = raw
        return "refusal frame" if _refused(answer) else f"ANSWER {answer!r:.200}"

    trio.run(probe)

    assert SYNC_PROTOCOL in served, f"the member does not serve {SYNC_PROTOCOL}: {served}"
    assert len(outcomes) == len(_probes(b"\x00" * 16)), outcomes
    answered = [o for o in outcomes if not (o[1].startswith("cut off") or o[1] == "refusal frame")]
    assert not answered, f"a stranger got an answer: {answered}"

    # the member is unharmed: it answers, still has its log, and raised no error
    status = member.call("status")
    assert status["ok"], status
    history = member.call("history", circle=circle)
    assert [m["text"] for m in history["messages"]] == [f"private note {i}" for i in range(5)]
    assert not [e for e in member.events if e.get("event") == "error"], member.events
