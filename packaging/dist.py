"""`make dist`: the packages of Hearth, built offline on Debian (packaging/README.md).

    python packaging/dist.py [--out DIR] [STEP ...]

Steps (all of them, in this order, when none is named):
- python: the wheel and the sdist (`python -m build --no-isolation`, from a clean copy of
  the sdist, as pip would); the sdist is packed again deterministically.
- bundle: a PyInstaller one-folder bundle (Python, Qt, the package data) with `tor` and
  the libraries it links that a base Debian system lacks, in tor/ beside the launcher.
- tarball: the bundle and install.sh as hearth-<version>-linux-<arch>.tar.gz.
- deb: hearth_<version>-1_<arch>.deb (dpkg-deb): the bundle without its tor, depending on
  Debian's tor; desktop entry, icons and metainfo where Debian puts them.
- icons: render peerapp/resources/icons/hearth.svg to the hicolor PNG sizes (with Qt);
  the PNGs are committed, so this step runs only when the icon changes.

Reproducible where the tools allow: SOURCE_DATE_EPOCH (the last commit's time unless set)
fixes every timestamp; archives are written in sorted order with fixed owners (root),
modes and mtimes, and gzip headers without a time or name. tests/packaging checks that
two builds give the same bytes.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
APP_ID = "org.peerapp.Hearth"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICONS = ROOT / "peerapp" / "resources" / "icons"
# What the bundle never needs: test tools that happen to be in the virtualenv
# (PyInstaller follows every import it can see). Pillow stays: pictures are decoded and
# re-encoded with it (engine/images.py); tests/packaging's node tests fail without it.
EXCLUDED_MODULES = ("pytest", "_pytest", "hypothesis", "mypy", "tkinter", "IPython")
# glibc: every Linux system has it, and a copied one would not match the system's loader
SYSTEM_LIBRARIES = ("linux-vdso", "ld-linux", "libc.so", "libm.so", "libpthread", "libdl", "librt")
DEB_DEPENDS = (
    "tor",
    "libc6 (>= 2.36)",
    "libgl1",
    "libegl1",
    "libxkbcommon0",
    "libxkbcommon-x11-0",
    "libfontconfig1",
    "libdbus-1-3",
    "libxcb-cursor0",
)
STEPS = ("python", "bundle", "tarball", "deb")


def version() -> str:
    namespace: dict[str, object] = {}
    exec((ROOT / "peerapp" / "__init__.py").read_text(encoding="utf-8"), namespace)  # noqa: S102 (our own file)
    return str(namespace["__version__"])


def source_date_epoch() -> int:
    """SOURCE_DATE_EPOCH, else the last commit's time (so two builds of one commit agree)."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return int(os.environ["SOURCE_DATE_EPOCH"])
    found = subprocess.run(
        ["git", "-C", str(ROOT), "log", "-1", "--format=%ct"],
        capture_output=True,
        text=True,
        check=False,
    )
    return int(found.stdout.strip()) if found.returncode == 0 and found.stdout.strip() else 0


def arch() -> str:
    return subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()


def build_env(epoch: int) -> dict[str, str]:
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(epoch), PYTHONHASHSEED="0", TZ="UTC")
    env.pop("PYTHONPATH", None)
    return env


@contextlib.contextmanager
def step(name: str) -> Iterator[None]:
    """Print a step and its time (the figures in docs/performance.md come from here)."""
    began = time.monotonic()
    print(f"dist: {name} ...", flush=True)
    yield
    print(f"dist: {name} done in {time.monotonic() - began:.1f} s", flush=True)


# -- deterministic archives ---------------------------------------------------------------


def _walk(folder: Path) -> Iterator[Path]:
    """Every file, link and folder below `folder`, sorted, folders before their content."""
    for entry in sorted(folder.iterdir(), key=lambda path: path.name):
        yield entry
        if entry.is_dir() and not entry.is_symlink():
            yield from _walk(entry)


def _tar_info(path: Path, name: str, epoch: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.mtime = epoch
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    if path.is_symlink():
        info.type = tarfile.SYMTYPE
        info.linkname = os.readlink(path)
        info.mode = 0o777
    elif path.is_dir():
        info.type = tarfile.DIRTYPE
        info.mode = 0o755
    else:
        info.size = path.stat().st_size
        info.mode = 0o755 if os.access(path, os.X_OK) else 0o644
    return info


def write_tar_gz(folder: Path, top: str, target: Path, epoch: int) -> Path:
    """`folder` packed as `target` under the name `top`: sorted, owners root, modes
    0755/0644, every mtime `epoch`, a gzip header without name or time."""
    with (
        target.open("wb") as out,
        gzip.GzipFile("", "wb", 6, out, mtime=0) as packed,
        tarfile.open(fileobj=packed, mode="w", format=tarfile.GNU_FORMAT) as archive,
    ):
        archive.addfile(_tar_info(folder, top, epoch))
        for path in _walk(folder):
            info = _tar_info(path, f"{top}/{path.relative_to(folder).as_posix()}", epoch)
            if info.isreg():
                with path.open("rb") as content:
                    archive.addfile(info, content)
            else:
                archive.addfile(info)
    return target


# -- steps --------------------------------------------------------------------------------


def build_python(out: Path, epoch: int) -> tuple[Path, Path]:
    with tempfile.TemporaryDirectory(prefix="hearth-dist-") as temp:
        built = Path(temp) / "built"
        subprocess.run(
            [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(built), str(ROOT)],
            env=build_env(epoch),
            check=True,
        )
        wheel = next(built.glob("*.whl"))
        sdist = next(built.glob("*.tar.gz"))
        shutil.copy2(wheel, out / wheel.name)
        # setuptools' sdist keeps file times and the gzip time: unpack and pack it again
        unpacked = Path(temp) / "sdist"
        with tarfile.open(sdist) as archive:
            archive.extractall(unpacked, filter="data")
        (top,) = list(unpacked.iterdir())
        write_tar_gz(top, top.name, out / sdist.name, epoch)
    return out / wheel.name, out / sdist.name


def render_icons() -> list[Path]:
    """hearth.svg as PNGs at the hicolor sizes (Qt renders: no imaging library needed)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt  # noqa: PLC0415 (only this step needs Qt)
    from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: PLC0415
    from PySide6.QtSvg import QSvgRenderer  # noqa: PLC0415

    app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(ICONS / "hearth.svg"))
    written = []
    for size in ICON_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        target = ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(target), b"PNG"):
            raise SystemExit(f"dist: could not write {target}")
        written.append(target)
    del app
    return written


def copy_tor(into: Path) -> Path:
    """/usr/sbin/tor and the libraries it links (glibc aside) in `into`, started through a
    small script that points the loader at them."""
    tor = shutil.which("tor", path=os.pathsep.join(["/usr/sbin", "/usr/bin"]))
    if tor is None:
        raise SystemExit("dist: tor is not installed (bash packaging/system-deps.sh)")
    (into / "lib").mkdir(parents=True)
    (into / "libexec").mkdir()
    shutil.copy2(tor, into / "libexec" / "tor")
    linked = subprocess.run(["ldd", tor], capture_output=True, text=True, check=True).stdout
    for line in linked.splitlines():
        name, _, rest = line.strip().partition(" => ")
        library = rest.split(" (")[0].strip()
        if not library or any(name.startswith(system) for system in SYSTEM_LIBRARIES):
            continue
        shutil.copy2(Path(library).resolve(), into / "lib" / name)
    launcher = into / "tor"
    launcher.write_text(
        "#!/bin/sh\n"
        "# Hearth's bundled tor: Debian's binary with the libraries it links, from lib/.\n"
        'here=$(dirname "$(readlink -f "$0")")\n'
        'LD_LIBRARY_PATH="$here/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" '
        'exec "$here/libexec/tor" "$@"\n',
        encoding="utf-8",
    )
    launcher.chmod(0o755)
    return launcher


def build_bundle(work: Path, epoch: int) -> Path:
    """The one-folder bundle in work/bundle/peerapp: the `peerapp` launcher, _internal/
    (Python, Qt, the package and its data) and tor/."""
    if (work / "bundle").exists():
        shutil.rmtree(work / "bundle")
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level=WARN",
        "--onedir",
        "--name=peerapp",
        f"--distpath={work / 'bundle'}",
        f"--workpath={work / 'pyinstaller'}",
        f"--specpath={work}",
        f"--paths={ROOT}",
        "--collect-submodules=peerapp",
        "--collect-data=peerapp",
        # py-libp2p and multiaddr load codecs and transports by name
        "--collect-all=multiaddr",
        "--collect-submodules=libp2p",
        # cffi extension modules imported from C (coincurve's backend: libp2p's secp256k1)
        "--collect-all=coincurve",
        *(f"--exclude-module={name}" for name in EXCLUDED_MODULES),
        str(PACKAGING / "hearth_main.py"),
    ]
    # PYTHONPATH: this source tree's peerapp, whatever the virtualenv's editable install
    # points at (PyInstaller's hooks import the package to find its data)
    subprocess.run(command, env={**build_env(epoch), "PYTHONPATH": str(ROOT)}, check=True, cwd=work)
    bundle = work / "bundle" / "peerapp"
    copy_tor(bundle / "tor")
    return bundle


def build_tarball(bundle: Path, out: Path, epoch: int) -> Path:
    name = f"hearth-{version()}-linux-{arch()}"
    with tempfile.TemporaryDirectory(prefix="hearth-tar-") as temp:
        top = Path(temp) / name
        shutil.copytree(bundle, top / "peerapp", symlinks=True)
        shutil.copy2(PACKAGING / "install.sh", top / "install.sh")
        (top / "install.sh").chmod(0o755)
        shutil.copy2(PACKAGING / "INSTALL-bundle.md", top / "README.md")
        return write_tar_gz(top, name, out / f"{name}.tar.gz", epoch)


def build_deb(bundle: Path, out: Path, epoch: int) -> Path:
    architecture = arch()
    with tempfile.TemporaryDirectory(prefix="hearth-deb-") as temp:
        root = Path(temp) / "root"
        shutil.copytree(
            bundle, root / "usr/lib/hearth", symlinks=True, ignore=shutil.ignore_patterns("tor")
        )
        (root / "usr/bin").mkdir(parents=True)
        (root / "usr/bin/peerapp").symlink_to("../lib/hearth/peerapp")
        share = root / "usr/share"
        (share / "applications").mkdir(parents=True)
        shutil.copy2(
            ROOT / "peerapp/resources/hearth.desktop", share / f"applications/{APP_ID}.desktop"
        )
        (share / "metainfo").mkdir()
        shutil.copy2(ROOT / f"peerapp/resources/{APP_ID}.metainfo.xml", share / "metainfo")
        shutil.copytree(ICONS / "hicolor", share / "icons/hicolor")
        (share / "icons/hicolor/scalable/apps").mkdir(parents=True)
        shutil.copy2(ICONS / "hearth.svg", share / f"icons/hicolor/scalable/apps/{APP_ID}.svg")
        (share / "doc/hearth").mkdir(parents=True)
        shutil.copy2(PACKAGING / "deb" / "copyright", share / "doc/hearth/copyright")
        size_kib = sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) // 1024 + 1
        control = (PACKAGING / "deb" / "control").read_text(encoding="utf-8")
        (root / "DEBIAN").mkdir()
        (root / "DEBIAN/control").write_text(
            control.format(
                version=version(),
                arch=architecture,
                size=size_kib,
                depends=", ".join(DEB_DEPENDS),
            ),
            encoding="utf-8",
        )
        for path in [root, *_walk(root)]:
            if not path.is_symlink():
                path.chmod(0o755 if path.is_dir() or os.access(path, os.X_OK) else 0o644)
                os.utime(path, (epoch, epoch))
        target = out / f"hearth_{version()}-1_{architecture}.deb"
        # gzip, not dpkg's default xz: xz took over 6 minutes for the ~280 MB bundle on
        # the project's 2 busy cores (gzip: seconds), for about a quarter less size
        subprocess.run(
            ["dpkg-deb", "--root-owner-group", "-Zgzip", "-z6", "--build", str(root), str(target)],
            env=build_env(epoch),
            check=True,
        )
        return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("steps", nargs="*", metavar="STEP", help=f"{', '.join(STEPS)}, icons")
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="where packages go")
    parser.add_argument(
        "--work", type=Path, default=ROOT / "build" / "dist", help="PyInstaller's work folder"
    )
    options = parser.parse_args(argv)
    steps = options.steps or list(STEPS)
    unknown = sorted(set(steps) - {*STEPS, "icons"})
    if unknown:
        parser.error(f"unknown step {', '.join(unknown)}: choose from {', '.join(STEPS)}, icons")
    epoch = source_date_epoch()
    out: Path = options.out.resolve()
    work: Path = options.work.resolve()
    out.mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    bundle = work / "bundle" / "peerapp"
    for name in steps:
        with step(name):
            if name == "icons":
                for path in render_icons():
                    print(f"  {path.relative_to(ROOT)}")
            elif name == "python":
                for path in build_python(out, epoch):
                    print(f"  {path}")
            elif name == "bundle":
                build_bundle(work, epoch)
                print(f"  {bundle}")
            elif name == "tarball":
                print(f"  {build_tarball(bundle, out, epoch)}")
            elif name == "deb":
                print(f"  {build_deb(bundle, out, epoch)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
