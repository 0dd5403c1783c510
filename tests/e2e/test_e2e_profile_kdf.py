"""Which Argon2id cost a profile gets. The e2e helper (`Node`) makes missing profiles with
the tests' cheap parameters before starting a node, to spare every test a second or so;
these tests keep that a test-side choice: a node that makes its own profile still
calibrates at 256 MiB (there is no switch in the product to lower it), and the helper does
what it says, so the other e2e tests run on the parameters they claim."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from peerapp.crypto.keyfile import CALIBRATION_MEMLIMIT, MIN_OPSLIMIT, TEST_KDF
from tests.e2e.node_process import WAIT, Node, node_command, node_environment

KEY_FILE = "profile.key"  # storage/profile.py: the Argon2id parameters and the wrapped key


def _kdf_of(profile: Path) -> tuple[int, int]:
    document: dict[str, Any] = json.loads((profile / KEY_FILE).read_text(encoding="utf-8"))
    return int(document["opslimit"]), int(document["memlimit"])


def test_a_node_that_makes_its_profile_calibrates_argon2id_at_256_mib(tmp_path: Path) -> None:
    profile = tmp_path / "p"
    result = subprocess.run(
        node_command(profile, "--listen", "/ip4/127.0.0.1/tcp/0"),
        input=b'{"id":1,"cmd":"quit"}\n',
        capture_output=True,
        env=node_environment(),
        timeout=WAIT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert b'"event":"ready"' in result.stdout.splitlines()[0]
    opslimit, memlimit = _kdf_of(profile)
    assert memlimit == CALIBRATION_MEMLIMIT
    assert opslimit >= MIN_OPSLIMIT


def test_the_e2e_helper_makes_cheap_profiles_and_the_node_unlocks_them(tmp_path: Path) -> None:
    node = Node(tmp_path / "cheap")
    try:
        assert _kdf_of(node.profile) == (TEST_KDF.opslimit, TEST_KDF.memlimit)
        assert node.call("status")["ok"] is True
        assert node.call("quit")["ok"] is True
        assert node.wait_exit() == 0
        # the key file still holds the cheap parameters after the node unlocked it
        assert _kdf_of(node.profile) == (TEST_KDF.opslimit, TEST_KDF.memlimit)
    finally:
        node.kill()
