"""Secrets leave no trace outside the database: a real node's environment, core dumps, umask.

Everything is read from the kernel's view of a real process (/proc/<pid>/...), not from
Python's: os.environ forgetting a variable is not enough, /proc/<pid>/environ must too.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.node_process import PASSPHRASE, WAIT, StartNode, node_command, node_environment


@pytest.fixture(autouse=True)
def _linux() -> None:
    """A precondition, not a skip: Hearth and its suite run on Linux (CI: Debian), and
    these tests read Linux's /proc. Elsewhere they fail saying so."""
    assert sys.platform == "linux", f"these tests read Linux /proc; this is {sys.platform}"


VARIABLE = "PEERAPP_PASSPHRASE"
NEIGHBOUR = "HEARTH_TEST_NEIGHBOUR"


def _limits_core(pid: int) -> list[str]:
    """The soft and hard core file size limits of process `pid`."""
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max core file size"):
            return line.split()[4:6]
    raise AssertionError("no core file size line in /proc/<pid>/limits")


def _status_field(pid: int, name: str) -> str:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{name}:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError(f"no {name} in /proc/<pid>/status")


def _environ_holds(pid: int, needle: str) -> bool:
    """Whether the kernel's copy of the environment holds `needle` (a yes or no only: a
    failing assert must not print the machine's whole environment)."""
    return needle.encode() in Path(f"/proc/{pid}/environ").read_bytes()


def test_a_running_node_shows_no_passphrase_and_cannot_dump_core(start_node: StartNode) -> None:
    node = start_node()
    pid = node.process.pid
    assert _environ_holds(pid, "PATH="), "not the environment block of the node"
    assert not _environ_holds(pid, PASSPHRASE)
    assert not _environ_holds(pid, VARIABLE)
    assert _limits_core(pid) == ["0", "0"]
    assert _status_field(pid, "Umask") == "0077"
    assert node.call("status")["ok"], "the node must still work after the wipe"


def test_the_variable_is_wiped_also_when_a_passphrase_file_is_given(
    start_node: StartNode, tmp_path: Path
) -> None:
    secret = tmp_path / "secret"
    secret.write_text(PASSPHRASE + "\n")
    node = start_node(extra=("--passphrase-file", str(secret)))
    assert not _environ_holds(node.process.pid, PASSPHRASE)


def test_the_passphrase_can_come_on_the_first_stdin_line(tmp_path: Path) -> None:
    result = subprocess.run(
        node_command(tmp_path / "p", "--listen", "/ip4/127.0.0.1/tcp/0", "--passphrase-stdin"),
        input=f'{PASSPHRASE}\n{{"id":1,"cmd":"status"}}\n{{"id":2,"cmd":"quit"}}\n'.encode(),
        capture_output=True,
        env=node_environment(None),
        timeout=WAIT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[0]["event"] == "ready"
    replies = {line["id"]: line for line in lines if "id" in line}
    assert replies[1]["ok"] and replies[2]["ok"], "a command after the passphrase was lost"
    assert PASSPHRASE not in result.stderr.decode()


def test_an_empty_stdin_is_no_passphrase(tmp_path: Path) -> None:
    result = subprocess.run(
        node_command(tmp_path / "p", "--passphrase-stdin"),
        input=b"",
        capture_output=True,
        env=node_environment(None),
        timeout=WAIT,
        check=False,
    )
    assert result.returncode == 2
    assert "no passphrase" in result.stderr.decode()


# run in a fresh interpreter: the hardening is for the whole process and cannot all be undone
_HELPER_SCRIPT = f"""
import json, os, resource
from pathlib import Path
from peerapp import hardening
dumpable_before = hardening.is_dumpable()
value = hardening.take_environment_variable({VARIABLE!r})
hardening.harden_process()
environ = Path("/proc/self/environ").read_bytes()
print(json.dumps({{
    "value": value,
    "in_environ": {PASSPHRASE!r}.encode() in environ or {VARIABLE!r}.encode() in environ,
    "neighbour": environ.count(b"{NEIGHBOUR}=kept"),
    "in_os_environ": {VARIABLE!r} in os.environ,
    "dumpable_before": dumpable_before,
    "dumpable": hardening.is_dumpable(),
    "core": resource.getrlimit(resource.RLIMIT_CORE),
    "umask": os.umask(0o077),
}}))
"""


def test_the_helpers_in_a_fresh_process() -> None:
    environment = node_environment(PASSPHRASE)
    environment[NEIGHBOUR] = "kept"
    result = subprocess.run(
        [sys.executable, "-c", _HELPER_SCRIPT],
        capture_output=True,
        env=environment,
        timeout=WAIT,
        check=True,
    )
    found = json.loads(result.stdout)
    assert found["value"] == PASSPHRASE
    assert not found["in_environ"]
    assert found["neighbour"] == 1, "the wipe touched another variable"
    assert not found["in_os_environ"]
    assert found["dumpable_before"], "the check cannot tell a dumpable process apart"
    assert not found["dumpable"]
    assert found["core"] == [0, 0]
    assert found["umask"] == 0o077
