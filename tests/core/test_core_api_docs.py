"""docs/node.md against the contract's registry: every command is documented, once, with
exactly its arguments, and nothing is documented that the registry does not hold.

The command tables are those whose header starts `| command | arguments |`; a row's first
cell is the command's name in backticks, its second the arguments: each argument's name
in backticks, explanations in parentheses (left out here, so values such as `"GB"` or a
topic key inside them are not taken for arguments), or `none`.
"""

from __future__ import annotations

import re
from pathlib import Path

from peerapp.core.api.refusals import Refusal
from peerapp.core.api.registry import COMMANDS, EVENTS, arguments_of

NODE_DOC = Path(__file__).resolve().parents[2] / "docs" / "node.md"
BACKTICKED = re.compile(r"`([a-z][a-z_-]*)`")


def _cells(line: str) -> list[str]:
    # a "\|" inside a cell is text, not a column
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def _without_parentheses(text: str) -> str:
    kept: list[str] = []
    depth = 0
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif depth == 0:
            kept.append(char)
    return "".join(kept)


def _tables(first_header: str) -> list[list[str]]:
    """The rows (cells) of every table whose header's first cell is `first_header`."""
    rows: list[list[str]] = []
    inside = False
    for line in NODE_DOC.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            inside = False
            continue
        cells = _cells(line)
        if not inside:
            inside = cells[0] == first_header
            continue
        if set(cells[0]) <= {"-", ":"}:
            continue
        rows.append(cells)
    return rows


def documented_commands() -> dict[str, set[str]]:
    documented: dict[str, set[str]] = {}
    for cells in _tables("command"):
        name = re.fullmatch(r"`([a-z_]+)`", cells[0])
        assert name, f"a command row's first cell is one name in backticks: {cells[0]!r}"
        assert name[1] not in documented, f"{name[1]} is documented twice"
        arguments = _without_parentheses(cells[1])
        documented[name[1]] = set(BACKTICKED.findall(arguments))
        if not documented[name[1]]:
            assert cells[1] == "none", f"{name[1]}: say `none` when it takes no arguments"
    return documented


def test_every_command_is_documented_with_exactly_its_arguments() -> None:
    documented = documented_commands()
    assert sorted(set(COMMANDS) - set(documented)) == [], "commands missing from docs/node.md"
    assert sorted(set(documented) - set(COMMANDS)) == [], "documented, but no such command"
    for name, spec in COMMANDS.items():
        expected = {argument.name for argument in arguments_of(spec.command)}
        assert documented[name] == expected, f"docs/node.md: {name}'s arguments"


def test_every_event_is_documented_and_nothing_else() -> None:
    documented = {re.fullmatch(r"`([a-z_]+)`", cells[0]) for cells in _tables("event")}
    names = {match[1] for match in documented if match}
    assert names == set(EVENTS)


def test_every_refusal_code_is_documented_with_its_text() -> None:
    """docs/node.md "Refusal codes" lists each Refusal once, in the enum's order, with the
    template its `error` text is made from, and nothing else."""
    documented = [(cells[0], cells[1]) for cells in _tables("code")]
    expected = [(f"`{refusal.value}`", f"`{refusal.template}`") for refusal in Refusal]
    missing = [row for row in expected if row not in documented]
    extra = [row for row in documented if row not in expected]
    assert (missing, extra) == ([], []), "docs/node.md's Refusal codes table"
    assert documented == expected, "docs/node.md lists the refusal codes in the enum's order"
