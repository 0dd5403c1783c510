"""Canonical CBOR: round trips, and everything the defensive decoder must refuse."""

from __future__ import annotations

from typing import Any

import cbor2
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from peerapp.core.wire import MAX_DEPTH, WireError, decode, encode

LIMIT = 1 << 20


def nested_lists(depth: int) -> Any:
    value: Any = 0
    for _ in range(depth):
        value = [value]
    return value


def depth_of(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max((depth_of(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((depth_of(v) for v in value.values()), default=0)
    return 0


# -- round trips ------------------------------------------------------------------------


ROUND_TRIPS = {
    "int zero": 0,
    "int 23 (in the head)": 23,
    "int 24 (one extra byte)": 24,
    "int max 64-bit": 2**64 - 1,
    "int min 64-bit": -(2**64),
    "negative": -1,
    "text": "héllo ✓",
    "empty text": "",
    "bytes": bytes(range(40)),
    "empty bytes": b"",
    "bool and null": [True, False, None],
    "float": 1.5,
    "nested": {"a": [1, {"b": b"x", "c": [None, "z"]}], "d": {"e": {"f": []}}},
    "event-like": {
        "v": 1,
        "type": "message",
        "prev": [bytes(32), b"\xff" * 32],
        "body": {"text": "hi"},
    },
    "map with mixed keys": {1: "one", "1": "text one", b"1": "bytes one", -5: None},
    f"depth {MAX_DEPTH}": nested_lists(MAX_DEPTH),
}


@pytest.mark.parametrize("value", list(ROUND_TRIPS.values()), ids=list(ROUND_TRIPS))
def test_round_trip(value: Any) -> None:
    data = encode(value)
    assert isinstance(data, bytes)
    assert decode(data, LIMIT) == value
    assert encode(decode(data, LIMIT)) == data


def test_map_keys_are_written_in_canonical_order_whatever_the_insertion_order() -> None:
    assert encode({"b": 1, "a": 2, "aa": 3}) == encode({"aa": 3, "a": 2, "b": 1})
    assert encode({"b": 1, "a": 2}) == bytes.fromhex("a2616102616201")


def test_exactly_max_size_is_allowed() -> None:
    data = encode(b"x" * 100)
    assert decode(data, len(data)) == b"x" * 100


# -- refusals -------------------------------------------------------------------------


REFUSED = {
    # non-canonical: one value, one encoding
    "non-minimal int (1 in a 1-byte argument)": "1801",
    "non-minimal int (1 in a 2-byte argument)": "190001",
    "non-minimal negative int": "3800",
    "non-minimal string length": "5801aa",
    "non-minimal array length": "980101",
    "unsorted map keys": "a2616201616101",
    "longer map key first": "a262616101616202",
    "float64 where float16 is exact": "fb3ff8000000000000",
    "float32 where float16 is exact": "fa3fc00000",
    # indefinite lengths
    "indefinite array": "9f01ff",
    "indefinite map": "bf616101ff",
    "indefinite bytes": "5f4101ff",
    "indefinite text": "7f6161ff",
    # duplicate keys
    "duplicate map key": "a2616101616102",
    "duplicate int map key": "a201010102",
    # truncated and trailing
    "empty input": "",
    "truncated array": "8201",
    "truncated bytes": "44010203",
    "truncated head": "19",
    "trailing bytes": "0101",
    "break outside indefinite": "ff",
    "reserved additional info": "1c",
    "invalid utf-8 text": "62c328",
}


@pytest.mark.parametrize("hexdata", list(REFUSED.values()), ids=list(REFUSED))
def test_refuses(hexdata: str) -> None:
    data = bytes.fromhex(hexdata)
    with pytest.raises(WireError):
        decode(data, LIMIT)


def test_depth_limit_is_exact() -> None:
    decode(encode(nested_lists(MAX_DEPTH)), LIMIT)
    decode(encode({"a": nested_lists(MAX_DEPTH - 1)}), LIMIT)
    with pytest.raises(WireError):
        decode(encode(nested_lists(MAX_DEPTH + 1)), LIMIT)
    with pytest.raises(WireError):
        decode(encode({"a": nested_lists(MAX_DEPTH)}), LIMIT)


def test_deep_nesting_well_past_the_limit_is_refused_cheaply() -> None:
    data = b"\x81" * 100_000 + b"\x00"
    with pytest.raises(WireError):
        decode(data, LIMIT)


def test_over_size_input_is_refused_before_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    def must_not_decode(*args: object, **kwargs: object) -> object:
        raise AssertionError("decoded an over-size input")

    monkeypatch.setattr(cbor2, "loads", must_not_decode)
    data = encode(b"x" * 100)
    with pytest.raises(WireError, match="over the limit"):
        decode(data, len(data) - 1)


# Tags are refused: a tag changes a value's meaning and gives it a second encoding. Each
# of these is canonical as cbor2 writes it, so only an explicit refusal keeps them out.
TAGGED = {
    "unknown tag 999": "d903e701",
    "self-describe tag 55799": "d9d9f701",
    "positive bignum (tag 2) over 64 bits": "c249010000000000000000",
    "negative bignum (tag 3) over 64 bits": "c349010000000000000000",
    "set (tag 258)": "d90102820102",
    "datetime string (tag 0)": "c074323032302d30312d30315430303a30303a30305a",
    "decimal fraction (tag 4)": "c482200f",
    "rational (tag 30)": "d81e820103",
    "uuid (tag 37)": "d8255000000000000000000000000000000005",
    "date (tag 1004)": "d903ec6a323032302d30312d3031",
    "ip address (tag 52)": "d8344401020304",
}


@pytest.mark.parametrize("hexdata", list(TAGGED.values()), ids=list(TAGGED))
def test_refuses_tags(hexdata: str) -> None:
    with pytest.raises(WireError):
        decode(bytes.fromhex(hexdata), LIMIT)


# Value sharing (tags 28/29) lets a few bytes describe a cyclic structure. Decoding must
# refuse it with WireError; today the canonical re-encoding raises cbor2's own error,
# which escapes every caller that catches WireError (or ValueError).
CYCLIC = {
    "array containing itself": "d81c81d81d00",
    "array containing itself twice": "d81c82d81d00d81d00",
    "map value that is the map": "d81ca16161d81d00",
}


@pytest.mark.parametrize("hexdata", list(CYCLIC.values()), ids=list(CYCLIC))
def test_refuses_shared_references_with_wire_error(hexdata: str) -> None:
    with pytest.raises(WireError):
        decode(bytes.fromhex(hexdata), LIMIT)


# -- properties -----------------------------------------------------------------------

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**64), max_value=2**64 - 1)
    | st.floats(allow_nan=False)
    | st.binary(max_size=24)
    | st.text(max_size=12)
)
keys = st.text(max_size=6) | st.integers(-1000, 1000) | st.binary(max_size=4)
values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=4),
    max_leaves=24,
)


@settings(max_examples=300, deadline=None)
@given(values)
def test_any_bounded_value_round_trips_and_too_deep_ones_are_refused(value: Any) -> None:
    data = encode(value)
    if depth_of(value) > MAX_DEPTH:
        with pytest.raises(WireError):
            decode(data, LIMIT)
    else:
        assert decode(data, LIMIT) == value


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_decode_on_arbitrary_bytes_only_raises_wire_error(data: bytes) -> None:
    try:
        value = decode(data, LIMIT)
    except WireError:
        return
    assert encode(value) == data


def head(major: int, argument: int) -> bytes:
    if argument < 24:
        return bytes([major << 5 | argument])
    if argument < 256:
        return bytes([major << 5 | 24, argument])
    return bytes([major << 5 | 25]) + argument.to_bytes(2, "big")


# Well-formed CBOR built from random heads, with tags (including value sharing, 28/29)
# anywhere, so hypothesis reaches inputs that get past cbor2's own checks.
CBOR_LEAVES = [
    b"\x00",
    b"\x17",
    b"\x18\x18",
    b"\x20",
    b"\x41\x01",
    b"\x61a",
    b"\xf4",
    b"\xf6",
    b"\xf7",
    b"\xf9\x3c\x00",
    b"\xd8\x1d\x00",  # a reference to shared value 0
    b"\xd8\x1d\x01",
]
cbor_leaves = st.sampled_from(CBOR_LEAVES)
cbor_items = st.recursive(
    cbor_leaves,
    lambda children: (
        st.lists(children, max_size=3).map(lambda xs: head(4, len(xs)) + b"".join(xs))
        | st.lists(st.tuples(children, children), max_size=2).map(
            lambda kvs: head(5, len(kvs)) + b"".join(k + v for k, v in kvs)
        )
        | st.tuples(st.sampled_from([0, 2, 3, 28, 258, 999, 55799]), children).map(
            lambda tagged: head(6, tagged[0]) + tagged[1]
        )
    ),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cbor_items)
@example(bytes.fromhex("d81c81d81d00"))  # a one-element array that contains itself
def test_decode_on_structured_hostile_input_only_raises_wire_error(data: bytes) -> None:
    try:
        value = decode(data, LIMIT)
    except WireError:
        return
    assert encode(value) == data


@settings(max_examples=200, deadline=None)
@given(values, st.data())
def test_decode_on_mutated_encodings_only_raises_wire_error(
    value: Any, data: st.DataObject
) -> None:
    encoded = bytearray(encode(value))
    position = data.draw(st.integers(0, len(encoded) - 1))
    encoded[position] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(encoded)))
    mutated = bytes(encoded[:cut])
    try:
        decoded = decode(mutated, LIMIT)
    except WireError:
        return
    assert encode(decoded) == mutated
