"""A small network of Linux network namespaces for partition tests.

    node ns n1 --veth-- [br-a] --(link xa/xb)-- [br-b] --veth-- node ns n3
    node ns n2 --veth--/    (inside the hub ns)  \\--veth-- node ns n4

Every node namespace has `lo` up and one interface `eth0` with 192.0.2.N/24 (TEST-NET-1,
which exists only inside these namespaces). Cutting the hub's xa/xb link splits the
network into the two halves while every process keeps running; bringing it up heals it.
Names are unique per lab, and `close()` deletes every namespace it made.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass, field

SUBNET_PREFIX = "192.0.2."
COMMAND_TIMEOUT = 10


class LabUnavailable(Exception):
    """Namespaces cannot be made here (no `ip`, not root, or not permitted)."""


def _ip(*arguments: str) -> None:
    result = subprocess.run(
        ["ip", *arguments], capture_output=True, timeout=COMMAND_TIMEOUT, check=False
    )
    if result.returncode != 0:
        raise subprocess.CalledProcessError(
            result.returncode, ["ip", *arguments], result.stdout, result.stderr
        )


@dataclass
class NetnsLab:
    halves: dict[str, list[int]]  # half name ("a", "b") -> node numbers (1..254)
    tag: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    made: list[str] = field(default_factory=list)

    @property
    def hub(self) -> str:
        return f"hearth-{self.tag}-hub"

    def namespace(self, number: int) -> str:
        return f"hearth-{self.tag}-n{number}"

    def address(self, number: int) -> str:
        return f"{SUBNET_PREFIX}{number}"

    def prefix(self, number: int) -> tuple[str, ...]:
        """Command prefix that runs a program inside node `number`'s namespace."""
        return ("ip", "netns", "exec", self.namespace(number))

    def _add_namespace(self, name: str) -> None:
        _ip("netns", "add", name)
        self.made.append(name)
        _ip("-n", name, "link", "set", "lo", "up")

    def build(self) -> NetnsLab:
        """Create everything, or undo what was made and raise LabUnavailable saying why."""
        if shutil.which("ip") is None:
            raise LabUnavailable("the `ip` command (iproute2) is not installed")
        if os.geteuid() != 0:
            raise LabUnavailable("network namespaces need root")
        try:
            self._add_namespace(self.hub)
            self._wire()
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as error:
            self.close()
            if isinstance(error, subprocess.CalledProcessError):
                detail = error.stderr.decode(errors="replace").strip()
                reason = f"`{' '.join(error.cmd)}` failed: {detail}"
            else:
                reason = f"{type(error).__name__}: {error}"
            raise LabUnavailable(f"could not build the namespaces ({reason})") from None
        return self

    def _wire(self) -> None:
        hub = self.hub
        for half in self.halves:
            _ip("-n", hub, "link", "add", f"br-{half}", "type", "bridge")
            _ip("-n", hub, "link", "set", f"br-{half}", "up")
        first, second = list(self.halves)
        _ip("-n", hub, "link", "add", "xa", "type", "veth", "peer", "name", "xb")
        _ip("-n", hub, "link", "set", "xa", "master", f"br-{first}")
        _ip("-n", hub, "link", "set", "xb", "master", f"br-{second}")
        self.heal()
        for half, numbers in self.halves.items():
            for number in numbers:
                node = self.namespace(number)
                self._add_namespace(node)
                port = f"p{number}"
                _ip("-n", hub, "link", "add", port, "type", "veth", "peer", "name", "eth0",
                    "netns", node)  # fmt: skip
                _ip("-n", hub, "link", "set", port, "master", f"br-{half}")
                _ip("-n", hub, "link", "set", port, "up")
                _ip("-n", node, "addr", "add", f"{self.address(number)}/24", "dev", "eth0")
                _ip("-n", node, "link", "set", "eth0", "up")

    def split(self) -> None:
        _ip("-n", self.hub, "link", "set", "xa", "down")
        _ip("-n", self.hub, "link", "set", "xb", "down")

    def heal(self) -> None:
        _ip("-n", self.hub, "link", "set", "xa", "up")
        _ip("-n", self.hub, "link", "set", "xb", "up")

    def can_reach(self, source: int, target: int, port: int, timeout: float = 1.0) -> bool:
        """Whether a TCP connection from node `source`'s namespace to `target`:`port`
        opens within `timeout` seconds."""
        probe = (
            "import socket, sys\n"
            "try:\n"
            f"    socket.create_connection(({self.address(target)!r}, {port}), {timeout}).close()\n"
            "except OSError:\n"
            "    sys.exit(1)\n"
        )
        result = subprocess.run(
            [*self.prefix(source), sys.executable, "-c", probe],
            capture_output=True,
            timeout=timeout + COMMAND_TIMEOUT,
            check=False,
        )
        return result.returncode == 0

    def wait_reachable(self, source: int, target: int, port: int, attempts: int = 10) -> bool:
        """Whether `target`:`port` becomes reachable from `source` within `attempts`
        connection attempts of 1 s each (a link that just came up may drop the first SYN)."""
        return any(self.can_reach(source, target, port) for _ in range(attempts))

    def close(self) -> None:
        for name in reversed(self.made):
            subprocess.run(
                ["ip", "netns", "del", name],
                capture_output=True,
                timeout=COMMAND_TIMEOUT,
                check=False,
            )
        self.made.clear()
