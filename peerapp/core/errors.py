"""Errors the user can be shown. Each carries a short message free of secrets."""

from __future__ import annotations

from peerapp.core.api.refusals import Refusal


class HearthError(Exception):
    """Base for every error whose message is fit to show a person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class WrongPassphrase(HearthError):
    def __init__(self) -> None:
        super().__init__("That passphrase does not unlock this profile.")


class ProfileDamaged(HearthError):
    """The profile's files exist but cannot be read: truncated, corrupted or foreign."""


class ProfileMissing(HearthError):
    pass


class ProfileExists(HearthError):
    pass


class ProfileInUse(HearthError):
    def __init__(self) -> None:
        super().__init__("This profile is already open in another Hearth window or node.")


class PassphraseRejected(HearthError):
    """A new passphrase does not meet the policy (too short, mismatched)."""


class StorageFull(HearthError):
    def __init__(self) -> None:
        super().__init__("The disk is full: nothing was changed. Free some space and try again.")


class CommandError(HearthError):
    """A command to the engine was malformed or refused: `refusal` says which refusal
    (fronts match on it), `message` its text (core/api/refusals.py). Only a Refusal is
    taken, never a text: every refusal's words live in that one table."""

    def __init__(self, refusal: Refusal, /, **detail: str) -> None:
        self.refusal = refusal
        super().__init__(refusal.text(**detail))
        self.detail = detail


class EngineFailed(HearthError):
    """The engine stopped because of an unexpected error."""
