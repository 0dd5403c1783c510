"""The network mode (Tor or direct) and what it means for invite codes.

Rules (issue 12):
- Tor is the default; direct is an explicit choice (members then see your IP address).
- An invite code's mode is read from its addresses, never from a flag the inviter could
  get wrong: `/onion3` is Tor; `/ip4`, `/ip6` and the `/dns*` names are direct.
- A code whose addresses are of both kinds, or of neither, is refused: Hearth never makes
  one (a Tor-mode code carrying an IP address would be a leak).
- A code made in one mode and used in the other is refused with a message naming what to
  do; there is never a silent fallback from Tor to direct.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from peerapp.core.api.refusals import Refusal
from peerapp.core.errors import HearthError


class NetworkMode(StrEnum):
    TOR = "tor"
    DIRECT = "direct"


DEFAULT_MODE = NetworkMode.TOR


@dataclass(frozen=True)
class NetworkOptions:
    """What a front chose for this run (the node's --direct/--tor-* options); None leaves
    the profile's own setting (storage/network_settings.py) in force. Text as typed: the
    network layer parses and checks it (network/tor/config.py)."""

    mode: NetworkMode | None = None
    tor_control: str | None = None  # host:port or a unix socket path
    tor_socks: str | None = None  # host:port
    tor_config_file: str | None = None  # a file of extra torrc lines
    tor_password: str | None = field(default=None, repr=False)


PROFILE_SETTINGS = NetworkOptions()  # nothing chosen for this run: the profile decides
DIRECT_RUN = NetworkOptions(mode=NetworkMode.DIRECT)  # direct mode for this run (tests, LAN)


# a multiaddr's first protocol -> the mode whose codes carry it
ADDRESS_MODES: dict[str, NetworkMode] = {
    "onion3": NetworkMode.TOR,
    "ip4": NetworkMode.DIRECT,
    "ip6": NetworkMode.DIRECT,
    "dns": NetworkMode.DIRECT,
    "dns4": NetworkMode.DIRECT,
    "dns6": NetworkMode.DIRECT,
    "dnsaddr": NetworkMode.DIRECT,
}

# (this profile's mode, the code's mode) -> why the code is refused; a pair not listed joins
REFUSALS: dict[tuple[NetworkMode, NetworkMode], str] = {
    (NetworkMode.DIRECT, NetworkMode.TOR): (
        "This invite was made in Tor mode (it carries only onion addresses), and this "
        "profile uses direct mode, which cannot reach onion addresses. Switch this profile "
        "to Tor mode in the network settings (or run the node without --direct) to join."
    ),
    (NetworkMode.TOR, NetworkMode.DIRECT): (
        "This invite was made in direct mode: joining would show your IP address to the "
        "circle. Ask for an invite made in Tor mode, or switch this profile to direct mode "
        "in the network settings if you accept that members can see your IP address."
    ),
}

# a circle of the other mode sleeps (listed, readable, nothing sent or dialled for it):
# the circle's mode -> what to show and say to a command that needs its network
ASLEEP_REFUSAL: dict[NetworkMode, Refusal] = {
    NetworkMode.TOR: Refusal.TOR_CIRCLE_ASLEEP,
    NetworkMode.DIRECT: Refusal.DIRECT_CIRCLE_ASLEEP,
}
ASLEEP_CIRCLE: dict[NetworkMode, str] = {
    mode: refusal.text() for mode, refusal in ASLEEP_REFUSAL.items()
}

_MIXED = (
    "This invite code mixes onion and IP addresses, which Hearth never makes. "
    "Ask the person who invited you for a new invite."
)
_UNUSABLE = (
    "This invite code carries an address Hearth cannot use. "
    "Ask the person who invited you for a new invite."
)


class InviteModeError(HearthError):
    """An invite code that cannot be used in this profile's network mode."""


class InviteModeMismatch(InviteModeError):
    """The code was made in the other mode."""

    def __init__(self, profile_mode: NetworkMode, code_mode: NetworkMode) -> None:
        super().__init__(REFUSALS[(profile_mode, code_mode)])
        self.profile_mode = profile_mode
        self.code_mode = code_mode


def parse_mode(text: str) -> NetworkMode:
    """`tor` or `direct` (case and surrounding spaces ignored); ValueError otherwise."""
    try:
        return NetworkMode(text.strip().lower())
    except ValueError:
        raise ValueError("The network mode is either 'tor' or 'direct'.") from None


def address_mode(address: str) -> NetworkMode | None:
    """The mode a multiaddr belongs to, by its first protocol; None for any other."""
    if not address.startswith("/"):
        return None
    return ADDRESS_MODES.get(address[1:].split("/", 1)[0])


def invite_mode(addresses: Sequence[str]) -> NetworkMode:
    """The one mode every address of a code belongs to; InviteModeError otherwise."""
    found = [address_mode(address) for address in addresses]
    known = {mode for mode in found if mode is not None}
    if not found or len(known) < len(set(found)):
        raise InviteModeError(_UNUSABLE)  # no address, or one of no known mode
    if len(known) > 1:
        raise InviteModeError(_MIXED)
    return known.pop()


def check_invite_mode(profile_mode: NetworkMode, addresses: Sequence[str]) -> NetworkMode:
    """The code's mode when a profile in `profile_mode` may use it; InviteModeMismatch
    when it was made in the other mode, InviteModeError when it has no single mode."""
    code_mode = invite_mode(addresses)
    if (profile_mode, code_mode) in REFUSALS:
        raise InviteModeMismatch(profile_mode, code_mode)
    return code_mode
