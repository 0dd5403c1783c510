"""Canonical CBOR, decoded defensively.

Everything signed or hashed is canonical CBOR (RFC 8949 core deterministic encoding, as
cbor2 writes it with canonical=True). Decoding refuses, before building big structures:
inputs over a size cap, nesting deeper than MAX_DEPTH, indefinite-length items, duplicate
map keys and tags. After decoding, the bytes must re-encode identically, so one value has
one encoding and one event id.
"""

from __future__ import annotations

from typing import Any

import cbor2

MAX_DEPTH = 8


class WireError(ValueError):
    """Bytes from outside that are not a well-formed, canonical, bounded value."""


def _refuse_tags(decoder: object, tag: object) -> object:
    raise WireError("tagged values are not allowed")


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
            semantic_decoders={},
        )
    except WireError:
        raise
    except Exception as error:  # cbor2 raises several types for hostile input
        raise WireError(f"not valid CBOR ({type(error).__name__})") from None
    if encode(value) != data:
        raise WireError("not in canonical form")
    return value
