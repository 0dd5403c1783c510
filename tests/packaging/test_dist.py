"""The packages `make dist` built (issue 16), checked as a person would use them: the
bundle from its tarball in a temporary folder with a clean environment (no virtualenv on
PATH, no PYTHONPATH, another HOME), the .deb's contents, install.sh, and reproducibility.

Marker `dist`: `make dist-check` builds the packages, then runs these; `make test` leaves
them out (a bundle build takes minutes). A missing package fails with what to run."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import peerapp
from peerapp.desktop_entry import APP_ID, ICON_SIZES
from peerapp.engine.crisis_directory import load_bundled
from tests.e2e.node_process import WAIT, Node

pytestmark = pytest.mark.dist

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"
DIST_SCRIPT = ROOT / "packaging" / "dist.py"
VERSION = peerapp.__version__
FIRST_WINDOW = "first window shown: "
# start a bundled node: its profile folder's name, then its network options
StartBundled = Callable[..., Node]
START_SECONDS = 90.0


def _arch() -> str:
    return subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()


def _built(name: str) -> Path:
    path = DIST / name
    assert path.is_file(), f"{path} is missing: run `make dist` first (or `make dist-check`)"
    return path


def _clean_environment(home: Path, **more: str) -> dict[str, str]:
    """What a person's session has, and nothing of this virtualenv or source tree."""
    home.mkdir(parents=True, exist_ok=True)
    return {
        "HOME": str(home),
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
        **more,
    }


def _unpack(archive: Path, into: Path) -> Path:
    with tarfile.open(archive) as packed:
        packed.extractall(into, filter="tar")
    return into / f"hearth-{VERSION}-linux-{_arch()}"


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tarball unpacked in a temporary folder: hearth-<version>-linux-<arch>/."""
    tarball = _built(f"hearth-{VERSION}-linux-{_arch()}.tar.gz")
    return _unpack(tarball, tmp_path_factory.mktemp("unpacked"))


@pytest.fixture
def bundle(unpacked: Path) -> Path:
    """The bundle's launcher."""
    return unpacked / "peerapp" / "peerapp"


def _run(command: list[str | Path], home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        check=False,
        capture_output=True,
        text=True,
        env=_clean_environment(home),
        cwd=home,
        timeout=WAIT,
    )


def test_tarball_layout(unpacked: Path) -> None:
    assert os.access(unpacked / "install.sh", os.X_OK)
    assert (unpacked / "README.md").is_file()
    internal = unpacked / "peerapp" / "_internal"
    assert (internal / "peerapp" / "resources" / "crisis" / "directory.json").is_file()
    assert (internal / "peerapp" / "resources" / "crisis" / "phrases" / "en.json").is_file()
    assert list(internal.glob("libpython3.11*"))
    assert (internal / "PySide6").is_dir()
    assert (unpacked / "peerapp" / "tor" / "libexec" / "tor").is_file()
    with tarfile.open(_built(f"hearth-{VERSION}-linux-{_arch()}.tar.gz")) as packed:
        members = packed.getmembers()
    assert {(m.uid, m.gid, m.uname, m.gname) for m in members} == {(0, 0, "root", "root")}
    assert len({m.mtime for m in members}) == 1
    names = [m.name for m in members]
    assert names[0] == f"hearth-{VERSION}-linux-{_arch()}"


def test_bundle_version_and_its_own_tor(bundle: Path, tmp_path: Path) -> None:
    version = _run([bundle, "--version"], tmp_path / "home")
    assert version.stdout.strip() == f"Hearth {VERSION}", version.stderr
    tor = bundle.parent / "tor" / "tor"
    tor_version = _run([tor, "--version"], tmp_path / "home")
    assert tor_version.returncode == 0, tor_version.stderr
    assert tor_version.stdout.startswith("Tor version "), tor_version.stdout
    print(tor_version.stdout.splitlines()[0])
    # the libraries a base Debian lacks come from the bundle's tor/lib/
    linked = subprocess.run(
        ["ldd", str(bundle.parent / "tor" / "libexec" / "tor")],
        check=True,
        capture_output=True,
        text=True,
        env={"LD_LIBRARY_PATH": str(bundle.parent / "tor" / "lib")},
    ).stdout
    assert "not found" not in linked
    event = next(line for line in linked.splitlines() if "libevent" in line)
    assert str(bundle.parent / "tor" / "lib") in event, event


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.fixture
def bundled_node(bundle: Path, tmp_path: Path) -> Iterator[StartBundled]:
    """Start `peerapp node` from the bundle with a clean environment, driven by the e2e
    suite's Node (tests/e2e/node_process.py). Node runs `python -m peerapp node ARGS`
    after its `prefix`: the prefix is a small shell that drops those three words and execs
    the bundle with `env -i` and only the variables a person's session would have."""
    nodes: list[Node] = []
    home = tmp_path / "home"
    home.mkdir()

    def start(name: str, network: tuple[str, ...] = ("--direct",)) -> Node:
        launch = (
            'shift 3; exec env -i HOME="$HEARTH_HOME" PATH=/usr/bin:/bin LANG=C.UTF-8 '
            'PEERAPP_PASSPHRASE="$PEERAPP_PASSPHRASE" PEERAPP_TIMINGS=quick '
            '"$HEARTH_BUNDLE" "$@"'
        )
        node = Node(
            tmp_path / name,
            prefix=("sh", "-c", launch, "bundle"),
            network=network,
            kdf=None,  # the bundled node makes its own profile, the real way
            environment={"HEARTH_BUNDLE": str(bundle), "HEARTH_HOME": str(home)},
        )
        nodes.append(node)
        return node

    yield start
    for node in nodes:
        node.kill()


def test_two_bundled_nodes_talk_in_direct_mode(bundled_node: StartBundled) -> None:
    began = time.monotonic()
    founder = bundled_node("founder")
    print(f"bundled node to ready (profile made, calibrated): {time.monotonic() - began:.1f} s")
    # the crisis directory, read through importlib.resources inside the frozen bundle
    countries = founder.call("crisis_countries")
    assert countries["ok"] and len(countries["countries"]) == len(load_bundled().countries)
    assert founder.call("crisis_resources", country="AU")["emergency"] == "000"
    created = founder.call("create_circle", name="Packaged", guidelines="Be kind.", member_name="A")
    assert created["ok"], created
    circle = created["circle"]
    code = founder.call("invite", circle=circle)
    assert code["ok"], code
    joiner = bundled_node("joiner")
    joined = joiner.call("join", code=code["code"], name="B")
    assert joined["ok"], joined
    sent = founder.call("send", circle=circle, text="hello from a bundle")
    assert sent["ok"], sent
    deadline = time.monotonic() + WAIT
    messages: list[Any] = []
    while time.monotonic() < deadline:
        history = joiner.call("history", circle=circle, limit=50)
        assert history["ok"], history
        messages = history["messages"]
        if messages:
            break
        joiner.wait_event("message", timeout=max(deadline - time.monotonic(), 0.05))
    assert [(m["text"], m["author_name"]) for m in messages] == [("hello from a bundle", "A")]


def test_bundled_node_starts_the_bundled_tor(
    bundled_node: StartBundled, bundle: Path, tmp_path: Path
) -> None:
    """Tor mode with the network off (no traffic leaves the machine): the tor the node
    starts is the bundle's, though the system's is on the fallback path too."""
    torrc = tmp_path / "offline.torrc"
    torrc.write_text("DisableNetwork 1\n", encoding="utf-8")
    node = bundled_node("tor", network=("--tor-config", str(torrc)))
    node.wait_event("tor_status")
    deadline = time.monotonic() + WAIT
    executables: list[str] = []
    while time.monotonic() < deadline and not executables:
        for child in _children(node.process.pid):
            try:
                executables.append(os.readlink(f"/proc/{child}/exe"))
            except OSError:
                continue
        if not executables:
            node.drain(0.2)
    bundled_tor = (bundle.parent / "tor" / "libexec" / "tor").resolve()
    assert str(bundled_tor) in executables, executables


def test_bundle_opens_its_first_window_offscreen(bundle: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    began = time.monotonic()
    process = subprocess.Popen(
        [bundle, "--log-level", "info", "--direct", "--profile", str(tmp_path / "profile")],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=_clean_environment(home),
        cwd=home,
        text=True,
    )
    assert process.stderr is not None
    shown = ""
    try:
        for _ in range(10_000):  # bounded: the log of a start is a few dozen lines
            line = process.stderr.readline()
            if not line or FIRST_WINDOW in line or time.monotonic() - began > START_SECONDS:
                shown = line
                break
        print(f"bundle cold start to first window (offscreen): {time.monotonic() - began:.2f} s")
        assert FIRST_WINDOW in shown, f"no first window: {shown!r}"
        assert shown.strip().endswith("FirstRunDialog"), shown
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(WAIT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(WAIT)
        process.stderr.close()


def test_install_script_for_a_user(unpacked: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    installed = _run([unpacked / "install.sh", "--user"], home)
    assert installed.returncode == 0, installed.stderr
    launcher = home / ".local" / "bin" / "peerapp"
    assert launcher.resolve() == home / ".local" / "opt" / "hearth" / "peerapp"
    assert _run([launcher, "--version"], home).stdout.strip() == f"Hearth {VERSION}"
    entry = home / ".local/share/applications" / f"{APP_ID}.desktop"
    assert f"Exec={home}/.local/opt/hearth/peerapp\n" in entry.read_text(encoding="utf-8")
    assert (home / ".local/share/icons/hicolor/48x48/apps" / f"{APP_ID}.png").is_file()
    removed = _run([unpacked / "install.sh", "--user", "--uninstall"], home)
    assert removed.returncode == 0, removed.stderr
    assert not launcher.exists() and not entry.exists()
    assert not (home / ".local" / "opt" / "hearth").exists()


def test_deb_installs_the_debian_way(tmp_path: Path) -> None:
    deb = _built(f"hearth_{VERSION}-1_{_arch()}.deb")
    info = subprocess.run(
        ["dpkg-deb", "--field", str(deb), "Package", "Version", "Architecture", "Depends"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "Package: hearth\n" in info and f"Version: {VERSION}-1\n" in info
    depends = next(line for line in info.splitlines() if line.startswith("Depends:"))
    assert "tor" in [item.strip() for item in depends.partition(":")[2].split(",")]
    contents = subprocess.run(
        ["dpkg-deb", "--contents", str(deb)], check=True, capture_output=True, text=True
    ).stdout.splitlines()
    assert all(" root/root " in line for line in contents)
    names = {line.split()[5].removeprefix(".") for line in contents}
    expected = {
        "/usr/bin/peerapp",
        "/usr/lib/hearth/peerapp",
        f"/usr/share/applications/{APP_ID}.desktop",
        f"/usr/share/metainfo/{APP_ID}.metainfo.xml",
        f"/usr/share/icons/hicolor/scalable/apps/{APP_ID}.svg",
        "/usr/share/doc/hearth/copyright",
        *(f"/usr/share/icons/hicolor/{s}x{s}/apps/{APP_ID}.png" for s in ICON_SIZES),
    }
    assert expected <= names, sorted(expected - names)
    # Debian's tor, not a copy: security updates come with the system's
    assert not [name for name in names if name.startswith("/usr/lib/hearth/tor")]
    root = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    assert os.readlink(root / "usr/bin/peerapp") == "../lib/hearth/peerapp"
    version = _run([root / "usr/bin/peerapp", "--version"], tmp_path / "home")
    assert version.stdout.strip() == f"Hearth {VERSION}", version.stderr
    validate = shutil.which("desktop-file-validate")
    assert validate is not None, "desktop-file-validate is missing: bash packaging/system-deps.sh"
    entry = root / f"usr/share/applications/{APP_ID}.desktop"
    checked = subprocess.run([validate, str(entry)], check=False, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout


@pytest.mark.timeout(900)  # a second bundle build: minutes on a busy 2-core machine
def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    """The wheel, the sdist and the bundle's tarball built again from the same commit
    (SOURCE_DATE_EPOCH: its time) are the same bytes as `make dist` gave."""
    out = tmp_path / "again"
    began = time.monotonic()
    subprocess.run(
        [sys.executable, str(DIST_SCRIPT), "--out", str(out), "--work", str(tmp_path / "work"),
         "python", "bundle", "tarball"],
        check=True,
        timeout=900,
    )  # fmt: skip
    print(f"second build (python, bundle, tarball): {time.monotonic() - began:.0f} s")
    names = [
        f"peerapp-{VERSION}-py3-none-any.whl",
        f"peerapp-{VERSION}.tar.gz",
        f"hearth-{VERSION}-linux-{_arch()}.tar.gz",
    ]
    for name in names:
        assert (out / name).read_bytes() == _built(name).read_bytes(), (
            f"{name} differs from dist/'s (was dist/ built from another commit? "
            "SOURCE_DATE_EPOCH is the last commit's time: run `make dist` again)"
        )
