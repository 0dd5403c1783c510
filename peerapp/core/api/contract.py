"""The shape of the contract between the engine and its fronts (GUI, node, tests).

Rules:
- A command is a frozen dataclass subclassing `Command`; its fields are its arguments.
  A field without a default is required; a field defaulting to None is optional and None
  means "not given"; a field defaulting to UNSET is optional where null is a value of its
  own (e.g. `quiet_hours: null` clears, absent keeps).
- A result is a frozen dataclass subclassing `Result`; its fields are the reply's keys.
  Fields named in IN_PROCESS are for in-process fronts only (views the GUI uses) and stay
  out of the node's JSON; fields named in OMIT_DEFAULTS are left out of the JSON while
  they hold their default (the wire format omits them).
- A field whose JSON name is not a Python name (`self-harm`) says it in its metadata
  (`json_name(...)`).
- A command names its result type as its parameter, `SendMessage(Command[MessageSent])`,
  so `bridge.request(SendMessage(...))` is typed `Future[MessageSent]` for mypy, and the
  registry reads the result type from there (one place).
- `@command(name, summary)` registers a command type; registry.py gathers them.
"""

from __future__ import annotations

import enum
import typing
from collections.abc import Callable
from dataclasses import MISSING, dataclass, field
from typing import Any, ClassVar, Generic, TypeVar


class Unset(enum.Enum):
    """An optional argument that was not given, where None (JSON null) is a value."""

    UNSET = "unset"


UNSET = Unset.UNSET
JSON_NAME = "json_name"


def json_name(name: str, default: Any = MISSING) -> Any:
    """A dataclass field spelled `name` on the wire (required unless given a default)."""
    return field(default=default, metadata={JSON_NAME: name})


@dataclass(frozen=True)
class Result:
    """Base of every command's result; subclasses are frozen dataclasses of its keys."""

    IN_PROCESS: ClassVar[frozenset[str]] = frozenset()
    OMIT_DEFAULTS: ClassVar[frozenset[str]] = frozenset()


@dataclass(frozen=True)
class Done(Result):
    """The result of a command that answers nothing but that it was done: `{}`."""


R_co = TypeVar("R_co", bound=Result, covariant=True)


@dataclass(frozen=True)
class Command(Generic[R_co]):
    """Base of every command; subclasses are frozen dataclasses of their arguments, and
    name their result type as the parameter."""


@dataclass(frozen=True)
class CommandSpec:
    name: str
    command: type[Command[Any]]
    result: type[Result]
    summary: str
    # answered by the front itself, never by the engine (`quit`)
    front_only: bool = False


_REGISTERED: list[CommandSpec] = []

C = TypeVar("C", bound=type[Command[Any]])


def result_type(cls: type[Command[Any]]) -> type[Result]:
    """The result type a command class names as its parameter (also through a base)."""
    for klass in cls.__mro__:
        for base in getattr(klass, "__orig_bases__", ()):
            if typing.get_origin(base) is Command:
                (result,) = typing.get_args(base)
                if isinstance(result, type) and issubclass(result, Result):
                    return result
    raise TypeError(f"{cls.__name__} does not name its result: subclass Command[ItsResult]")


def command(name: str, summary: str, *, front_only: bool = False) -> Callable[[C], C]:
    """Register a command type under its wire name."""

    def register(cls: C) -> C:
        _REGISTERED.append(CommandSpec(name, cls, result_type(cls), summary, front_only))
        return cls

    return register


def registered() -> tuple[CommandSpec, ...]:
    return tuple(_REGISTERED)
