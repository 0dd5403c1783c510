"""Fixtures every suite can use, and one check on how the suite is spread over workers.

The Tor fixtures (tests/tor/fixtures.py) start nothing unless a test asks for them."""

from __future__ import annotations

import pytest

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
