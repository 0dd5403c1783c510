"""Command argument checking shared by every front."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peerapp.core import commands
from peerapp.core.commands import SPECS, Argument, CommandSpec, check_arguments
from peerapp.core.errors import CommandError, HearthError

ACCEPTED = [
    ("status-no-args", "status", {}, {}),
    ("quit-no-args", "quit", {}, {}),
    ("circles-no-args", "circles", {}, {}),
    ("create-circle-name-only", "create_circle", {"name": "Tuesday"}, {"name": "Tuesday"}),
    (
        "create-circle-with-optional",
        "create_circle",
        {"name": "Tuesday", "guidelines": "Be kind."},
        {"name": "Tuesday", "guidelines": "Be kind."},
    ),
    ("create-circle-empty-strings", "create_circle", {"name": ""}, {"name": ""}),
    ("join", "join", {"code": "abc", "name": "Sam"}, {"code": "abc", "name": "Sam"}),
    ("connect", "connect", {"addr": "/ip4/127.0.0.1/tcp/1"}, {"addr": "/ip4/127.0.0.1/tcp/1"}),
]


@pytest.mark.parametrize(
    ("command", "arguments", "expected"),
    [case[1:] for case in ACCEPTED],
    ids=[case[0] for case in ACCEPTED],
)
def test_accepted(command: str, arguments: dict[str, Any], expected: dict[str, Any]) -> None:
    assert check_arguments(command, arguments) == expected


REFUSED = [
    ("unknown", "frobnicate", {}, "unknown command: 'frobnicate'"),
    ("unknown-empty-name", "", {}, "unknown command: ''"),
    ("unknown-case", "Status", {}, "unknown command: 'Status'"),
    ("extra-on-no-arg-command", "status", {"verbose": True}, "status does not take: verbose"),
    # extras are named in sorted order
    ("two-extras", "connect", {"addr": "x", "zz": 1, "aa": 2}, "connect does not take: aa, zz"),
    ("missing", "connect", {}, "connect needs the argument 'addr'"),
    ("missing-second", "join", {"code": "abc"}, "join needs the argument 'name'"),
    (
        "missing-required-with-optional",
        "create_circle",
        {"guidelines": "g"},
        "create_circle needs the argument 'name'",
    ),
    ("int-for-text", "connect", {"addr": 5}, "'addr' must be text"),
    ("none-for-text", "connect", {"addr": None}, "'addr' must be text"),
    ("bool-for-text", "connect", {"addr": True}, "'addr' must be text"),
    ("bytes-for-text", "connect", {"addr": b"/ip4"}, "'addr' must be text"),
    ("list-for-text", "join", {"code": ["a"], "name": "Sam"}, "'code' must be text"),
    (
        "wrong-optional-type",
        "create_circle",
        {"name": "n", "guidelines": 3},
        "'guidelines' must be text",
    ),
]


@pytest.mark.parametrize(
    ("command", "arguments", "message"),
    [case[1:] for case in REFUSED],
    ids=[case[0] for case in REFUSED],
)
def test_refused(command: str, arguments: dict[str, Any], message: str) -> None:
    with pytest.raises(CommandError) as raised:
        check_arguments(command, arguments)
    assert raised.value.message == message
    assert isinstance(raised.value, HearthError)


@pytest.fixture
def numeric_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    """No shipped command takes a number or a flag yet; add two to test the bool rules."""
    for spec in (
        CommandSpec("count", "test", (Argument("n", int),)),
        CommandSpec("flag", "test", (Argument("on", bool),)),
        CommandSpec("either", "test", (Argument("v", (int, bool)),)),
    ):
        monkeypatch.setitem(commands.SPECS, spec.name, spec)


NUMERIC = [
    ("int-accepts-int", "count", {"n": 3}, None),
    ("int-accepts-zero", "count", {"n": 0}, None),
    ("int-rejects-true", "count", {"n": True}, "'n' must be a whole number"),
    ("int-rejects-false", "count", {"n": False}, "'n' must be a whole number"),
    ("int-rejects-float", "count", {"n": 3.0}, "'n' must be a whole number"),
    ("int-rejects-text", "count", {"n": "3"}, "'n' must be a whole number"),
    ("bool-accepts-true", "flag", {"on": True}, None),
    ("bool-rejects-one", "flag", {"on": 1}, "'on' must be true or false"),
    ("bool-rejects-zero", "flag", {"on": 0}, "'on' must be true or false"),
    ("union-accepts-bool", "either", {"v": False}, None),
    ("union-accepts-int", "either", {"v": 7}, None),
    ("union-rejects-text", "either", {"v": "7"}, "'v' must be a whole number or true or false"),
]


@pytest.mark.usefixtures("numeric_commands")
@pytest.mark.parametrize(
    ("command", "arguments", "message"),
    [case[1:] for case in NUMERIC],
    ids=[case[0] for case in NUMERIC],
)
def test_numbers_and_flags_never_pass_for_each_other(
    command: str, arguments: dict[str, Any], message: str | None
) -> None:
    if message is None:
        checked = check_arguments(command, arguments)
        assert checked == arguments
        # the very objects, not converted copies
        assert all(type(checked[k]) is type(v) for k, v in arguments.items())
    else:
        with pytest.raises(CommandError) as raised:
            check_arguments(command, arguments)
        assert raised.value.message == message


def test_every_spec_is_keyed_by_its_name_and_has_a_summary() -> None:
    for name, spec in SPECS.items():
        assert spec.name == name
        assert spec.summary.strip()
        argument_names = [a.name for a in spec.arguments]
        assert len(argument_names) == len(set(argument_names))


def test_result_is_a_new_dict() -> None:
    arguments = {"name": "Tuesday"}
    checked = check_arguments("create_circle", arguments)
    checked["name"] = "changed"
    assert arguments == {"name": "Tuesday"}


@given(
    st.sampled_from(sorted(SPECS)),
    st.dictionaries(
        st.text(max_size=12),
        st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=12)),
        max_size=4,
    ),
)
def test_any_input_is_either_accepted_unchanged_or_refused_with_command_error(
    command: str, arguments: dict[str, Any]
) -> None:
    try:
        checked = check_arguments(command, arguments)
    except CommandError as error:
        assert error.message
        return
    spec = SPECS[command]
    assert set(checked) <= {a.name for a in spec.arguments}
    assert checked == arguments
    for argument in spec.arguments:
        if argument.name in checked:
            assert isinstance(checked[argument.name], argument.kind)
            assert not isinstance(checked[argument.name], bool)  # every shipped arg is text
