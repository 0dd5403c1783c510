"""Which Tor Hearth uses, from the three options a person can give (the CLI's flags, the
GUI's network settings): Hearth's own tor (the default; `--tor-config FILE` adds torrc
lines such as bridges), or an existing tor (`--tor-control ADDR` and `--tor-socks
HOST:PORT`, e.g. on Tails or Whonix).

Parsing only reads: nothing here creates the DataDirectory or starts anything, so a bad
option changes nothing in the profile. Each mistake is a `TorConfigError` whose message
names the option and what to change.

Rules for the extra torrc lines (tor itself checks them again with --verify-config when
it starts, see process.py):
- one `Option value` per line; blank lines and `#` comments are skipped; no `+`/`/`
  prefixes and no line continuations (a line ending in a backslash);
- options Hearth sets itself, or that would open a port, make this tor a relay, fork it
  away from us, or publish a hidden service from disk, are refused (`OWNED_OPTIONS`):
  the ports and the authentication are what keeps Hearth's tor private to Hearth.
"""

from __future__ import annotations

import ipaddress
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from peerapp.network.tor.errors import TorConfigError

# Where Debian puts tor when /usr/sbin is not on a user's PATH.
FALLBACK_BINARY_DIRS = ("/usr/sbin", "/usr/bin")
# A PATH-like list of folders searched for `tor` instead of PATH and the folders above: for
# a tor installed somewhere else, and for tests of a machine without tor (where the
# fallback folders would still find the system's).
BINARY_SEARCH_VARIABLE = "PEERAPP_TOR_SEARCH_PATH"
# The self-contained bundle (`make dist`, docs/architecture.md "Packaging") carries its own
# tor in this folder beside its executable; it is searched first so the bundle runs on a
# machine without tor. The .deb leaves it out and depends on Debian's tor instead.
BUNDLED_TOR_FOLDER = "tor"
MAX_TORRC_BYTES = 64 * 1024
MAX_TORRC_LINE = 2000

OWNED_OPTIONS = frozenset(
    name.lower()
    for name in (
        # set by Hearth (process.py)
        "DataDirectory",
        "SocksPort",
        "ControlPort",
        "ControlSocket",
        "ControlPortWriteToFile",
        "ControlPortFileGroupReadable",
        "CookieAuthentication",
        "CookieAuthFile",
        "CookieAuthFileGroupReadable",
        "HashedControlPassword",
        "__OwningControllerProcess",
        "ClientOnly",
        # would listen on more ports, or turn this tor into a relay
        "ORPort",
        "DirPort",
        "ExtORPort",
        "TransPort",
        "NATDPort",
        "DNSPort",
        "HTTPTunnelPort",
        "MetricsPort",
        "BridgeRelay",
        "ExitRelay",
        # would detach tor from Hearth, or run it as someone else
        "RunAsDaemon",
        "PidFile",
        "User",
        "Sandbox",
        # onion services are Hearth's, made over the control port (onion.py)
        "HiddenServiceDir",
        "HiddenServicePort",
    )
)

_OPTION_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)[ \t]+(\S.*)")
_PORT = re.compile(r"[0-9]{1,5}")


@dataclass(frozen=True)
class HostPort:
    """A TCP endpoint given as an IP literal (never a name: resolving one could leak)."""

    host: str
    port: int

    def __str__(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


@dataclass(frozen=True)
class UnixSocket:
    path: Path

    def __str__(self) -> str:
        return str(self.path)


ControlAddress = HostPort | UnixSocket


@dataclass(frozen=True)
class OwnTor:
    """Hearth starts and owns tor; its state lives in `data_dir` (the profile's `tor/`)."""

    binary: Path
    data_dir: Path
    extra_lines: tuple[str, ...] = ()
    # where extra_lines came from, as tor's refusal of one names it for the person
    extra_source: str = "--tor-config"


@dataclass(frozen=True)
class ExistingTor:
    """A tor someone else runs. No password means cookie (or no) authentication."""

    control: ControlAddress
    socks: HostPort
    password: str | None = field(default=None, repr=False)


TorConfig = OwnTor | ExistingTor


def tor_config_from_options(
    data_dir: Path,
    *,
    tor_config: str | None = None,
    tor_control: str | None = None,
    tor_socks: str | None = None,
    tor_password: str | None = None,
    binary_search: str | None = None,
) -> TorConfig:
    """The Tor to use, from the options as typed. `binary_search` is a PATH-like list of
    folders to find `tor` in (default: PATH, then /usr/sbin and /usr/bin)."""
    if tor_control is not None or tor_socks is not None:
        if tor_config is not None:
            raise TorConfigError(
                "--tor-config adds lines to Hearth's own tor and cannot be used with an "
                "existing Tor (--tor-control/--tor-socks): put those lines in that Tor's "
                "torrc, or drop --tor-control and --tor-socks."
            )
        if tor_control is None or tor_socks is None:
            raise TorConfigError(
                "Using an existing Tor needs both --tor-control (its control port or socket) "
                "and --tor-socks (its SOCKS port, HOST:PORT)."
            )
        return ExistingTor(
            control=parse_control_address(tor_control),
            socks=parse_host_port(tor_socks, option="--tor-socks"),
            password=tor_password or None,
        )
    if tor_password is not None:
        raise TorConfigError(
            "A Tor control password is only used with an existing Tor (--tor-control); "
            "Hearth's own tor uses a cookie."
        )
    extra = read_extra_torrc(Path(tor_config)) if tor_config is not None else ()
    return OwnTor(binary=find_tor_binary(binary_search), data_dir=data_dir, extra_lines=extra)


def bundled_tor_dirs(executable: str | None = None) -> list[str]:
    """The bundle's own tor folder when Hearth runs frozen (PyInstaller sets sys.frozen),
    else nothing: a source or pip install uses the system's tor."""
    if executable is None:
        if not getattr(sys, "frozen", False):
            return []
        executable = sys.executable
    folder = Path(executable).resolve().parent / BUNDLED_TOR_FOLDER
    return [str(folder)] if folder.is_dir() else []


def find_tor_binary(search: str | None = None) -> Path:
    if search is None:
        search = os.environ.get(BINARY_SEARCH_VARIABLE) or os.pathsep.join(
            [*bundled_tor_dirs(), os.environ.get("PATH", ""), *FALLBACK_BINARY_DIRS]
        )
    found = shutil.which("tor", path=search)
    if found is None:
        raise TorConfigError(
            "Hearth could not find the `tor` program. Install it (on Debian or Ubuntu: "
            "`sudo apt install tor`), or use a Tor that is already running with "
            "--tor-control and --tor-socks."
        )
    return Path(found)


def parse_host_port(text: str, *, option: str) -> HostPort:
    text = text.strip()
    host, sep, port_text = text.rpartition(":")
    if not sep or not host:
        raise TorConfigError(f"{option} wants HOST:PORT, such as 127.0.0.1:9050, not {text!r}.")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise TorConfigError(
            f"{option} wants an IP address, such as 127.0.0.1:9050, not {text!r} "
            "(Hearth does not look names up: that could leak outside Tor)."
        ) from None
    if not _PORT.fullmatch(port_text) or not 1 <= int(port_text) <= 65535:
        raise TorConfigError(f"{option}: the port in {text!r} must be a number from 1 to 65535.")
    return HostPort(host=str(address), port=int(port_text))


def parse_control_address(text: str, *, option: str = "--tor-control") -> ControlAddress:
    """`option`: how errors name the setting (the CLI's flag, or the GUI's field)."""
    text = text.strip()
    if text.startswith("/"):
        return UnixSocket(Path(text))
    if text.startswith("unix:"):
        return parse_control_address(text[len("unix:") :], option=option)
    return parse_host_port(text, option=option)


def read_extra_torrc(path: Path) -> tuple[str, ...]:
    """The meaningful lines of a --tor-config file, each checked; raises TorConfigError."""
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_TORRC_BYTES + 1)
    except FileNotFoundError:
        raise TorConfigError(f"--tor-config: there is no file {str(path)!r}.") from None
    except IsADirectoryError:
        raise TorConfigError(f"--tor-config: {str(path)!r} is a folder, not a file.") from None
    except OSError as error:
        raise TorConfigError(
            f"--tor-config: cannot read {str(path)!r} ({error.strerror or error})."
        ) from None
    if len(raw) > MAX_TORRC_BYTES:
        raise TorConfigError(
            f"--tor-config: {str(path)!r} is larger than {MAX_TORRC_BYTES // 1024} KiB; "
            "it should hold only a few torrc lines."
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise TorConfigError(f"--tor-config: {str(path)!r} is not UTF-8 text.") from None
    return parse_extra_torrc(text, source=str(path))


def parse_extra_torrc(
    text: str, *, source: str = "--tor-config", option: str = "--tor-config"
) -> tuple[str, ...]:
    """`option` names the setting in errors; `source` the file ("" for pasted text)."""
    lines: list[str] = []
    for number, raw_line in enumerate(text.splitlines(), start=1):
        line = raw_line.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{option}: line {number}" + (f" of {source!r}" if source else "")
        if len(line) > MAX_TORRC_LINE or not line.replace("\t", " ").isprintable():
            raise TorConfigError(f"{where} is too long or holds control characters.")
        if line.endswith("\\"):
            raise TorConfigError(f"{where} continues onto the next line: join it into one.")
        match = _OPTION_LINE.fullmatch(line)
        if match is None:
            raise TorConfigError(
                f"{where} is not an `Option value` torrc line (such as `Bridge obfs4 ...` "
                "or `UseBridges 1`)."
            )
        name = match.group(1)
        if name.lower() in OWNED_OPTIONS:
            raise TorConfigError(
                f"{where} sets {name}, which Hearth sets itself or does not allow "
                "(ports, authentication, relaying, onion services): remove that line."
            )
        lines.append(line)
    return tuple(lines)
