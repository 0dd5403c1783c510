"""Errors from Tor's set-up and control port. Each message names what to fix and carries
no key, password, cookie or onion private key."""

from __future__ import annotations

from peerapp.core.errors import HearthError


class TorConfigError(HearthError):
    """A Tor setting (--tor-config, --tor-control, --tor-socks) or the tor binary is wrong."""


class TorStartError(HearthError):
    """Hearth's own tor did not start, or stopped while starting."""


class TorControlError(HearthError):
    """Tor's control port could not be reached, refused us, or answered nonsense."""


class OnionServiceError(HearthError):
    """An onion service could not be created or removed."""
