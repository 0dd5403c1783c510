"""The contract's registry: argument checking of JSON input derived from the command
dataclasses, shared by every front, and results and refusals as the node writes them."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peerapp.core.api.boundaries import QuietHoursView, SetBreak, SetFilters
from peerapp.core.api.circles import Connect, CreateCircle, Join, Joined, Status
from peerapp.core.api.contract import UNSET, Command, Result, json_name
from peerapp.core.api.messages import MessageSent
from peerapp.core.api.moderation import (
    MessageDetails,
    ModerationEntryView,
    ModerationLog,
    MuteDetails,
    NoDetails,
    RemovalDetails,
    SettingsDetails,
)
from peerapp.core.api.network import CurrentNetworkView, NetworkSettingsView, TorStatusView
from peerapp.core.api.refusals import RULE_REFUSALS, Refusal, rule_refusal, rule_text
from peerapp.core.api.registry import (
    COMMANDS,
    EVENTS,
    arguments_of,
    command_arguments,
    parse_command,
    result_json,
    spec_of,
)
from peerapp.core.content_warnings import FILTER_TOPICS
from peerapp.core.errors import CommandError, HearthError
from peerapp.core.events import EngineReady, MessageView
from peerapp.core.rule_reasons import RuleReason
from peerapp.core.wire import decode, encode

ACCEPTED: list[tuple[str, str, dict[str, Any], Command[Any]]] = [
    ("status-no-args", "status", {}, Status()),
    ("create-circle-name-only", "create_circle", {"name": "Tuesday"}, CreateCircle(name="Tuesday")),
    (
        "create-circle-with-optional",
        "create_circle",
        {"name": "Tuesday", "guidelines": "Be kind."},
        CreateCircle(name="Tuesday", guidelines="Be kind."),
    ),
    ("create-circle-empty-strings", "create_circle", {"name": ""}, CreateCircle(name="")),
    ("join", "join", {"code": "abc", "name": "Sam"}, Join(code="abc", name="Sam")),
    (
        "connect",
        "connect",
        {"addr": "/ip4/127.0.0.1/tcp/1"},
        Connect(addr="/ip4/127.0.0.1/tcp/1"),
    ),
    ("json-name", "set_filters", {"self-harm": "hide"}, SetFilters(self_harm="hide")),
    ("absent-keeps", "set_break", {"on": True}, SetBreak(on=True, quiet_hours=UNSET)),
    (
        "null-clears",
        "set_break",
        {"on": True, "quiet_hours": None},
        SetBreak(on=True, quiet_hours=None),
    ),
    (
        "object-as-view",
        "set_break",
        {"on": True, "quiet_hours": {"start": "22:00", "end": "07:00"}},
        SetBreak(on=True, quiet_hours=QuietHoursView("22:00", "07:00")),
    ),
]


@pytest.mark.parametrize(
    ("command", "arguments", "expected"),
    [case[1:] for case in ACCEPTED],
    ids=[case[0] for case in ACCEPTED],
)
def test_accepted(command: str, arguments: dict[str, Any], expected: Command[Any]) -> None:
    parsed = parse_command(command, arguments)
    assert parsed == expected
    assert command_arguments(parsed) == arguments  # and back: the same JSON


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
    (
        "view-without-its-fields",
        "set_break",
        {"on": True, "quiet_hours": {"start": "22:00"}},
        '\'quiet_hours\' needs a start and an end, like {"start": "22:00", "end": "07:00"}.',
    ),
    (
        "view-with-a-number",
        "set_break",
        {"on": True, "quiet_hours": {"start": "22:00", "end": 7}},
        '\'quiet_hours\' needs a start and an end, like {"start": "22:00", "end": "07:00"}.',
    ),
]


@pytest.mark.parametrize(
    ("command", "arguments", "message"),
    [case[1:] for case in REFUSED],
    ids=[case[0] for case in REFUSED],
)
def test_refused(command: str, arguments: dict[str, Any], message: str) -> None:
    with pytest.raises(CommandError) as raised:
        parse_command(command, arguments)
    assert raised.value.message == message
    assert raised.value.refusal.value == raised.value.refusal.name.lower()  # its own code
    assert isinstance(raised.value, HearthError)


NUMERIC = [
    ("int-accepts-int", "mute", {"seconds": 3}, None),
    ("int-accepts-zero", "mute", {"seconds": 0}, None),
    ("int-rejects-true", "mute", {"seconds": True}, "'seconds' must be a whole number"),
    ("int-rejects-false", "mute", {"seconds": False}, "'seconds' must be a whole number"),
    ("int-rejects-float", "mute", {"seconds": 3.0}, "'seconds' must be a whole number"),
    ("int-rejects-text", "mute", {"seconds": "3"}, "'seconds' must be a whole number"),
    ("bool-accepts-true", "ban", {"invitees": True}, None),
    ("bool-rejects-one", "ban", {"invitees": 1}, "'invitees' must be true or false"),
    ("bool-rejects-zero", "ban", {"invitees": 0}, "'invitees' must be true or false"),
    (
        "union-accepts-object",
        "set_break",
        {"on": True, "quiet_hours": {"start": "9:00", "end": "99"}},  # times: the engine's
        None,
    ),
    ("union-accepts-null", "set_break", {"on": False, "quiet_hours": None}, None),
    (
        "union-rejects-text",
        "set_break",
        {"on": True, "quiet_hours": "22:00"},
        "'quiet_hours' must be an object or null",
    ),
    ("optional-rejects-null", "mute", {"seconds": None}, "'seconds' must be a whole number"),
]


@pytest.mark.parametrize(
    ("command", "arguments", "message"),
    [case[1:] for case in NUMERIC],
    ids=[case[0] for case in NUMERIC],
)
def test_numbers_and_flags_never_pass_for_each_other(
    command: str, arguments: dict[str, Any], message: str | None
) -> None:
    base = {"circle": "c", "member": "m"} if command in ("mute", "ban") else {}
    given = {**base, **arguments}
    if message is None:
        parsed = parse_command(command, given)
        assert command_arguments(parsed) == given
        # the very objects, not converted copies
        for name, value in command_arguments(parsed).items():
            assert type(value) is type(given[name])
    else:
        with pytest.raises(CommandError) as raised:
            parse_command(command, given)
        assert raised.value.message == message
        assert raised.value.refusal is Refusal.WRONG_TYPE


def test_every_command_is_keyed_by_its_name_typed_and_summarised() -> None:
    for name, spec in COMMANDS.items():
        assert spec.name == name
        assert spec.summary.strip()
        assert spec_of(spec.command) is spec
        arguments = arguments_of(spec.command)
        assert len({a.name for a in arguments}) == len(arguments)
        for argument in arguments:
            assert argument.kinds, f"{name}.{argument.name} accepts nothing"
    assert len({spec.command for spec in COMMANDS.values()}) == len(COMMANDS)


def test_the_filter_topics_are_set_filters_arguments() -> None:
    assert [a.name for a in arguments_of(SetFilters)] == list(FILTER_TOPICS)


def test_events_are_registered_by_name() -> None:
    assert EVENTS["ready"] is EngineReady
    for name, event in EVENTS.items():
        assert event.name == name


def test_results_as_json_keep_the_wire_shape() -> None:
    view = MessageView(id="m", author="a", author_name="A", text="t", ts=1, mine=True)
    # views made for in-process fronts stay out of the JSON
    assert result_json(MessageSent(message="m", view=view)) == {"message": "m"}
    # "pending" only while true
    assert result_json(Joined(circle="c", name="n")) == {"circle": "c", "name": "n"}
    assert result_json(Joined(circle="c", name="n", pending=True))["pending"] is True


@dataclasses.dataclass(frozen=True)
class _Inner:
    plain: int
    self_harm: str = json_name("self-harm")


@dataclasses.dataclass(frozen=True)
class _Nested(Result):
    one: _Inner
    many: tuple[_Inner, ...]
    keyed: dict[str, _Inner]
    hidden: int = 0

    IN_PROCESS = frozenset({"hidden"})


def test_nested_views_keep_their_wire_names_at_any_depth() -> None:
    inner = _Inner(1, "show")
    written = json.dumps(result_json(_Nested(inner, (inner, inner), {"c": inner}, hidden=5)))
    wire = {"plain": 1, "self-harm": "show"}
    assert json.loads(written) == {"one": wire, "many": [wire, wire], "keyed": {"c": wire}}


@pytest.mark.parametrize("name", ["mute", "remove_member", "ban", "delete_message"])
def test_a_moderation_reason_is_optional_text(name: str) -> None:
    base: dict[str, Any] = (
        {"circle": "c", "message": "m"}
        if name == "delete_message"
        else {"circle": "c", "member": "m"}
    )
    if name == "mute":
        base["seconds"] = 60
    without = parse_command(name, base)
    assert dataclasses.asdict(without)["reason"] is None and command_arguments(without) == base
    given = {**base, "reason": "kept to the guidelines"}
    parsed = parse_command(name, given)
    assert dataclasses.asdict(parsed)["reason"] == "kept to the guidelines"
    assert command_arguments(parsed) == given  # and back
    for wrong in (5, None, ["a"], True):
        with pytest.raises(CommandError) as raised:
            parse_command(name, {**base, "reason": wrong})
        assert raised.value.refusal is Refusal.WRONG_TYPE
        assert raised.value.message == "'reason' must be text"


def test_a_moderation_entry_is_written_as_its_row_always_was() -> None:
    """Key for key and in the same order: the node's lines stay byte for byte."""
    settings = SettingsDetails("Be kind", True, False, 24, 30, 3)
    entry = ModerationEntryView("e1", "a1", "Ash", "settings", None, None, 7, 9, settings)
    row = result_json(ModerationLog((entry,)))["entries"][0]
    assert json.dumps(row) == json.dumps(
        {
            "id": "e1",
            "actor": "a1",
            "actor_name": "Ash",
            "action": "settings",
            "target": None,
            "target_name": None,
            "ts": 7,
            "lamport": 9,
            # the signed body's canonical order
            "details": {
                "guidelines": "Be kind",
                "join_approval": True,
                "members_invite": False,
                "flag_after_hours": 24,
                "slow_mode_seconds": 30,
                "harm_flags_to_hide": 3,
            },
        }
    )
    body = {name: getattr(settings, name) for name in json.loads(json.dumps(row))["details"]}
    assert list(decode(encode(body), 4096)) == list(row["details"])
    # a reason's key is always there ("" when none), so a front reads one shape
    muted = dataclasses.replace(entry, action="mute", details=MuteDetails(5))
    assert result_json(ModerationLog((muted,)))["entries"][0]["details"] == {
        "until": 5,
        "reason": "",
    }
    promoted = dataclasses.replace(entry, action="promote", details=NoDetails())
    assert result_json(ModerationLog((promoted,)))["entries"][0]["details"] == {}
    removed = dataclasses.replace(entry, action="remove", details=RemovalDetails("threats"))
    assert result_json(ModerationLog((removed,)))["entries"][0]["details"] == {"reason": "threats"}
    deleted = dataclasses.replace(entry, action="delete", details=MessageDetails("m1", "spam"))
    assert result_json(ModerationLog((deleted,)))["entries"][0]["details"] == {
        "message": "m1",
        "reason": "spam",
    }


def test_what_this_run_uses_is_written_as_it_always_was() -> None:
    tor = TorStatusView("bootstrapping", "conn_done", 45, "Connecting")
    settings = NetworkSettingsView("tor", "", "", "", CurrentNetworkView("tor", tor))
    assert result_json(settings)["current"] == {
        "mode": "tor",
        "tor": {
            "state": "bootstrapping",
            "phase": "conn_done",
            "progress": 45,
            "summary": "Connecting",
        },
    }
    direct = dataclasses.replace(settings, current=CurrentNetworkView("direct", None))
    assert result_json(direct)["current"] == {"mode": "direct", "tor": None}


def test_every_refusal_has_a_stable_code_and_a_text() -> None:
    assert len({refusal.value for refusal in Refusal}) == len(Refusal)
    for refusal in Refusal:
        assert refusal.template.strip(), refusal


def test_every_rule_reason_maps_to_a_refusal_and_the_core_gives_each() -> None:
    """RULE_REFUSALS is complete (a new RuleReason needs its Refusal, CIRCLE_RULE at
    least), and every RuleReason is one a rule still gives (named in core/ outside its
    own module), so the enum holds no reason nobody meets."""
    assert set(RULE_REFUSALS) == set(RuleReason)
    core = Path(__file__).resolve().parents[2] / "peerapp" / "core"
    sources = "".join(
        path.read_text(encoding="utf-8")
        for path in core.rglob("*.py")
        if "api" not in path.parts and path.name != "rule_reasons.py"
    )
    unused = [reason.name for reason in RuleReason if f"RuleReason.{reason.name}" not in sources]
    assert unused == []


def test_a_rule_reason_keeps_the_rules_words() -> None:
    """Values are the words the rules always used (logs and tests read the same)."""
    assert RuleReason.ALREADY_BANNED.value == "already banned"
    assert RuleReason.ONLY_FACILITATORS_DEMOTE.value == "only facilitators can demote"
    assert len({reason.value for reason in RuleReason}) == len(RuleReason)


def test_a_rule_reason_becomes_its_member_or_a_sentence() -> None:
    assert rule_refusal(RuleReason.ALREADY_BANNED) == (Refusal.ALREADY_BANNED, {})
    assert rule_text(RuleReason.ALREADY_BANNED) == "They are already banned from this circle."
    # no member of its own yet: its words, made a sentence, under circle_rule
    assert rule_refusal(RuleReason.ONLY_FACILITATORS_DEMOTE) == (
        Refusal.CIRCLE_RULE,
        {"reason": "Only facilitators can demote."},
    )
    assert rule_text(RuleReason.ONLY_FACILITATORS_DEMOTE) == "Only facilitators can demote."


def test_a_refusal_keeps_its_code_and_its_text() -> None:
    error = CommandError(Refusal.MISSING_ARGUMENT, command="mute", argument="seconds")
    assert error.refusal is Refusal.MISSING_ARGUMENT
    assert error.message == "mute needs the argument 'seconds'"
    # a text made elsewhere (a parser's) rides as the member's reason
    passed_on = CommandError(Refusal.BAD_QUIET_HOURS, reason="22:60 is not a time.")
    assert (passed_on.refusal, passed_on.message) == (
        Refusal.BAD_QUIET_HOURS,
        "22:60 is not a time.",
    )


@given(
    st.sampled_from(sorted(COMMANDS)),
    st.dictionaries(
        st.text(max_size=12),
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(),
            st.floats(),
            st.text(max_size=12),
            st.dictionaries(
                st.sampled_from(["start", "end", "x"]),
                st.one_of(st.text(max_size=5), st.integers()),
                max_size=3,
            ),
        ),
        max_size=4,
    ),
)
def test_any_input_is_either_accepted_unchanged_or_refused_with_command_error(
    command: str, arguments: dict[str, Any]
) -> None:
    try:
        parsed = parse_command(command, arguments)
    except CommandError as error:
        assert error.message
        return
    assert isinstance(parsed, COMMANDS[command].command)
    assert command_arguments(parsed) == arguments
