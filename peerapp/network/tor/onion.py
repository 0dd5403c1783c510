"""Onion services over the control port (ADD_ONION with stem), one per circle membership,
each pointing a virtual port at a listener on 127.0.0.1.

Why:
- ED25519-V3 keys. A new service returns its key; the caller keeps it (in the encrypted
  database) and gives it back on the next start, so the address survives restarts and
  the addresses members stored stay valid. The key is never logged or shown: `OnionKey`
  keeps it out of its repr.
- The descriptor upload is not awaited (`await_publication=False`): the service is usable
  locally at once and tor publishes in the background; waiting would cost seconds to
  minutes at start for nothing (Quiet's lesson).
- Services are not detached: they end with our control connection, so an existing tor
  (Tails, a system tor) never keeps announcing a Hearth that has quit.
- "Onion address collision": tor still has this key's service (we added it twice on this
  connection, e.g. after a lost reply). It is ours, so remove it and add it again; if
  tor will not let us remove it, another program's control connection owns it.
- After tor restarted (or the controller reconnected) every service is gone; `readd_all`
  puts back each one we hold, with its kept key.
- Tor's proof-of-work defence is on (`PoWDefensesEnabled=1`, tor 0.4.8+): it costs
  nothing until a flood of introductions comes, then clients must solve puzzles whose
  effort rises with the flood, so a stranger flooding a circle's onion cannot crowd out
  its members. stem's `create_ephemeral_hidden_service` cannot ask for it, so ADD_ONION
  is sent as stem would send it plus that keyword and its reply read by stem. A tor that
  does not know the keyword (older, or built without PoW) gets the plain ADD_ONION:
  the service is the same, only without that defence (`OnionService.pow_defenses`).
"""

from __future__ import annotations

import base64
import binascii
import re
import time
from dataclasses import dataclass, field
from typing import Any

import stem

from peerapp.network.tor.errors import OnionServiceError

KEY_TYPE = "ED25519-V3"
EXPANDED_KEY_BYTES = 64
_SERVICE_ID = re.compile(r"[a-z2-7]{56}")
_COLLISION = "onion address collision"


@dataclass(frozen=True)
class OnionKey:
    """An onion service's private key as tor writes it (base64 of the 64-byte expanded
    ed25519 key) and the address it belongs to (56 base32 characters, no `.onion`)."""

    address: str
    blob: str = field(repr=False)

    def __post_init__(self) -> None:
        if not _SERVICE_ID.fullmatch(self.address):
            raise OnionServiceError("A stored onion address is not a v3 onion address.")
        try:
            raw = base64.b64decode(self.blob, validate=True)
        except (binascii.Error, ValueError):
            raise OnionServiceError("A stored onion key is damaged (not base64).") from None
        if len(raw) != EXPANDED_KEY_BYTES:
            raise OnionServiceError("A stored onion key is damaged (wrong length).")


@dataclass(frozen=True)
class OnionService:
    key: OnionKey
    virtual_port: int
    target_port: int
    seconds: float  # what ADD_ONION cost, for benchmarks
    pow_defenses: bool = False  # tor's proof-of-work defence is on for it

    @property
    def address(self) -> str:
        return self.key.address

    @property
    def multiaddr(self) -> str:
        return f"/onion3/{self.key.address}:{self.virtual_port}"


def add_onion(
    controller: Any, *, virtual_port: int, target_port: int, key: OnionKey | None = None
) -> OnionService:
    """Publish an onion service for 127.0.0.1:`target_port` at `virtual_port`: a new one,
    or the one `key` belongs to (tor must give back the same address)."""
    _check_port(virtual_port, "virtual")
    _check_port(target_port, "target")
    began = time.monotonic()
    try:
        response = _create(controller, virtual_port, target_port, key)
    except stem.ProtocolError as error:
        if key is None or _COLLISION not in str(error).lower():
            raise _failure(error) from None
        if not remove_onion(controller, key.address):
            raise OnionServiceError(
                "This onion address is in use on this Tor by another program's control "
                "connection, which owns it (is this profile open elsewhere?)."
            ) from None
        try:
            response = _create(controller, virtual_port, target_port, key)
        except stem.ControllerError as again:
            raise _failure(again) from None
    except stem.ControllerError as error:
        raise _failure(error) from None
    address = str(getattr(response, "service_id", ""))
    if not _SERVICE_ID.fullmatch(address):
        raise OnionServiceError("Tor answered ADD_ONION without a valid onion address.")
    if key is None:
        if getattr(response, "private_key_type", None) != KEY_TYPE:
            raise OnionServiceError("Tor answered ADD_ONION without an ED25519-V3 key.")
        key = OnionKey(address=address, blob=str(response.private_key))
    elif address != key.address:
        raise OnionServiceError(
            "Tor put the onion service at a different address than its key belongs to."
        )
    return OnionService(
        key=key,
        virtual_port=virtual_port,
        target_port=target_port,
        seconds=time.monotonic() - began,
        pow_defenses=bool(getattr(response, "pow_defenses", False)),
    )


def remove_onion(controller: Any, address: str) -> bool:
    """DEL_ONION. False when tor has no such service on this control connection: it is
    gone already, or another connection owns it (tor cannot tell us which)."""
    if not _SERVICE_ID.fullmatch(address):
        raise OnionServiceError("That is not a v3 onion address.")
    try:
        return bool(controller.remove_ephemeral_hidden_service(address))
    except stem.ControllerError as error:
        raise OnionServiceError(
            f"Tor would not remove the onion service ({_reason(error)})."
        ) from None


class OnionServices:
    """The services we hold on one tor, so they can all be put back after a restart."""

    def __init__(self, controller: Any) -> None:
        self.controller = controller
        self._services: dict[str, OnionService] = {}

    def add(
        self, *, virtual_port: int, target_port: int, key: OnionKey | None = None
    ) -> OnionService:
        service = add_onion(
            self.controller, virtual_port=virtual_port, target_port=target_port, key=key
        )
        self._services[service.address] = service
        return service

    def remove(self, address: str) -> None:
        self._services.pop(address, None)
        remove_onion(self.controller, address)

    def services(self) -> tuple[OnionService, ...]:
        return tuple(self._services.values())

    def readd_all(self, controller: Any) -> tuple[OnionService, ...]:
        """On a new controller (tor restarted or reconnected): every service again, same
        keys, same ports, hence the same addresses."""
        self.controller = controller
        for address, old in list(self._services.items()):
            self._services[address] = add_onion(
                controller,
                virtual_port=old.virtual_port,
                target_port=old.target_port,
                key=old.key,
            )
        return self.services()


POW_KEYWORD = "PoWDefensesEnabled=1"


def _create(controller: Any, virtual_port: int, target_port: int, key: OnionKey | None) -> Any:
    """ADD_ONION (module docstring), with the proof-of-work defence when tor has it; the
    reply as stem's AddOnionResponse, with `pow_defenses` set on it."""
    key_part = f"NEW:{KEY_TYPE}" if key is None else f"{KEY_TYPE}:{key.blob}"
    plain = f"ADD_ONION {key_part} Port={virtual_port},127.0.0.1:{target_port}"
    try:
        response = _add_onion(controller, f"{plain} {POW_KEYWORD}")
        pow_defenses = True
    except stem.ProtocolError as error:
        # tor's 512/513 reply to a keyword it does not know names it
        if "powdefensesenabled" not in str(error).lower():
            raise
        response = _add_onion(controller, plain)
        pow_defenses = False
    response.pow_defenses = pow_defenses
    return response


def _add_onion(controller: Any, request: str) -> Any:
    response = controller.msg(request)
    stem.response.convert("ADD_ONION", response)
    return response


def _check_port(port: int, which: str) -> None:
    if not 1 <= port <= 65535:
        raise OnionServiceError(f"The onion service's {which} port must be 1 to 65535.")


def _failure(error: BaseException) -> OnionServiceError:
    return OnionServiceError(f"Tor could not create the onion service ({_reason(error)}).")


def _reason(error: BaseException) -> str:
    # stem's messages quote tor's reply line; tor's replies to ADD_ONION carry no key.
    text = "".join(ch if ch.isprintable() else " " for ch in str(error))
    return text[:200] or type(error).__name__
