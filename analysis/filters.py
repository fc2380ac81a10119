"""Filters on responses: categorical values and a date range, combined with AND.

A query dict, as a web page sends it (``{"gender": ["f"], "from": "2013-01-01"}``), is parsed
into filters; what cannot be used becomes a coded :class:`~analysis.problems.Problem` and is
left out, so a stale link still shows results.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from analysis.codebook import Codebook
from analysis.frames import category_codes, indicators
from analysis.problems import Problem

# Meta columns that can be filtered on although no variable describes them; any value goes.
FREE_COLUMNS = ("campaign", "channel")
FROM_KEY, TO_KEY = "from", "to"


@dataclass(frozen=True)
class Filter:
    """Keep responses whose answer to ``variable`` is one of ``values`` (multi: any of them)."""

    variable: str
    values: tuple[str, ...]

    def mask(self, frame: pd.DataFrame, codebook: Codebook) -> np.ndarray:
        variable = codebook.get(self.variable)
        if variable is None:
            return (
                frame[self.variable]
                .astype("string")
                .isin(self.values)
                .fillna(False)
                .to_numpy(dtype=bool)
            )
        positions = [i for i, c in enumerate(variable.categories) if c in self.values]
        if variable.kind == "multi":
            return indicators(frame, variable)[:, positions].any(axis=1)
        return np.isin(category_codes(frame, variable), positions)


@dataclass(frozen=True)
class DateRange:
    """Keep responses submitted from ``start`` to ``end``, both days included; None = open."""

    start: date | None = None
    end: date | None = None

    def mask(self, frame: pd.DataFrame, codebook: Codebook) -> np.ndarray:
        submitted = frame["submitted_at"]
        keep = np.ones(len(frame), dtype=bool)
        tz = getattr(submitted.dt, "tz", None)
        if self.start is not None:
            keep &= (submitted >= _bound(self.start, tz)).to_numpy(dtype=bool, na_value=False)
        if self.end is not None:
            # Up to the end of that day: "to 31 March" includes answers of 31 March evening.
            after = _bound(self.end, tz) + pd.Timedelta(days=1)
            keep &= (submitted < after).to_numpy(dtype=bool, na_value=False)
        return keep


Condition = Filter | DateRange


def _bound(day: date, tz) -> pd.Timestamp:
    stamp = pd.Timestamp(day).normalize()
    return stamp.tz_localize(tz) if tz is not None else stamp


def filter_mask(
    frame: pd.DataFrame, codebook: Codebook, conditions: Iterable[Condition]
) -> np.ndarray:
    """True for the rows meeting every condition (all rows when there is none)."""
    keep = np.ones(len(frame), dtype=bool)
    for condition in conditions:
        keep &= condition.mask(frame, codebook)
    return keep


def apply_filters(
    frame: pd.DataFrame, codebook: Codebook, conditions: Iterable[Condition]
) -> pd.DataFrame:
    return frame[filter_mask(frame, codebook, conditions)]


def parse_filters(
    query: Mapping[str, str | Sequence[str]], codebook: Codebook
) -> tuple[list[Condition], list[Problem]]:
    """Filters from a plain query dict, and the problems met in it.

    Keys are variable names (or ``campaign``/``channel``) mapped to one value or a list;
    ``from`` and ``to`` are ISO dates bounding ``submitted_at``. Unknown variables, values not
    in the codebook and bad dates are reported (codes ``FILTER_UNKNOWN_VARIABLE``,
    ``FILTER_NOT_CATEGORICAL``, ``FILTER_UNKNOWN_VALUE``, ``FILTER_BAD_DATE``,
    ``FILTER_EMPTY_RANGE``) and ignored. Empty values are ignored silently (an empty form field).
    """
    conditions: list[Condition] = []
    problems: list[Problem] = []
    bounds: dict[str, date | None] = {FROM_KEY: None, TO_KEY: None}
    for key, raw in query.items():
        values = [v for v in _as_list(raw) if v != ""]
        if not values:
            continue
        if key in bounds:
            bounds[key] = _parse_date(key, values[-1], problems)
            continue
        if key in FREE_COLUMNS:
            conditions.append(Filter(key, tuple(dict.fromkeys(values))))
            continue
        variable = codebook.get(key)
        if variable is None:
            problems.append(Problem("FILTER_UNKNOWN_VARIABLE", key))
            continue
        if not variable.is_categorical:
            problems.append(Problem("FILTER_NOT_CATEGORICAL", key, {"kind": variable.kind}))
            continue
        known = [v for v in dict.fromkeys(values) if v in variable.categories]
        problems.extend(
            Problem("FILTER_UNKNOWN_VALUE", key, {"value": v})
            for v in values
            if v not in variable.categories
        )
        if known:
            conditions.append(Filter(key, tuple(known)))
    start, end = bounds[FROM_KEY], bounds[TO_KEY]
    if start is not None and end is not None and start > end:
        problems.append(Problem("FILTER_EMPTY_RANGE", FROM_KEY, {"from": start, "to": end}))
    elif start is not None or end is not None:
        conditions.append(DateRange(start, end))
    return conditions, problems


def filters_to_query(conditions: Iterable[Condition]) -> dict[str, list[str]]:
    """The query dict that :func:`parse_filters` turns back into these conditions."""
    query: dict[str, list[str]] = {}
    for condition in conditions:
        if isinstance(condition, Filter):
            query[condition.variable] = list(condition.values)
        else:
            if condition.start is not None:
                query[FROM_KEY] = [condition.start.isoformat()]
            if condition.end is not None:
                query[TO_KEY] = [condition.end.isoformat()]
    return query


def _as_list(raw: str | Sequence[str]) -> list[str]:
    if isinstance(raw, str):
        return [raw]
    return [str(v) for v in raw]


def _parse_date(key: str, text: str, problems: list[Problem]) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        problems.append(Problem("FILTER_BAD_DATE", key, {"value": text}))
        return None


@dataclass(frozen=True)
class FilterPart:
    """One value of an applied filter as people read it ("Tu es… = Une fille"): a chip on the
    results pages, a line in an export or a report. ``key``/``value`` are its query pair."""

    key: str
    value: str
    label: str
    value_label: str


# Labels of the meta filters: English gettext ids, translated by ``gettext``.
META_LABELS = {
    "campaign": "Wave",
    "channel": "Channel",
    FROM_KEY: "Answered from",
    TO_KEY: "Answered until",
}


def filter_parts(
    conditions: Iterable[Condition], codebook: Codebook, gettext=lambda text: text
) -> list[FilterPart]:
    """Every value of every condition, labelled by its variable (or meta column) and value."""
    parts: list[FilterPart] = []
    for condition in conditions:
        if isinstance(condition, Filter):
            variable = codebook.get(condition.variable)
            label = (
                variable.label or variable.name
                if variable is not None
                else gettext(META_LABELS.get(condition.variable, condition.variable))
            )
            for value in condition.values:
                shown = variable.label_of(value) if variable is not None else value
                parts.append(FilterPart(condition.variable, value, label, shown))
            continue
        for key, day in ((FROM_KEY, condition.start), (TO_KEY, condition.end)):
            if day is not None:
                parts.append(
                    FilterPart(key, day.isoformat(), gettext(META_LABELS[key]), f"{day:%d/%m/%Y}")
                )
    return parts


def describe_filters(parts: Sequence[FilterPart], gettext=lambda text: text) -> str:
    """One line naming the filter ("Filter: Tu es… = Une fille · Channel = web"), values of one
    variable joined by "or"; empty when nothing is filtered."""
    if not parts:
        return ""
    grouped: dict[str, list[str]] = {}
    for part in parts:
        grouped.setdefault(part.label, []).append(part.value_label)
    either = f" {gettext('or')} "
    clauses = [f"{label} = {either.join(values)}" for label, values in grouped.items()]
    return gettext("Filter: %(filters)s") % {"filters": " · ".join(clauses)}
