"""The one registry of the contract: command type <-> wire name, result type, summary;
event name <-> event type. Argument checking of JSON input and the JSON of results are
derived from the dataclasses' fields here, so a field added to a command or result is
checked, accepted and answered everywhere at once.

Rules for a command from JSON (`parse_command`), in this order:
1. an unknown name is refused (UNKNOWN_COMMAND);
2. arguments the command does not take are refused, all of them named, sorted;
3. each field in declaration order: a required one (no default) that is missing is
   refused; a given one must be of the field's JSON kinds (text, a whole number, true or
   false, an object; null only where null is a value of its own). A bool never passes as
   a number nor the reverse. A field typed as a view (a dataclass with `from_json`, e.g.
   `set_break`'s quiet hours) takes an object, which the view reads (or refuses).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from typing import Any

from peerapp.core.api import (
    appearance,
    around,
    attachments,
    boundaries,
    circles,
    content,
    crisis,
    joins,
    messages,
    moderation,
    network,
    private_talk,
    safety,
    search,
    usage,
)
from peerapp.core.api.contract import (
    JSON_NAME,
    Command,
    CommandSpec,
    Result,
    Unset,
    registered,
)
from peerapp.core.api.refusals import Refusal
from peerapp.core.errors import CommandError
from peerapp.core.events import EngineEvent

# the feature modules register their commands when imported
FEATURES = (
    circles,
    messages,
    moderation,
    joins,
    safety,
    boundaries,
    network,
    usage,
    crisis,
    appearance,
    private_talk,
    attachments,
    content,
    around,
    search,
)

COMMANDS: dict[str, CommandSpec] = {spec.name: spec for spec in registered()}
_BY_TYPE: dict[type[Command[Any]], CommandSpec] = {spec.command: spec for spec in registered()}


def _all_events(base: type[EngineEvent]) -> list[type[EngineEvent]]:
    found: list[type[EngineEvent]] = []
    for sub in base.__subclasses__():
        found.append(sub)
        found.extend(_all_events(sub))
    return found


EVENTS: dict[str, type[EngineEvent]] = {event.name: event for event in _all_events(EngineEvent)}

_TYPE_NAMES: dict[type, str] = {
    str: "text",
    int: "a whole number",
    bool: "true or false",
    list: "a list",
    dict: "an object",
    type(None): "null",
}


def spec_of(command: Command[Any] | type[Command[Any]]) -> CommandSpec:
    kind = command if isinstance(command, type) else type(command)
    return _BY_TYPE[kind]


@dataclasses.dataclass(frozen=True)
class Argument:
    """One argument of a command as JSON sees it, derived from its dataclass field."""

    name: str  # on the wire
    field: str  # in the dataclass
    kinds: tuple[type, ...]  # the JSON kinds it takes
    required: bool
    view: Any = None  # a view it takes as an object: its `from_json` reads the object


def _is_view(kind: Any) -> bool:
    return dataclasses.is_dataclass(kind) and hasattr(kind, "from_json")


def _kinds(hint: Any, default: Any) -> tuple[type, ...]:
    members = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    kinds: list[type] = []
    for member in members:
        kind = typing.get_origin(member) or member
        if kind is Unset or (kind is type(None) and default is None):
            continue  # not a JSON value: the argument is absent
        kinds.append(dict if _is_view(kind) else kind)
    return tuple(kinds)


def _view(hint: Any) -> Any:
    members = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    return next((member for member in members if _is_view(member)), None)


def arguments_of(command: type[Command[Any]]) -> tuple[Argument, ...]:
    hints = typing.get_type_hints(command)
    return tuple(
        Argument(
            name=field.metadata.get(JSON_NAME, field.name),
            field=field.name,
            kinds=_kinds(hints[field.name], field.default),
            required=field.default is dataclasses.MISSING
            and field.default_factory is dataclasses.MISSING,
            view=_view(hints[field.name]),
        )
        for field in dataclasses.fields(command)
    )


_ARGUMENTS: dict[str, tuple[Argument, ...]] = {
    name: arguments_of(spec.command) for name, spec in COMMANDS.items()
}


def describe(kinds: tuple[type, ...]) -> str:
    return " or ".join(_TYPE_NAMES.get(kind, kind.__name__) for kind in kinds)


def parse_command(name: str, arguments: Mapping[str, Any]) -> Command[Any]:
    """The command `name` with these JSON arguments, or CommandError saying what is wrong
    (naming the argument, never repeating its value)."""
    spec = COMMANDS.get(name)
    if spec is None:
        raise CommandError(Refusal.UNKNOWN_COMMAND, command=name)
    expected = _ARGUMENTS[name]
    extra = sorted(set(arguments) - {argument.name for argument in expected})
    if extra:
        raise CommandError(Refusal.EXTRA_ARGUMENTS, command=name, arguments=", ".join(extra))
    values: dict[str, Any] = {}
    for argument in expected:
        if argument.name not in arguments:
            if argument.required:
                raise CommandError(Refusal.MISSING_ARGUMENT, command=name, argument=argument.name)
            continue
        value = arguments[argument.name]
        # bool is an int subclass; a flag must not pass as a number or the reverse
        wrong_bool = isinstance(value, bool) and bool not in argument.kinds
        if wrong_bool or not isinstance(value, argument.kinds):
            raise CommandError(
                Refusal.WRONG_TYPE, argument=argument.name, kind=describe(argument.kinds)
            )
        if argument.view is not None and isinstance(value, dict):
            value = argument.view.from_json(value)
        values[argument.field] = value
    return spec.command(**values)


def command_arguments(command: Command[Any]) -> dict[str, Any]:
    """A command's arguments as JSON would give them (absent ones left out)."""
    spec = spec_of(command)
    given: dict[str, Any] = {}
    for argument in _ARGUMENTS[spec.name]:
        value = getattr(command, argument.field)
        if (value is None and type(None) not in argument.kinds) or isinstance(value, Unset):
            continue
        given[argument.name] = _plain(value)
    return given


def result_json(result: Result) -> dict[str, Any]:
    """A result as the node's JSON reply carries it (its keys, beside `id` and `ok`)."""
    document: dict[str, Any] = {}
    for field in dataclasses.fields(result):
        if field.name in result.IN_PROCESS:
            continue
        value = getattr(result, field.name)
        if field.name in result.OMIT_DEFAULTS and value == field.default:
            continue
        document[field.metadata.get(JSON_NAME, field.name)] = _plain(value)
    return document


def _plain(value: Any) -> Any:
    """Views to dicts (keys as the wire spells them, `json_name`, at any depth; a nested
    result as its own JSON), tuples to lists: what json.dumps writes."""
    if isinstance(value, Result):
        return result_json(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        # a view may name fields left out while at their default, as a result does
        omit: frozenset[str] = getattr(value, "OMIT_DEFAULTS", frozenset())
        return {
            field.metadata.get(JSON_NAME, field.name): _plain(getattr(value, field.name))
            for field in dataclasses.fields(value)
            if field.name not in omit or getattr(value, field.name) != field.default
        }
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value
