"""Which network mode and which Tor a run uses: the front's choices for this run
(core.network_mode.NetworkOptions: the node's --direct/--tor-* options) over the profile's
network settings (storage/network_settings.py).

Rules:
- Mode: --direct for this run, else the profile's setting (Tor unless set to direct).
- --direct with a --tor-* option is a contradiction, refused: never guess which was meant.
- Tor: any --tor-* option replaces all of the profile's Tor settings for this run (a
  command line naming an existing Tor must not get the profile's bridge lines added to
  Hearth's own tor, or the reverse). Else the profile's: an existing Tor when its control
  and SOCKS addresses are set, Hearth's own tor otherwise, with the pasted extra lines.
- Hearth's own tor keeps its state in the profile folder's `tor/` (network/tor/process.py
  makes it private), so the next start has the consensus and guards it had.
"""

from __future__ import annotations

from pathlib import Path

from peerapp.core.network_mode import NetworkMode, NetworkOptions
from peerapp.network.tor.config import (
    OwnTor,
    TorConfig,
    find_tor_binary,
    parse_extra_torrc,
    tor_config_from_options,
)
from peerapp.network.tor.errors import TorConfigError
from peerapp.storage.network_settings import NetworkSettings

TOR_DATA_FOLDER = "tor"
SETTINGS_SOURCE = "the network settings"


def _tor_options_given(options: NetworkOptions) -> bool:
    return any(
        value is not None
        for value in (
            options.tor_control,
            options.tor_socks,
            options.tor_config_file,
            options.tor_password,
        )
    )


def chosen_mode(options: NetworkOptions, settings: NetworkSettings) -> NetworkMode:
    if options.mode is NetworkMode.DIRECT and _tor_options_given(options):
        raise TorConfigError(
            "--direct cannot be used with --tor-control, --tor-socks, --tor-password-file "
            "or --tor-config: choose direct mode or Tor mode."
        )
    return options.mode or settings.mode()


def chosen_tor(options: NetworkOptions, settings: NetworkSettings, profile: Path) -> TorConfig:
    data_dir = profile / TOR_DATA_FOLDER
    if _tor_options_given(options):
        return tor_config_from_options(
            data_dir,
            tor_config=options.tor_config_file,
            tor_control=options.tor_control,
            tor_socks=options.tor_socks,
            tor_password=options.tor_password,
        )
    stored = settings.tor()
    if stored.control or stored.socks:
        return tor_config_from_options(data_dir, tor_control=stored.control, tor_socks=stored.socks)
    extra = parse_extra_torrc(stored.config or "", source=SETTINGS_SOURCE)
    return OwnTor(
        binary=find_tor_binary(), data_dir=data_dir, extra_lines=extra, extra_source=SETTINGS_SOURCE
    )
