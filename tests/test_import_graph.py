"""The import graph of `peerapp` has no cycle (issue 13): every import counts, those under
`if TYPE_CHECKING:` and inside functions too, since a cycle there still ties two modules
into one that cannot be read, changed or tested apart. Read from the source's syntax tree,
so nothing is imported to check it."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import peerapp

ROOT = Path(peerapp.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(ROOT.rglob("*.py"))}


def _imported(name: str, path: Path, known: set[str]) -> set[str]:
    """The peerapp modules this module imports: `import a.b`, `from a import b` (b the
    module a.b when there is one, else a), relative imports resolved."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in known else base)
    return {imported for imported in found if imported in known and imported != name}


@functools.cache
def import_graph() -> dict[str, set[str]]:
    """Module -> the peerapp modules it imports (read once per session; callers only read it)."""
    modules = _modules()
    known = set(modules)
    return {name: _imported(name, path, known) for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle (its modules in import order, the first repeated at the end), or None.
    An iterative depth-first search, so a deep graph cannot overflow the stack."""
    done: set[str] = set()
    for start in sorted(graph):
        if start in done:
            continue
        path = [start]
        on_path = {start}
        stack = [iter(sorted(graph[start]))]
        while stack:
            following = next(stack[-1], None)
            if following is None:
                stack.pop()
                done.add(path[-1])
                on_path.discard(path.pop())
            elif following in on_path:
                return [*path[path.index(following) :], following]
            elif following not in done:
                path.append(following)
                on_path.add(following)
                stack.append(iter(sorted(graph[following])))
    return None


def reachable_from(graph: dict[str, set[str]], start: str) -> set[str]:
    """The modules `start` imports, directly or through others."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        for following in graph[todo.pop()]:
            if following not in seen:
                seen.add(following)
                todo.append(following)
    return seen


def tangles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The groups of modules that import each other, directly or not (the strongly
    connected components with more than one module): each holds at least one cycle."""
    reach = {start: reachable_from(graph, start) for start in graph}
    groups: list[set[str]] = []
    for module in sorted(graph):
        group = {module} | {other for other in reach[module] if module in reach[other]}
        if len(group) > 1 and group not in groups:
            groups.append(group)
    return groups


def test_the_import_graph_of_peerapp_has_no_cycle() -> None:
    graph = import_graph()
    assert len(graph) > 100  # every module was read (a wrong root would pass vacuously)
    found = []
    for group in tangles(graph):
        inside = {module: graph[module] & group for module in group}
        cycle = " -> ".join(find_cycle(inside) or [])
        found.append(f"import cycle: {cycle} (among {sorted(group)})")
    assert found == []
    assert find_cycle(graph) is None


def test_the_circle_features_see_a_context_not_the_pane() -> None:
    """The GUI's last cycle was the pane and its features importing each other: the
    features name peerapp.ui.circle_context's protocols, and only the pane imports them."""
    graph = import_graph()
    features = {
        "peerapp.ui.crisis_support",
        "peerapp.ui.pane_boundaries",
        "peerapp.ui.pane_care",
        "peerapp.ui.pane_links",
        "peerapp.ui.pane_around",
        "peerapp.ui.pane_moderation",
        "peerapp.ui.pane_review",
        "peerapp.ui.pane_versions",
    }
    for feature in sorted(features):
        assert "peerapp.ui.circle_context" in graph[feature], feature
        assert graph[feature] & (features | {"peerapp.ui.circle_pane"}) == set(), feature
    # the state they share is the controller's: it knows no feature, no pane, no widget
    controller = graph["peerapp.ui.circle_controller"]
    assert controller & (features | {"peerapp.ui.circle_pane"}) == set()
    assert not any(module.startswith("peerapp.ui.widgets") for module in controller)


def test_the_engine_is_free_of_cycles() -> None:
    """engine/ and the floors below it have none at all, the GUI aside."""
    graph = import_graph()
    below_ui = {
        m: {i for i in edges if not i.startswith("peerapp.ui")}
        for m, edges in graph.items()
        if not m.startswith("peerapp.ui")
    }
    assert find_cycle(below_ui) is None


def test_a_cycle_is_found_and_named() -> None:
    """The search itself: a cycle behind an acyclic part is found, with its modules."""
    graph = {"a": {"b"}, "b": {"c", "d"}, "c": set(), "d": {"e"}, "e": {"b"}}
    assert find_cycle(graph) == ["b", "d", "e", "b"]
    assert tangles(graph) == [{"b", "d", "e"}]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_imports_under_type_checking_count(tmp_path: Path) -> None:
    """A TYPE_CHECKING import is an edge: the cycle this test guards against was one."""
    source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from peerapp.x import Y\n"
    module = tmp_path / "peerapp" / "y.py"
    module.parent.mkdir()
    module.write_text(source, encoding="utf-8")
    assert _imported("peerapp.y", module, {"peerapp.x", "peerapp.y"}) == {"peerapp.x"}


def _libp2p_importers() -> set[str]:
    """The peerapp modules that import libp2p (or its multiaddr) themselves."""
    found = set()
    for name, path in _modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            else:
                continue
            if any(imported.split(".")[0] in {"libp2p", "multiaddr"} for imported in names):
                found.add(name)
    return found


def test_engine_parts_that_speak_framed_streams_do_not_import_libp2p() -> None:
    """FramedStream and its errors live in network/framed.py, which knows no transport
    (streams.py is the libp2p adapter): the stream drivers and the write path are read,
    changed and tested without libp2p, and stay so (directly or through other modules)."""
    graph = import_graph()
    importers = _libp2p_importers()
    assert {"peerapp.network.streams", "peerapp.network.host"} <= importers  # the check sees
    libp2p_free = [
        "peerapp.engine.sync_session",
        "peerapp.engine.join_client",
        "peerapp.engine.circle_log",
        "peerapp.engine.late_events",
        "peerapp.engine.outbox",
        "peerapp.engine.founding",
        "peerapp.engine.runtimes",
        "peerapp.engine.circle_runtime",
        "peerapp.engine.context",
        "peerapp.network.framed",
        "peerapp.network.memory_streams",
    ]
    for module in libp2p_free:
        assert sorted(reachable_from(graph, module) & importers) == [], module
