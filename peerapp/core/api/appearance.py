"""The desktop app's look for this profile (docs/node.md "Appearance"): its theme."""

from __future__ import annotations

from dataclasses import dataclass

from peerapp.core.api.contract import Command, Result, command


@dataclass(frozen=True)
class AppearanceView(Result):
    theme: str  # "system" | "light" | "dark" (core/appearance_policy.py)


@command("appearance", "This profile's theme for the desktop app: system, light or dark.")
@dataclass(frozen=True, kw_only=True)
class Appearance(Command[AppearanceView]):
    pass


@command("set_appearance", "Choose this profile's theme for the desktop app.")
@dataclass(frozen=True, kw_only=True)
class SetAppearance(Command[AppearanceView]):
    theme: str
