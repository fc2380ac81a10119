"""Coded problems: what went wrong, where, and the values a message needs.

Code and parameters are the contract (tests assert on them); the prose lives in
``surveys.messages`` so it can be translated in one place.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, init=False)
class Problem:
    code: str
    where: str
    context: tuple[tuple[str, Any], ...]

    def __init__(self, code: str, where: str = "", **context: Any) -> None:
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "where", where)
        object.__setattr__(self, "context", tuple(context.items()))

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.context)

    def relocated(self, where: str, **extra: Any) -> "Problem":
        """The same problem pinned to another place (e.g. an XLSForm cell)."""
        return Problem(self.code, where, **{**self.params, **extra})

    def __repr__(self) -> str:
        extra = "".join(f", {k}={v!r}" for k, v in self.context)
        return f"Problem({self.code!r}, where={self.where!r}{extra})"


class ProblemsError(ValueError):
    """Raised where a result cannot be built at all; carries the coded problems."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(repr(p) for p in self.problems))


def codes(problems: Iterable[Problem]) -> list[str]:
    return [p.code for p in problems]


def by_where(problems: Iterable[Problem]) -> Mapping[str, list[Problem]]:
    grouped: dict[str, list[Problem]] = {}
    for problem in problems:
        grouped.setdefault(problem.where, []).append(problem)
    return grouped
