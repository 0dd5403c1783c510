"""The profile's network mode and Tor settings (docs/node.md "Tor and direct mode")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from peerapp.core.api.contract import Command, Result, command


@dataclass(frozen=True)
class NetworkSettingsView(Result):
    mode: str
    tor_control: str  # "" when unset
    tor_socks: str
    tor_config: str
    current: dict[str, Any]  # what this run uses: {mode, tor}
    restart: bool = False  # a change: used from the next start

    OMIT_DEFAULTS = frozenset({"restart"})


@command(
    "network_settings", "This profile's network mode and Tor settings, and what this run uses."
)
@dataclass(frozen=True, kw_only=True)
class NetworkSettings(Command[NetworkSettingsView]):
    pass


@command(
    "set_network_settings",
    "Change the profile's network mode or Tor settings (used from the next start).",
)
@dataclass(frozen=True, kw_only=True)
class SetNetworkSettings(Command[NetworkSettingsView]):
    mode: str | None = None
    tor_control: str | None = None
    tor_socks: str | None = None
    tor_config: str | None = None
