"""What each column of a responses frame means: the codebook, and the frame contract.

Every function of ``analysis`` takes a *responses frame* and the *codebook* that describes it.
Whoever builds the frame (``surveys`` from stored answers, or an import from elsewhere) follows
this contract:

One row per response, with these columns first:

=================  ==========================================================================
``response_id``    any hashable id, unique per row
``campaign``       ``str``, the wave key; several campaigns of one series are waves
``submitted_at``   ``datetime64`` (naive or tz-aware, one of them for the whole column)
``channel``        ``str`` (e.g. ``"link"``, ``"kiosk"``, ``"paper"``)
=================  ==========================================================================

Then, per :class:`Variable` of the codebook, by ``kind``:

``single``, ``ordinal``
    one column ``name``, a pandas ``Categorical`` whose categories are ``Variable.categories``
    in that (display) order; NA = no value.
``multi``
    one indicator column per choice, ``f"{name}/{value}"`` for each value of
    ``Variable.categories``, dtype ``bool`` or nullable ``boolean``; NA in every indicator of a
    row = the question was not answered (or not asked). All ``False`` = answered, none picked.
``numeric``
    one ``float`` column ``name`` (ratings 0-10, numbers, and the rank of a ranking item).
``text``
    one pandas ``string`` column ``name``.
``date``
    one ``datetime64`` column ``name``.

Where a relevance condition exists, ``Variable.asked_column`` names a ``bool`` column
(conventionally ``f"{name}.asked"``; several variables may share one). ``False`` there means the
question was skipped by the relevance condition: "not asked", reported apart from "no answer"
(asked but left empty). A variable without ``asked_column`` was asked to everyone.

Matrix questions arrive as one single/ordinal variable per row, named ``f"{q}/{row}"`` with
``question="q"``; ranking questions as one numeric rank variable per item, likewise named.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

import pandas as pd

Kind = Literal["single", "multi", "ordinal", "numeric", "text", "date"]

KINDS: tuple[str, ...] = ("single", "multi", "ordinal", "numeric", "text", "date")
CATEGORICAL_KINDS: frozenset[str] = frozenset({"single", "multi", "ordinal"})
META_COLUMNS: tuple[str, ...] = ("response_id", "campaign", "submitted_at", "channel")


def multi_column(name: str, value: str) -> str:
    """The indicator column of one choice of a multiple-choice variable."""
    return f"{name}/{value}"


def asked_column_for(name: str) -> str:
    """The conventional name of the "was asked" column of a question."""
    return f"{name}.asked"


@dataclass(frozen=True)
class Variable:
    """One analysable variable: a column (or, for multi, a group of indicator columns)."""

    name: str
    kind: Kind
    label: str = ""
    categories: tuple[str, ...] = ()
    # A read-only view, and left out of the hash so Variables stay hashable.
    category_labels: Mapping[str, str] = field(default_factory=dict, hash=False)
    asked_column: str | None = None
    section: str | None = None
    question: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r} for variable {self.name!r}")
        object.__setattr__(self, "categories", tuple(str(c) for c in self.categories))
        object.__setattr__(self, "category_labels", MappingProxyType(dict(self.category_labels)))
        if not self.label:
            object.__setattr__(self, "label", self.name)

    @property
    def is_categorical(self) -> bool:
        return self.kind in CATEGORICAL_KINDS

    @property
    def columns(self) -> tuple[str, ...]:
        """The frame columns holding this variable's values (not the asked column)."""
        if self.kind == "multi":
            return tuple(multi_column(self.name, value) for value in self.categories)
        return (self.name,)

    def label_of(self, value: str) -> str:
        """The display label of a category, falling back on the value itself."""
        return self.category_labels.get(value, value)

    def labels(self) -> tuple[str, ...]:
        """Display labels of all categories, in display order."""
        return tuple(self.label_of(value) for value in self.categories)


@dataclass(frozen=True)
class Codebook:
    """The ordered variables of a responses frame, looked up by name."""

    variables: tuple[Variable, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "variables", tuple(self.variables))
        names = [v.name for v in self.variables]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"duplicate variable names: {duplicates}")

    def __iter__(self) -> Iterator[Variable]:
        return iter(self.variables)

    def __len__(self) -> int:
        return len(self.variables)

    def __contains__(self, name: object) -> bool:
        return any(v.name == name for v in self.variables)

    def __getitem__(self, name: str) -> Variable:
        for variable in self.variables:
            if variable.name == name:
                return variable
        raise KeyError(name)

    def get(self, name: str) -> Variable | None:
        return next((v for v in self.variables if v.name == name), None)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(v.name for v in self.variables)

    def of_kind(self, *kinds: str) -> tuple[Variable, ...]:
        return tuple(v for v in self.variables if v.kind in kinds)

    def categorical(self) -> tuple[Variable, ...]:
        """Variables that can be filtered on, cross-tabulated and compared across waves."""
        return tuple(v for v in self.variables if v.is_categorical)

    def of_question(self, question: str) -> tuple[Variable, ...]:
        """The variables derived from one question (matrix rows, ranking items, or itself)."""
        return tuple(v for v in self.variables if (v.question or v.name) == question)

    @classmethod
    def of(cls, variables: Iterable[Variable]) -> Codebook:
        return cls(tuple(variables))


def describe_codebook(codebook: Codebook) -> pd.DataFrame:
    """The codebook as a table, one row per category (or one row for a non-categorical
    variable) — what the codebook sheet of an export shows."""
    rows = []
    for v in codebook:
        common = {
            "variable": v.name,
            "kind": v.kind,
            "label": v.label,
            "question": v.question or v.name,
            "section": v.section,
            "asked_column": v.asked_column,
        }
        if v.categories:
            for position, value in enumerate(v.categories, start=1):
                column = multi_column(v.name, value) if v.kind == "multi" else v.name
                rows.append(
                    common
                    | {
                        "column": column,
                        "position": position,
                        "value": value,
                        "value_label": v.label_of(value),
                    }
                )
        else:
            rows.append(
                common | {"column": v.name, "position": None, "value": None, "value_label": None}
            )
    columns = [
        "variable",
        "column",
        "kind",
        "label",
        "position",
        "value",
        "value_label",
        "question",
        "section",
        "asked_column",
    ]
    return pd.DataFrame(rows, columns=columns)
