"""Command line: `peerapp` starts the desktop app, `peerapp node` the headless node."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import platformdirs

from peerapp import PRODUCT_NAME, __version__
from peerapp.core.network_mode import NetworkMode, NetworkOptions
from peerapp.hardening import harden_process

LOG_LEVELS = ("debug", "info", "warning", "error")


def default_profile() -> Path:
    return platformdirs.user_data_path(PRODUCT_NAME.lower(), appauthor=False) / "profile"


def _add_common_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--profile",
        type=Path,
        default=None,
        metavar="DIR",
        help=f"profile folder (default: {default_profile()}); run several profiles side by "
        "side by giving each its own folder",
    )
    parser.add_argument(
        "--listen",
        action="append",
        default=[],
        metavar="MULTIADDR",
        help="address to accept peers on, e.g. /ip4/127.0.0.1/tcp/4001; repeat for several "
        "(default: an OS-chosen TCP port on all interfaces)",
    )
    network = parser.add_argument_group(
        "network (Tor mode is the default: see README 'Tor and direct mode')"
    )
    network.add_argument(
        "--direct",
        action="store_true",
        help="direct mode for this run: faster on a LAN, but members can see your IP address",
    )
    network.add_argument(
        "--tor-control",
        metavar="ADDR",
        help="use an existing Tor (Tails, Whonix, a system tor): its control port HOST:PORT "
        "or unix socket path (cookie authentication, or --tor-password-file)",
    )
    network.add_argument(
        "--tor-socks",
        metavar="HOST:PORT",
        help="the existing Tor's SOCKS port (with --tor-control)",
    )
    network.add_argument(
        "--tor-password-file",
        type=Path,
        metavar="FILE",
        help="the existing Tor's control password, first line of FILE",
    )
    network.add_argument(
        "--tor-config",
        metavar="FILE",
        help="extra torrc lines for Hearth's own tor (bridges, a private test network)",
    )
    parser.add_argument(
        "--log-level",
        choices=LOG_LEVELS,
        default="warning",
        help="how much to log on stderr (never message text, keys or passphrases)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="peerapp",
        description=f"{PRODUCT_NAME}: private, serverless peer-support circles. Without a "
        "subcommand, starts the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"{PRODUCT_NAME} {__version__}")
    parser.add_argument(
        "--install-desktop-entry",
        action="store_true",
        help="add Hearth to your applications menu (a launcher, icons and metadata under "
        "~/.local/share) and exit; for pip and source installs (packages do it themselves)",
    )
    _add_common_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    node = commands.add_parser(
        "node",
        help="run the engine headless, driven by JSON lines on stdin/stdout (see docs/node.md)",
        description="Run the same engine without a window: one JSON command per stdin line, "
        "one JSON reply or event per stdout line. The profile is created if it does not exist. "
        "The passphrase comes from --passphrase-file, --passphrase-stdin or, the weakest "
        "way, PEERAPP_PASSPHRASE (removed from the environment as soon as it is read).",
    )
    _add_common_options(node)
    source = node.add_mutually_exclusive_group()
    source.add_argument(
        "--passphrase-file",
        type=Path,
        metavar="FILE",
        help="read the profile passphrase from FILE (first line; keep the file private)",
    )
    source.add_argument(
        "--passphrase-stdin",
        action="store_true",
        help="read the profile passphrase from the first line of standard input; the JSON "
        "commands follow on the next lines",
    )
    return parser


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper()),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # py-libp2p is chatty at info level about every stream; keep it one step quieter
    if level in ("info", "warning"):
        logging.getLogger("libp2p").setLevel(logging.WARNING)


def main(argv: Sequence[str] | None = None) -> int:
    # first, before any secret is in memory: no core dumps, private files (peerapp/hardening.py)
    harden_process()
    options = build_parser().parse_args(argv)
    configure_logging(options.log_level)
    if options.install_desktop_entry:
        # imported here: every start, `peerapp node`'s included, would load it (and
        # importlib.resources) for this one option
        from peerapp import desktop_entry  # noqa: PLC0415

        return desktop_entry.main()
    profile: Path = (options.profile or default_profile()).expanduser()
    try:
        network = network_options(options)
    except OSError as error:
        print(
            f"peerapp: cannot read {options.tor_password_file}: {error.strerror}", file=sys.stderr
        )
        return 2
    if options.command == "node":
        from peerapp.node.front import (  # noqa: PLC0415 (keeps Qt out of the node)
            PassphraseSource,
            run_node,
        )

        source = PassphraseSource(options.passphrase_file, options.passphrase_stdin)
        return run_node(profile, options.listen, source, network)
    # Without a display Qt would abort (exit 134) with no hint: say what to do instead.
    # peerapp.ui.display imports no Qt, so this runs before Qt is loaded.
    from peerapp.ui import display  # noqa: PLC0415 (the node needs none of ui/)

    if not display.has_display(os.environ):
        print(display.no_display_line(), file=sys.stderr)
        return display.EXIT_NO_DISPLAY
    # Qt is imported only when the desktop app is wanted
    from peerapp.ui.app import run  # noqa: PLC0415 (Qt loads only for the desktop app)

    return run(profile, options.listen, network)


def network_options(options: argparse.Namespace) -> NetworkOptions:
    """The network choices of the command line; the profile's settings fill the rest."""
    password = None
    if options.tor_password_file is not None:
        lines = options.tor_password_file.read_text(encoding="utf-8").splitlines()
        password = lines[0] if lines else ""
    return NetworkOptions(
        mode=NetworkMode.DIRECT if options.direct else None,
        tor_control=options.tor_control,
        tor_socks=options.tor_socks,
        tor_config_file=options.tor_config,
        tor_password=password,
    )
