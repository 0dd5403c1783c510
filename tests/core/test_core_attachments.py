"""The attachment a MESSAGE may carry and the circle's attachment limit (issue 15): the
body's shape, strict decoding (hypothesis), and that events without them encode, and
hash, exactly as before the fields existed."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peerapp.core import attachment_policy as ap
from peerapp.core import wire
from peerapp.core.attachments import Manifest, chunk_hash, clean_file_name
from peerapp.core.circle_events import EventError, EventType, decode_event
from peerapp.core.circle_state import CircleState
from tests.crypto.circle_fixtures import one_of_each_type

EACH = one_of_each_type()


def message_document(body: dict[str, Any]) -> dict[str, Any]:
    document = copy.deepcopy(EACH[EventType.MESSAGE].event.to_wire())
    document["body"] = body
    return document


names = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="/\\"
    ),
    min_size=1,
    max_size=ap.MAX_NAME_CHARS,
).filter(lambda n: n.strip() == n and n not in {".", ".."} and n.isprintable())
sizes = st.integers(min_value=1, max_value=ap.MAX_LIMIT_BYTES)


@st.composite
def attachments(draw: st.DrawFn) -> dict[str, Any]:
    size = draw(sizes)
    body: dict[str, Any] = {
        "name": draw(names),
        "size": size,
        "mime": draw(st.sampled_from(["image/jpeg", "image/png", "application/pdf"])),
        "key": draw(st.binary(min_size=32, max_size=32)),
        "chunk": ap.CHUNK_BYTES,
        "hashes": [draw(st.binary(min_size=32, max_size=32)) for _ in range(ap.chunk_count(size))],
    }
    if draw(st.booleans()):
        body["thumb"] = draw(st.binary(min_size=1, max_size=64))
    return body


@settings(max_examples=150, deadline=None)
@given(attachments(), st.text(max_size=50))
def test_a_valid_attachment_decodes_to_its_manifest(attachment: dict[str, Any], text: str) -> None:
    """Any well-shaped attachment survives the canonical encoding; text may be empty."""
    event = decode_event(wire.encode(message_document({"text": text, "attachment": attachment})))
    manifest = Manifest.from_body(event.body["attachment"])
    assert manifest.to_body() == attachment
    assert manifest.count == ap.chunk_count(attachment["size"])
    assert sum(manifest.chunk_plain_size(i) for i in range(manifest.count)) == manifest.size


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.binary(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(
    attachments(),
    st.sampled_from(["name", "size", "mime", "key", "chunk", "hashes", "thumb", "new"]),
    json_values,
)
def test_a_mangled_attachment_is_refused_with_an_event_error_only(
    attachment: dict[str, Any], field: str, value: Any
) -> None:
    """Changing one field to anything either still fits the shape or is an EventError:
    never another exception (a peer's bytes are hostile)."""
    mangled = {**attachment, field: value}
    try:
        event = decode_event(wire.encode(message_document({"text": "", "attachment": mangled})))
    except EventError:
        return
    # accepted: then it is a well-shaped manifest after all
    manifest = Manifest.from_body(event.body["attachment"])
    assert manifest.count == ap.chunk_count(manifest.size)


def test_text_is_optional_only_with_an_attachment() -> None:
    with pytest.raises(EventError, match="needs text"):
        decode_event(wire.encode(message_document({"text": "  "})))
    attachment = {
        "name": "a.pdf",
        "size": 10,
        "mime": "application/pdf",
        "key": bytes(32),
        "chunk": ap.CHUNK_BYTES,
        "hashes": [bytes(32)],
    }
    decode_event(wire.encode(message_document({"text": "", "attachment": attachment})))


def test_messages_and_settings_without_the_new_fields_encode_as_before() -> None:
    """Old events hash as before: the fields are optional and absent when unused."""
    for kind in (EventType.MESSAGE, EventType.SETTINGS):
        event = EACH[kind].event
        assert "attachment" not in event.body and "attachment_limit" not in event.body
        assert decode_event(event.encode()) == event
    assert CircleState(bytes(16)).attachment_limit == ap.DEFAULT_LIMIT_BYTES


def test_chunk_hash_is_blake2b_256() -> None:
    assert len(chunk_hash(b"x")) == ap.HASH_BYTES
    assert chunk_hash(b"x") != chunk_hash(b"y")


@pytest.mark.parametrize(
    ("given", "cleaned"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\photo.jpg", "photo.jpg"),
        (".bashrc", "bashrc"),
        ("ok.txt", "ok.txt"),
        ("bell\x07.txt", "bell.txt"),
        ("", "file"),
        ("...", "file"),
    ],
)
def test_a_file_name_is_cleaned_before_it_is_suggested(given: str, cleaned: str) -> None:
    assert clean_file_name(given) == cleaned
