"""A private Tor network on loopback, from Debian's `tor` and `tor-gencert`, for tests.

The recipe is chutney's (three directory authorities that also relay, plain relays,
`TestingTorNetwork 1`, votes every few seconds, every relay voted Guard, Exit and HSDir so
that a five-relay network can build onion service circuits at once), written anew for
this project. Nothing leaves 127.0.0.1, nothing reads the internet.

Rules:
- every process is ours: started with Popen, recorded, stopped by its pid in close(),
  which also runs when start() fails half-way;
- every wait is for a condition (every node holds a consensus listing every relay as
  usable, and their microdescriptors), bounded in time, with the tor logs' last lines in
  the error when the bound is hit;
- nothing here prints a key or a passphrase (the authority identity keys are encrypted
  with a random passphrase that is never written anywhere).
"""

from __future__ import annotations

import re
import secrets
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

AUTHORITIES = 3
RELAYS = 2
# Votes every 10 s: tor wants the vote and distribution delays together below half the
# interval, and 2 s each is already tight for three authorities on two loaded cores. A
# vote that misses its delay only costs one more round; the bound leaves room for many.
VOTING_INTERVAL_SECONDS = 10
VOTE_DELAY_SECONDS = 2
DIST_DELAY_SECONDS = 2
BOOTSTRAP_BOUND_SECONDS = 150
STOP_BOUND_SECONDS = 10
# flags every relay must carry in the consensus before clients can build onion circuits
USABLE_FLAGS = frozenset({"Running", "Valid", "Guard", "Exit", "HSDir"})

# Votes on a testing network are fast and forced: every relay is a Guard, an Exit and an
# HSDir without the hours of uptime the real network asks for.
_TESTING_LINES = (
    "TestingTorNetwork 1",
    f"TestingV3AuthInitialVotingInterval {VOTING_INTERVAL_SECONDS}",
    f"TestingV3AuthInitialVoteDelay {VOTE_DELAY_SECONDS}",
    f"TestingV3AuthInitialDistDelay {DIST_DELAY_SECONDS}",
    f"V3AuthVotingInterval {VOTING_INTERVAL_SECONDS}",
    f"V3AuthVoteDelay {VOTE_DELAY_SECONDS}",
    f"V3AuthDistDelay {DIST_DELAY_SECONDS}",
    "V3AuthNIntervalsValid 2",
    "TestingDirAuthVoteGuard *",
    "TestingDirAuthVoteExit *",
    "TestingDirAuthVoteHSDir *",
    "TestingMinExitFlagThreshold 0",
    # a few relays are the whole network: do not wait for most of it before building paths
    "PathsNeededToBuildCircuits 0.25",
)
_CLIENT_LINES = (
    "TestingTorNetwork 1",
    "PathsNeededToBuildCircuits 0.25",
)


class TorNetworkError(RuntimeError):
    """The private network could not be started; the message says what to fix."""


@dataclass(frozen=True)
class TorNode:
    nickname: str
    directory: Path
    or_port: int
    dir_port: int
    authority: bool


def tor_binaries() -> tuple[str, str]:
    """Paths of `tor` and `tor-gencert`, or a clear error naming the package to install."""
    tor, gencert = shutil.which("tor") or "", shutil.which("tor-gencert") or ""
    if not tor or not gencert:
        raise TorNetworkError(
            "tor and tor-gencert are needed for the Tor tests: install Debian's `tor` "
            "package (packaging/system-deps.sh does)."
        )
    return tor, gencert


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def log_tail(path: Path, lines: int = 15) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return f"(no log at {path})"
    return "\n".join(text.splitlines()[-lines:])


def usable_relays(consensus: str) -> set[str]:
    """Nicknames of the relays a microdescriptor consensus lists with USABLE_FLAGS.

    The file is tor's, but read as untrusted text: lines that do not parse are skipped.
    """
    usable: set[str] = set()
    nickname = ""
    for line in consensus.splitlines():
        if line.startswith("r "):
            parts = line.split()
            nickname = parts[1] if len(parts) > 1 else ""
        elif line.startswith("s ") and nickname:
            if set(line.split()[1:]) >= USABLE_FLAGS:
                usable.add(nickname)
            nickname = ""
    return usable


class PrivateTorNetwork:
    """Authorities and relays on 127.0.0.1 in `root`; start(), then client_torrc_lines()
    for each client tor that should join; close() stops every process by pid."""

    def __init__(self, root: Path, authorities: int = AUTHORITIES, relays: int = RELAYS) -> None:
        self.root = root
        self._tor, self._gencert = tor_binaries()
        self._authorities = authorities
        self._relays = relays
        self.nodes: list[TorNode] = []
        self._processes: list[subprocess.Popen[bytes]] = []
        self._dir_authority_lines: list[str] = []
        self.bootstrap_seconds = 0.0

    # -- public ---------------------------------------------------------------------

    def start(self) -> None:
        began = time.monotonic()
        try:
            self._configure()
            for node in self.nodes:
                self._launch(node)
            self._wait_for_consensus(began + BOOTSTRAP_BOUND_SECONDS)
        except BaseException:
            self.close()
            raise
        self.bootstrap_seconds = time.monotonic() - began

    def client_torrc_lines(self) -> list[str]:
        """What a client tor needs to use this network instead of the public one."""
        if not self._dir_authority_lines:
            raise TorNetworkError("the private Tor network has not been started")
        return [*_CLIENT_LINES, *self._dir_authority_lines]

    def pids(self) -> list[int]:
        """Every tor process started, running or stopped."""
        return [process.pid for process in self._processes]

    def close(self) -> None:
        """Stop every tor we started, by pid: SIGTERM (tor exits at once on it), then
        SIGKILL for any still running after a bound."""
        for process in self._processes:
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + STOP_BOUND_SECONDS
        for process in self._processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=STOP_BOUND_SECONDS)

    def __enter__(self) -> PrivateTorNetwork:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- configuration ----------------------------------------------------------------

    def _configure(self) -> None:
        total = self._authorities + self._relays
        for index in range(total):
            authority = index < self._authorities
            nickname = f"auth{index}" if authority else f"relay{index - self._authorities}"
            directory = self.root / nickname
            (directory / "keys").mkdir(parents=True, exist_ok=True)
            directory.chmod(0o700)
            node = TorNode(nickname, directory, free_port(), free_port(), authority)
            self.nodes.append(node)
        for node in self.nodes:
            if node.authority:
                v3ident = self._make_authority_keys(node)
                fingerprint = self._fingerprint(node)
                self._dir_authority_lines.append(
                    f"DirAuthority {node.nickname} orport={node.or_port} no-v2 "
                    f"v3ident={v3ident} 127.0.0.1:{node.dir_port} {fingerprint}"
                )
        for node in self.nodes:
            (node.directory / "torrc").write_text("\n".join(self._torrc(node)) + "\n")

    def _torrc(self, node: TorNode) -> list[str]:
        lines = [
            *_TESTING_LINES,
            *self._dir_authority_lines,
            f"DataDirectory {node.directory}",
            f"Nickname {node.nickname}",
            "Address 127.0.0.1",
            f"ORPort 127.0.0.1:{node.or_port}",
            f"DirPort 127.0.0.1:{node.dir_port}",
            # no SOCKS or control port: relays are only reached by the clients' tors
            "SocksPort 0",
            "ContactInfo hearth-tests@localhost",
            # relays do not test their own reachability (it would take minutes)
            "AssumeReachable 1",
            "ShutdownWaitLength 0",
            "ExitRelay 1",
            "ExitPolicyRejectPrivate 0",
            "ExitPolicy accept 127.0.0.0/8:*, reject *:*",
            "RunAsDaemon 0",
            f"Log notice file {node.directory / 'notice.log'}",
        ]
        if node.authority:
            lines += ["AuthoritativeDirectory 1", "V3AuthoritativeDirectory 1"]
        return lines

    def _run(self, command: list[str], what: str, stdin: bytes = b"") -> str:
        try:
            done = subprocess.run(
                command, input=stdin, capture_output=True, timeout=60, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise TorNetworkError(f"{what} failed: {error}") from None
        if done.returncode != 0:
            tail = done.stderr.decode(errors="replace")[-400:]
            raise TorNetworkError(f"{what} failed (exit {done.returncode}): {tail}")
        return done.stdout.decode(errors="replace")

    def _make_authority_keys(self, node: TorNode) -> str:
        """tor-gencert writes the identity key, signing key and certificate; returns the
        v3 identity fingerprint read from the certificate."""
        keys = node.directory / "keys"
        passphrase = secrets.token_hex(16).encode() + b"\n"
        self._run(
            [
                self._gencert,
                "--create-identity-key",
                "--passphrase-fd",
                "0",
                "-m",
                "12",
                "-a",
                f"127.0.0.1:{node.dir_port}",
                "-i",
                str(keys / "authority_identity_key"),
                "-s",
                str(keys / "authority_signing_key"),
                "-c",
                str(keys / "authority_certificate"),
            ],
            f"tor-gencert for {node.nickname}",
            stdin=passphrase,
        )
        certificate = (keys / "authority_certificate").read_text(errors="replace")
        found = re.search(r"^fingerprint ([0-9A-F]{40})$", certificate, re.MULTILINE)
        if found is None:
            raise TorNetworkError(f"tor-gencert wrote no fingerprint for {node.nickname}")
        return found.group(1)

    def _fingerprint(self, node: TorNode) -> str:
        """The relay identity fingerprint; `tor --list-fingerprint` creates the keys."""
        output = self._run(
            [
                self._tor,
                "--list-fingerprint",
                "--quiet",
                "--DataDirectory",
                str(node.directory),
                "--ORPort",
                str(node.or_port),
                "--Address",
                "127.0.0.1",
                "--Nickname",
                node.nickname,
            ],
            f"tor --list-fingerprint for {node.nickname}",
        )
        found = re.search(r"\b((?:[0-9A-F]{4} ){9}[0-9A-F]{4})\b", output)
        if found is None:
            raise TorNetworkError(f"tor --list-fingerprint printed none for {node.nickname}")
        return found.group(1).replace(" ", "")

    # -- processes --------------------------------------------------------------------

    def _launch(self, node: TorNode) -> None:
        process = subprocess.Popen(
            [self._tor, "-f", str(node.directory / "torrc"), "--quiet"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._processes.append(process)

    def _wait_for_consensus(self, deadline: float) -> None:
        """Until every node, authority or relay, holds a consensus listing every relay
        with USABLE_FLAGS and the microdescriptors of them all. Relays are directory
        caches too: a client that asks one before it has the microdescriptors retries
        only 10 s later, so the network is ready when any of them can answer."""
        while True:
            for node, process in zip(self.nodes, self._processes, strict=True):
                if process.poll() is not None:
                    raise TorNetworkError(
                        f"tor {node.nickname} exited ({process.returncode}):\n"
                        + log_tail(node.directory / "notice.log")
                    )
            waiting = [node for node in self.nodes if not self._node_ready(node)]
            if not waiting:
                return
            if time.monotonic() > deadline:
                raise TorNetworkError(
                    f"the private Tor network was not ready after {BOOTSTRAP_BOUND_SECONDS} s "
                    f"({', '.join(n.nickname for n in waiting)} lacking directory information); "
                    f"{waiting[0].nickname}'s log ends:\n"
                    + log_tail(waiting[0].directory / "notice.log")
                )
            # tor writes these files once per voting round or fetch; look a few times a second
            time.sleep(0.25)

    def _node_ready(self, node: TorNode) -> bool:
        try:
            consensus = (node.directory / "cached-microdesc-consensus").read_text(errors="replace")
            microdescriptors = sum(
                path.read_text(errors="replace").count("\nntor-onion-key")
                for path in node.directory.glob("cached-microdescs*")
            )
        except OSError:
            return False
        wanted = {each.nickname for each in self.nodes}
        return usable_relays(consensus) >= wanted and microdescriptors >= len(wanted)
