"""Fixtures for the node end-to-end tests."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.node_process import Node, StartNode


@pytest.fixture
def start_node(tmp_path: Path) -> Iterator[StartNode]:
    nodes: list[Node] = []
    counter = itertools.count()

    def start(profile: Path | None = None, **options: Any) -> Node:
        node = Node(profile or tmp_path / f"node{next(counter)}", **options)
        nodes.append(node)
        return node

    yield start
    for node in nodes:
        node.kill()
