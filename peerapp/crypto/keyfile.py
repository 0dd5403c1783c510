"""The passphrase key file: Argon2id turns the passphrase into a key-encryption key (KEK)
that wraps the random database key with XChaCha20-Poly1305.

The file is small JSON text. Its header (format version and KDF parameters) is the
associated data of the wrap, so nobody can lower the cost parameters without the wrap
failing. A failed unwrap means a wrong passphrase; a file that does not parse means a
damaged profile: the two are reported differently.
"""

from __future__ import annotations

import base64
import json
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import nacl.bindings
import nacl.exceptions
import nacl.pwhash
import nacl.utils

from peerapp.core.errors import ProfileDamaged, WrongPassphrase

FORMAT = "hearth-keyfile"
VERSION = 1
DATABASE_KEY_BYTES = 32
_SALT_BYTES = nacl.pwhash.argon2id.SALTBYTES
_NONCE_BYTES = nacl.bindings.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES

# Calibration: fixed memory (the main defence against GPUs), passes raised until one
# derivation takes about TARGET_SECONDS on this machine.
CALIBRATION_MEMLIMIT = 256 * 1024 * 1024
TARGET_SECONDS = 0.7
MIN_OPSLIMIT = 3
MAX_OPSLIMIT = 16
MAX_MEMLIMIT = 1024 * 1024 * 1024
KDF_NAME = "argon2id13"


@dataclass(frozen=True)
class KdfParams:
    opslimit: int
    memlimit: int


# Cheap parameters for tests only: the file format and code path are the same.
TEST_KDF = KdfParams(
    opslimit=nacl.pwhash.argon2id.OPSLIMIT_MIN, memlimit=nacl.pwhash.argon2id.MEMLIMIT_MIN
)


def derive_kek(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    # NFC: input methods may type the same passphrase as composed or decomposed characters
    normalized = unicodedata.normalize("NFC", passphrase)
    return bytes(
        nacl.pwhash.argon2id.kdf(
            nacl.bindings.crypto_aead_xchacha20poly1305_ietf_KEYBYTES,
            normalized.encode("utf-8"),
            salt,
            opslimit=params.opslimit,
            memlimit=params.memlimit,
        )
    )


def calibrate(clock: Callable[[], float] = time.perf_counter) -> KdfParams:
    """Pick Argon2id passes so one derivation takes about TARGET_SECONDS here."""
    probe = KdfParams(MIN_OPSLIMIT, CALIBRATION_MEMLIMIT)
    started = clock()
    derive_kek("calibration", b"\0" * _SALT_BYTES, probe)
    per_pass = max((clock() - started) / MIN_OPSLIMIT, 1e-6)
    passes = round(TARGET_SECONDS / per_pass)
    return KdfParams(max(MIN_OPSLIMIT, min(MAX_OPSLIMIT, passes)), CALIBRATION_MEMLIMIT)


def _header(salt: bytes, params: KdfParams) -> dict[str, object]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "kdf": KDF_NAME,
        "opslimit": params.opslimit,
        "memlimit": params.memlimit,
        "salt": base64.b64encode(salt).decode("ascii"),
    }


def _associated_data(header: dict[str, object]) -> bytes:
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")


def wrap(
    database_key: bytes,
    passphrase: str,
    params: KdfParams,
    random: Callable[[int], bytes] = nacl.utils.random,
) -> bytes:
    """The key file's bytes for `database_key` locked with `passphrase`."""
    salt = random(_SALT_BYTES)
    nonce = random(_NONCE_BYTES)
    header = _header(salt, params)
    sealed = nacl.bindings.crypto_aead_xchacha20poly1305_ietf_encrypt(
        database_key, _associated_data(header), nonce, derive_kek(passphrase, salt, params)
    )
    document = {**header, "wrapped": base64.b64encode(nonce + sealed).decode("ascii")}
    return (json.dumps(document, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _parse(data: bytes) -> tuple[dict[str, object], KdfParams, bytes, bytes]:
    damaged = ProfileDamaged("The profile's key file is damaged and cannot be read.")
    try:
        document = json.loads(data.decode("utf-8"))
        if (
            document.get("format") != FORMAT
            or document.get("version") != VERSION
            or document.get("kdf") != KDF_NAME
        ):
            raise damaged
        opslimit, memlimit = document["opslimit"], document["memlimit"]
        # exact ints only: JSON also allows 3.7, true, "3" and Infinity
        if type(opslimit) is not int or type(memlimit) is not int:
            raise damaged
        params = KdfParams(opslimit, memlimit)
        salt = base64.b64decode(document["salt"], validate=True)
        blob = base64.b64decode(document["wrapped"], validate=True)
    except ProfileDamaged:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise damaged from error
    # a damaged file must not be able to make unlocking hang or exhaust memory
    within_limits = (
        nacl.pwhash.argon2id.OPSLIMIT_MIN <= params.opslimit <= MAX_OPSLIMIT
        and nacl.pwhash.argon2id.MEMLIMIT_MIN <= params.memlimit <= MAX_MEMLIMIT
    )
    if not within_limits or len(salt) != _SALT_BYTES or len(blob) <= _NONCE_BYTES:
        raise damaged
    header = _header(salt, params)
    return header, params, salt, blob


def kdf_params_of(data: bytes) -> KdfParams:
    return _parse(data)[1]


def unwrap(data: bytes, passphrase: str) -> bytes:
    """The database key, or WrongPassphrase / ProfileDamaged."""
    header, params, salt, blob = _parse(data)
    nonce, sealed = blob[:_NONCE_BYTES], blob[_NONCE_BYTES:]
    try:
        key = nacl.bindings.crypto_aead_xchacha20poly1305_ietf_decrypt(
            sealed, _associated_data(header), nonce, derive_kek(passphrase, salt, params)
        )
    except nacl.exceptions.CryptoError:
        raise WrongPassphrase() from None
    if len(key) != DATABASE_KEY_BYTES:
        raise ProfileDamaged("The profile's key file holds a key of the wrong size.")
    return bytes(key)


def new_database_key(random: Callable[[int], bytes] = nacl.utils.random) -> bytes:
    return random(DATABASE_KEY_BYTES)
