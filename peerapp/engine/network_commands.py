"""The engine's network settings commands (docs/node.md "Tor and direct mode"): what the
profile stores (storage/network_settings.py) and what this run uses.

Rules for `set_network_settings` (any subset of mode, tor_control, tor_socks, tor_config):
- The given values are merged over the stored ones ("" clears a Tor setting), and the
  result is checked as a whole before anything is stored: a refusal (CommandError naming
  the setting and what to change) leaves the profile exactly as it was.
- mode: `tor` or `direct` (core/network_mode.parse_mode).
- tor_control and tor_socks (an existing Tor) come as a pair: both or neither.
- tor_config (extra torrc lines, such as pasted bridges) is for Hearth's own tor only, so
  never together with an existing Tor; each line is checked as `--tor-config` is.
- A change takes effect at the next start of the engine (the answer says "restart").
The Tor settings are kept whatever the mode, so switching back to Tor finds them again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from peerapp.core.api.network import CurrentNetworkView, NetworkSettingsView, SetNetworkSettings
from peerapp.core.api.network import NetworkSettings as NetworkSettingsOf
from peerapp.core.api.refusals import Refusal
from peerapp.core.api.registry import command_arguments
from peerapp.core.errors import CommandError, EngineFailed
from peerapp.core.network_mode import NetworkMode, parse_mode
from peerapp.engine.dispatch import Handlers
from peerapp.network.tor.config import (
    MAX_TORRC_BYTES,
    parse_control_address,
    parse_extra_torrc,
    parse_host_port,
)
from peerapp.network.tor.errors import TorConfigError
from peerapp.storage.database import Database
from peerapp.storage.network_settings import NetworkSettings, TorSettings

# how a refusal names each setting: the command's argument, and what the GUI calls it
CONTROL_LABEL = "tor_control (the existing Tor's control address)"
SOCKS_LABEL = "tor_socks (the existing Tor's SOCKS address)"
CONFIG_LABEL = "tor_config (the extra Tor settings)"
MAX_ADDRESS_CHARS = 4096  # a unix socket path at most; anything longer is not an address

CONFIG_TOO_LARGE = (
    f"The extra Tor settings (tor_config) are larger than {MAX_TORRC_BYTES // 1024} KiB; "
    "they should hold only a few torrc lines, such as bridges."
)

CONFIG_NOT_TEXT = "The extra Tor settings (tor_config) are not valid text: paste them again."


@dataclass(frozen=True)
class _Wanted:
    mode: NetworkMode
    tor: TorSettings


def open_settings(database: Database | None) -> NetworkSettings:
    """The settings of the engine's open database (None before the run opened it)."""
    if database is None:
        raise EngineFailed("The profile is not open yet.")
    return NetworkSettings(database)


def network_handlers(
    settings: Callable[[], NetworkSettings], current: Callable[[], CurrentNetworkView]
) -> Handlers:
    """`settings`: the open profile's network settings; `current`: what this run uses."""

    async def network_settings(_: NetworkSettingsOf) -> NetworkSettingsView:
        return _describe(settings(), current())

    async def set_network_settings(command: SetNetworkSettings) -> NetworkSettingsView:
        stored = settings()
        wanted = _merge(stored, command_arguments(command))
        _check(wanted.tor)
        stored.set_tor(wanted.tor)
        stored.set_mode(wanted.mode)
        return _describe(stored, current(), restart=True)

    handlers = Handlers()
    handlers.add(NetworkSettingsOf, network_settings)
    handlers.add(SetNetworkSettings, set_network_settings)
    return handlers


def _describe(
    stored: NetworkSettings, current: CurrentNetworkView, *, restart: bool = False
) -> NetworkSettingsView:
    tor = stored.tor()
    return NetworkSettingsView(
        mode=stored.mode().value,
        tor_control=tor.control or "",
        tor_socks=tor.socks or "",
        tor_config=tor.config or "",
        current=current,
        restart=restart,
    )


def _merge(stored: NetworkSettings, arguments: dict[str, Any]) -> _Wanted:
    """The settings as they would be after this command; CommandError for a bad mode."""
    mode = stored.mode()
    if "mode" in arguments:
        try:
            mode = parse_mode(arguments["mode"])
        except ValueError as error:
            raise CommandError(Refusal.BAD_NETWORK_MODE, reason=str(error)) from None
    old = stored.tor()

    def given(name: str, old_value: str | None) -> str | None:
        if name not in arguments:
            return old_value
        value: str = arguments[name]
        return value if value.strip() else None

    # addresses are kept trimmed, the pasted torrc lines as pasted (comments included)
    control = given("tor_control", old.control)
    socks = given("tor_socks", old.socks)
    return _Wanted(
        mode=mode,
        tor=TorSettings(
            control=control.strip() if control else None,
            socks=socks.strip() if socks else None,
            config=given("tor_config", old.config),
        ),
    )


def _check(tor: TorSettings) -> None:
    """CommandError naming the first setting to fix; nothing when all of them are usable."""
    if (tor.control is None) != (tor.socks is None):
        raise CommandError(Refusal.TOR_PAIR_NEEDED)
    if tor.control is not None and tor.config is not None:
        raise CommandError(Refusal.TOR_CONFIG_WITH_EXISTING)
    try:
        if tor.control is not None and tor.socks is not None:
            for text in (tor.control, tor.socks):
                if len(text) > MAX_ADDRESS_CHARS or not text.isprintable():
                    raise TorConfigError(
                        "A Tor address holds control characters or is far too long: "
                        "give HOST:PORT, such as 127.0.0.1:9050."
                    )
            parse_control_address(tor.control, option=CONTROL_LABEL)
            parse_host_port(tor.socks, option=SOCKS_LABEL)
        if tor.config is not None:
            try:
                size = len(tor.config.encode("utf-8"))
            except UnicodeEncodeError:  # a lone surrogate from a JSON front: not text
                raise TorConfigError(CONFIG_NOT_TEXT) from None
            if size > MAX_TORRC_BYTES:
                raise TorConfigError(CONFIG_TOO_LARGE)
            parse_extra_torrc(tor.config, source="", option=CONFIG_LABEL)
    except TorConfigError as error:
        raise CommandError(Refusal.BAD_TOR_SETTING, reason=error.message) from None
