"""What a `peerapp node` loads and which timers it runs: a direct node imports no Tor
module (stem, python-socks, the SOCKS transport, tor's control, process, session, runtime,
onion services); PEERAPP_TIMINGS=quick (for tests: node/timings.py) shortens the engine's
timers and says so on stderr, any other value is refused before the profile is touched."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import pytest

from peerapp.core.errors import HearthError
from peerapp.engine.context import DEFAULT_TIMINGS, QUICK_TIMINGS
from peerapp.node.timings import TIMINGS_VARIABLE, timings_from
from tests.e2e.node_process import WAIT, Node, StartNode, node_command, node_environment

# Tor mode's modules and the libraries under them. Two of peerapp/network/tor/ stay in a
# direct run: config.py and errors.py (stdlib only), which read and check the profile's
# network settings whatever the mode.
TOR_LIBRARIES = ("stem", "python_socks")
TOR_SETTINGS_MODULES = (
    "peerapp.network.tor",
    "peerapp.network.tor.config",
    "peerapp.network.tor.errors",
)
SHORTENED = f"{TIMINGS_VARIABLE}: the engine's timers are shortened, for tests"


def imported(importtime: str) -> set[str]:
    """The modules a `python -X importtime` run's stderr names (one "import time:" line
    each: self | cumulative | name, indented by depth)."""
    modules = set()
    for line in importtime.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name and name != "imported package":
                modules.add(name)
    return modules


def is_tor_module(name: str) -> bool:
    if name.split(".", maxsplit=1)[0] in TOR_LIBRARIES:
        return True
    return name.startswith("peerapp.network.tor") and name not in TOR_SETTINGS_MODULES


def test_the_import_parser_finds_tor_modules() -> None:
    """A positive control for the test below: its parser and its rule see a Tor import."""
    lines = (
        "import time: self [us] | cumulative | imported package\n"
        "import time:       120 |        120 |     stem.util.enum\n"
        "import time:       300 |        900 |   peerapp.network.tor.session\n"
        "import time:        80 |         80 |   peerapp.network.tor.config\n"
    )
    found = imported(lines)
    assert found == {"stem.util.enum", "peerapp.network.tor.session", "peerapp.network.tor.config"}
    assert sorted(m for m in found if is_tor_module(m)) == [
        "peerapp.network.tor.session",
        "stem.util.enum",
    ]


def test_a_direct_node_loads_no_tor_module(tmp_path: Path) -> None:
    """Start, a circle, an invite (its addresses), then stop: no Tor module was imported
    on the way (network/onion_mode.py, engine/engine.py and engine/reach.py import them
    where Tor mode uses them). With the app's timings, so no warning is written either."""
    node = Node(tmp_path / "direct", timings=None, environment={"PYTHONPROFILEIMPORTTIME": "1"})
    circle = node.call("create_circle", name="Harbour", member_name="Ash")
    assert circle["ok"], circle
    invite = node.call("invite", circle=circle["circle"])
    assert invite["ok"], invite
    node.close_stdin()
    stderr = node.stderr_until_exit()
    loaded = imported(stderr)
    assert "libp2p" in loaded, "no import lines read: is -X importtime's format unchanged?"
    assert "peerapp.network.host" in loaded
    tor = sorted(m for m in loaded if is_tor_module(m))
    assert tor == [], f"a direct node imported Tor modules: {tor}"
    assert SHORTENED not in stderr


def test_e2e_nodes_run_quick_timings_and_say_so(start_node: StartNode) -> None:
    node = start_node()  # a spare: every e2e node runs PEERAPP_TIMINGS=quick
    node.close_stdin()
    assert SHORTENED in node.stderr_until_exit()


@pytest.mark.parametrize("value", ["fast", "x" * 500])
def test_an_unknown_timings_value_is_refused_before_the_profile(tmp_path: Path, value: str) -> None:
    profile = tmp_path / "never-made"
    done = subprocess.run(
        node_command(profile),
        env=node_environment(timings=value),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=WAIT,
        check=False,
    )
    stderr = done.stderr.decode(errors="replace")
    assert done.returncode == 2, stderr
    assert stderr.startswith(f"peerapp node: {TIMINGS_VARIABLE}="), stderr
    assert "is not known" in stderr and "'quick'" in stderr, stderr
    assert "Traceback" not in stderr
    assert len(stderr) < 400, "a long value is cut, not echoed whole"
    assert not profile.exists()


def test_timings_from_the_environment() -> None:
    assert timings_from({}) is DEFAULT_TIMINGS
    assert timings_from({TIMINGS_VARIABLE: ""}) is DEFAULT_TIMINGS
    assert timings_from({TIMINGS_VARIABLE: "quick"}) is QUICK_TIMINGS
    assert timings_from({TIMINGS_VARIABLE: " Quick "}) is QUICK_TIMINGS
    with pytest.raises(HearthError, match="takes only 'quick'"):
        timings_from({TIMINGS_VARIABLE: "slow"})


def test_quick_timings_shorten_every_timer() -> None:
    """A timer added to Timings gets a quick value too (or e2e tests wait it out)."""
    for field in dataclasses.fields(DEFAULT_TIMINGS):
        real, quick = getattr(DEFAULT_TIMINGS, field.name), getattr(QUICK_TIMINGS, field.name)
        if isinstance(real, tuple):
            assert len(quick) == len(real) and all(q < r for q, r in zip(quick, real, strict=True))
        else:
            assert quick < real, field.name
