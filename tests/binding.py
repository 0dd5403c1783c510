"""`bound`: a condition that sees a loop variable's value of now, typed.

A wait inside a loop often polls a condition on the loop variable. `lambda n=node: ...`
captures the value (so ruff's B023 holds) but mypy cannot type a lambda whose defaults
differ from the Callable[[], ...] it is passed as; `bound(node, lambda n: ...)` says the
same and mypy checks the body with `n` typed as `node` is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def bound(value: T, condition: Callable[[T], R]) -> Callable[[], R]:
    """`condition(value)`, to be called later (with the value bound now)."""
    return lambda: condition(value)
