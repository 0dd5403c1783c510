"""The profile's network mode and Tor settings (docs/node.md "Tor and direct mode")."""

from __future__ import annotations

from dataclasses import dataclass

from peerapp.core.api.contract import Command, Result, command


@dataclass(frozen=True)
class TorStatusView:
    """Tor's state as the `tor_status` event gives it (core/events.TorStatusChanged)."""

    state: str  # starting | bootstrapping | ready | stale | restarting | failed
    phase: str  # Tor's own bootstrap tag
    progress: int  # Tor's bootstrap percent
    summary: str  # Tor's words, fit to show


@dataclass(frozen=True)
class CurrentNetworkView:
    """What this run uses (stored settings take effect at the next start)."""

    mode: str  # "tor" | "direct"
    tor: TorStatusView | None  # None in direct mode


@dataclass(frozen=True)
class NetworkSettingsView(Result):
    mode: str
    tor_control: str  # "" when unset
    tor_socks: str
    tor_config: str
    current: CurrentNetworkView
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
