"""Fixtures every suite can use, and one check on how the suite is spread over workers.

The Tor fixtures (tests/tor/fixtures.py) start nothing unless a test asks for them."""

from __future__ import annotations

import compileall
from pathlib import Path

import pytest
from _pytest.assertion import rewrite

pytest_plugins = ("tests.tor.fixtures",)


def pytest_configure(config: pytest.Config) -> None:
    """Under `-n 2 --dist loadgroup`, pytest-xdist (3.8, the latest) keeps the tests of one
    xdist_group on one worker by adding `@<group>` to their node ids. pytest 9 ignores
    that (it keeps node ids elsewhere): the groups then spread over the workers, each
    starts its own private Tor network, and a module's story (tests/tor/test_e2e_onion.py)
    is cut in two. Stop at once, saying why, rather than run that way."""
    major = int(pytest.__version__.split(".")[0])
    if config.getoption("dist", default="no") == "loadgroup" and major >= 9:
        raise pytest.UsageError(
            f"pytest {pytest.__version__} breaks pytest-xdist's --dist loadgroup (xdist_group "
            "is ignored). Install the test extra again: pyproject.toml pins pytest below 9."
        )


def pytest_sessionstart(session: pytest.Session) -> None:
    """Byte-compile peerapp once, in the controller, before any worker starts. Every
    `peerapp node` (and every other Python child) imports about 150 peerapp modules; with
    PYTHONDONTWRITEBYTECODE set (as in some shells and CI images) nothing ever writes
    their .pyc, so each start compiled them all again (85 ms of CPU a start, a few hundred
    starts a run). Reading a .pyc is allowed under that variable; only writing is not,
    and compileall writes regardless. Up-to-date files are only stat'ed."""
    if not hasattr(session.config, "workerinput"):
        compileall.compile_dir(Path(__file__).parent.parent / "peerapp", quiet=1)
        _rewrite_test_modules_once(session.config)


def _rewrite_test_modules_once(config: pytest.Config) -> None:
    """Write pytest's cache of the assert-rewritten test modules, once, in the controller.

    Each worker imports every test module while collecting, and pytest rewrites the
    asserts of each (it parses and walks the module: 5.9 million AST node visits for this
    suite, two thirds of a collection, twice that under coverage's tracer). pytest caches
    the result in __pycache__, but writes that cache only when bytecode may be written:
    under PYTHONDONTWRITEBYTECODE every worker of every run rewrote every module again.
    It reads the cache whatever the variable says, so the controller writes it here, as
    compileall does for peerapp; up-to-date entries are only read. pytest has no public
    call for this: pinned below 9 (pyproject.toml), these are 8.x's own steps."""
    state = config.stash.get(rewrite.assertstate_key, None)
    if state is None:  # assertion rewriting is off (--assert=plain)
        return
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        if not (path.name.startswith("test_") or path.name == "conftest.py"):
            continue
        cache_dir = rewrite.get_cache_dir(path)
        pyc = cache_dir / (path.name[:-3] + rewrite.PYC_TAIL)
        if rewrite._read_pyc(path, pyc) is not None:
            continue
        source_stat, code = rewrite._rewrite_test(path, config)
        if rewrite.try_makedirs(cache_dir):
            rewrite._write_pyc(state, code, source_stat, pyc)


# Directories in the order their tests are handed out, longest-running first. Under
# `--dist loadgroup` every test outside an xdist_group is a unit of its own, dealt to the
# next idle worker in collection order (the Tor group, the largest unit, always goes
# first). Dealing the long tests (node processes, real hosts, Qt) first and the
# many-millisecond ones (core, crypto) last lets the short ones fill the gaps at the end,
# so the workers finish together instead of one running a 20 s e2e test alone at the
# end. "" is the files directly in tests/; a directory not named here goes last; the
# order within a directory is kept.
LONG_FIRST = (
    "e2e",
    "tor",
    "packaging",
    "engine",
    "gui",
    "network",
    "storage",
    "",
    "crypto",
    "core",
)


# single files whose tests run long (property tests over many arrival orders): dealt
# before everything else, so none of them is left running alone on one worker at the end
LONG_FILES = (
    "tests/core/test_core_resolution_resume.py",
    "tests/engine/test_engine_content_orders.py",
)


def _rank(item: pytest.Item) -> int:
    path = item.nodeid.split("::")[0]
    if path in LONG_FILES:
        return -1
    parts = path.split("/")
    folder = parts[1] if len(parts) > 2 else ""
    return LONG_FIRST.index(folder) if folder in LONG_FIRST else len(LONG_FIRST)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Long-running files (LONG_FILES), then long-running directories (LONG_FIRST). The
    sort is stable and depends only on the node ids, so every xdist worker collects the
    same order (xdist refuses a run whose workers disagree)."""
    items.sort(key=_rank)
