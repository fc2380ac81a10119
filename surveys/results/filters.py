"""The filters of a results page: read from the query, applied to the frame, offered."""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from analysis.filters import (
    Condition,
    FilterPart,
    apply_filters,
    describe_filters,
    filter_parts,
    filters_to_query,
    parse_filters,
)
from surveys.channels import channel_name
from surveys.results.cache import ResultsData
from surveys.results.messages import Message, explain, gettext_for


@dataclass(frozen=True)
class Filtered:
    """The rows kept by a query's filters, the conditions, and the problems met."""

    frame: pd.DataFrame
    conditions: tuple[Condition, ...]
    problems: tuple[Message, ...]
    key: tuple  # hashable, canonical form of the applied filters

    @property
    def query(self) -> dict[str, list[str]]:
        return filters_to_query(self.conditions)


FILTER_KEYS = ("from", "to", "campaign", "channel")


def filter_results(data: ResultsData, query: Mapping[str, Any]) -> Filtered:
    """Apply the filters of a query (variable names → values, ``from``/``to`` dates); keys
    that are not filters (``row``, ``col``, ``q``, ``public``...) must be removed first."""
    conditions, problems = parse_filters(query, data.codebook)
    key = tuple(sorted((k, tuple(v)) for k, v in filters_to_query(conditions).items()))

    def build() -> pd.DataFrame:
        return apply_filters(data.frame, data.codebook, conditions) if conditions else data.frame

    frame = data.memo(("frame", key), build)
    return Filtered(frame, tuple(conditions), tuple(explain(problems)), key)


# Query keys of the results pages that are not filters.
NOT_FILTERS = frozenset(
    {
        "q",
        "row",
        "col",
        "search",
        "labels",
        "v",
        "public",
        "format",
        "separator",
        "scope",
        "weighted",
        "waves",
        "min_n",
    }
)


def filter_query(query: Mapping[str, Any]) -> dict[str, list[str]]:
    """The keys of a request query that are meant as filters (unknown ones included, so that
    a stale link gets a message)."""
    return {
        key: [value] if isinstance(value, str) else list(value)
        for key, value in query.items()
        if key not in NOT_FILTERS
    }


@dataclass(frozen=True)
class FilterOption:
    name: str
    label: str
    options: tuple[tuple[str, str], ...]  # (value, label)
    selected: tuple[str, ...]


def filter_options(data: ResultsData, applied: Filtered) -> list[FilterOption]:
    """What the filter bar offers: each single-choice or scale question, the channel, and the
    wave when several campaigns are shown."""
    query = applied.query
    _ = gettext_for(data.lang)
    out = []
    if len(data.campaigns) > 1:
        waves = tuple((c.key, c.key) for c in data.campaigns)
        out.append(FilterOption("campaign", _("Wave"), waves, tuple(query.get("campaign", ()))))
    for variable in data.codebook.of_kind("single", "ordinal"):
        if "/" in variable.name:
            continue  # matrix rows: too many to filter on
        options = tuple(zip(variable.categories, variable.labels(), strict=True))
        out.append(
            FilterOption(
                variable.name, variable.label, options, tuple(query.get(variable.name, ()))
            )
        )
    channels = sorted(str(c) for c in data.frame["channel"].dropna().unique())
    out.append(
        FilterOption(
            "channel",
            _("Channel"),
            tuple((c, channel_name(c, _)) for c in channels),
            tuple(query.get("channel", ())),
        )
    )
    return out


def filter_parts_of(data: ResultsData, applied: Filtered, gettext=None) -> list[FilterPart]:
    """Every value of the active filter as people read it: a question's answer by its label,
    a channel by its name (« Canal = Papier »)."""
    gettext = gettext or gettext_for(data.lang)
    return [
        replace(part, value_label=channel_name(part.value, gettext))
        if part.key == "channel"
        else part
        for part in filter_parts(applied.conditions, data.codebook, gettext)
    ]


def filter_text(data: ResultsData, applied: Filtered) -> str:
    """The active filter in one line ("Filtre : Tu es… = Une fille"), empty when none: what
    exports and the report built from a filtered view say about themselves."""
    gettext = gettext_for(data.lang)
    return describe_filters(filter_parts_of(data, applied, gettext), gettext)
