"""Fixtures for the node end-to-end tests."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.node_process import Node, Spares, StartNode, measured_here


@pytest.fixture(scope="session")
def spare_nodes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Spares]:
    """Fresh nodes launched ahead for this worker's e2e tests (node_process.Spares)."""
    spares = Spares(tmp_path_factory.mktemp("spare-nodes"))
    yield spares
    spares.close()


@pytest.fixture
def start_node(tmp_path: Path, spare_nodes: Spares) -> Iterator[StartNode]:
    """A new node with no profile and no options is a spare launched ahead; any other
    (a given profile, e.g. a restart, or options), and every node of a test whose nodes
    are measured when spares are not (node_process.measured_here), is started here."""
    nodes: list[Node] = []
    counter = itertools.count()

    def start(profile: Path | None = None, **options: Any) -> Node:
        if profile is None and not options and spare_nodes.measured == measured_here():
            node = spare_nodes.take()
        else:
            node = Node(profile or tmp_path / f"node{next(counter)}", **options)
        nodes.append(node)
        return node

    yield start
    for node in nodes:
        node.kill()
