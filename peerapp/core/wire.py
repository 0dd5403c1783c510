"""Canonical CBOR, decoded defensively.

Everything signed or hashed is canonical CBOR (RFC 8949 core deterministic encoding, as
cbor2 writes it with canonical=True). Decoding refuses, before building big structures:
inputs over a size cap, nesting deeper than MAX_DEPTH, indefinite-length items, duplicate
map keys and tags. After decoding, the bytes must re-encode identically, so one value has
one encoding and one event id.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import cbor2

MAX_DEPTH = 8


class WireError(ValueError):
    """Bytes from outside that are not a well-formed, canonical, bounded value."""


def _refuse_tags(decoder: object, tag: object) -> object:
    raise WireError("tagged values are not allowed")


class _EveryTag(Mapping[int, Any]):
    """Claims a decoder for every tag number, so cbor2's built-in semantic tags (bignums,
    sets, dates, shared references...) reach the refusal too."""

    def __getitem__(self, tag: int) -> Any:
        return _refuse_tags

    def __contains__(self, tag: object) -> bool:
        return True

    def __iter__(self) -> Iterator[int]:
        return iter(())

    def __len__(self) -> int:
        return 0


def encode(value: Any) -> bytes:
    return bytes(cbor2.dumps(value, canonical=True))


def decode(data: bytes, max_size: int) -> Any:
    if len(data) > max_size:
        raise WireError(f"{len(data)} bytes is over the limit of {max_size}")
    try:
        value = cbor2.loads(
            data,
            max_depth=MAX_DEPTH,
            allow_indefinite=False,
            allow_duplicate_keys=False,
            tag_hook=_refuse_tags,
            semantic_decoders=_EveryTag(),
        )
        canonical = encode(value) == data
    except WireError:
        raise
    except Exception as error:  # cbor2 raises several types for hostile input
        raise WireError(f"not valid CBOR ({type(error).__name__})") from None
    if not canonical:
        raise WireError("not in canonical form")
    return value
