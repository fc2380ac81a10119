"""Per-question summaries: counts and shares over the valid n, statistics by kind.

Every summary counts three groups apart: respondents with an answer (``n_valid``, the base of
every share), those asked who left it empty (``n_no_answer``), and those the relevance condition
skipped (``n_not_asked``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd

from analysis.codebook import Codebook, Variable
from analysis.frames import answered_mask, asked_mask, category_codes, indicators
from analysis.i18n import N_, gettext_for
from analysis.text import count_words

COUNT_COLUMNS = ["value", "label", "count", "share"]
MULTI_COLUMNS = [*COUNT_COLUMNS, "share_of_mentions"]
WEEK_COLUMNS = ["week", "week_start", "count"]


@dataclass(frozen=True)
class Summary:
    """One variable summarised.

    ``table`` depends on the kind:

    - single/ordinal: ``value, label, count, share`` (share of ``n_valid``), codebook order;
    - multi: the same plus ``share_of_mentions``; ``share`` is the share of respondents;
    - numeric: one row per statistic (``statistic, value``), also in ``stats``;
    - text: the most frequent words, ``word, count``; all answers in ``answers``;
    - date: counts by ISO week, ``week`` ("2013-W05"), ``week_start`` (Monday), ``count``.

    ``hidden`` is set by :func:`analysis.disclosure.suppress_summary`: True where a count is
    below k and is not to be shown (its ``count`` and shares are then NA).
    """

    variable: Variable
    n_rows: int
    n_valid: int
    n_no_answer: int
    n_not_asked: int
    table: pd.DataFrame
    stats: Mapping[str, float] = field(default_factory=dict, hash=False)
    # a text variable's answers, kept as the frame holds them: a tuple of a million Python
    # strings would outweigh the whole frame
    texts: pd.Series | None = field(default=None, repr=False, compare=False)
    hidden: pd.Series | None = None
    k: int | None = None
    # set by analysis.disclosure: the base is below k, no figure may be shown
    withheld: bool = False
    # a numeric variable's table: respondents per distinct value (for disclosure control)
    value_counts: pd.Series | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "stats", MappingProxyType(dict(self.stats)))

    @property
    def answers(self) -> tuple[str, ...]:
        return () if self.texts is None else tuple(self.texts.tolist())

    @property
    def n_asked(self) -> int:
        return self.n_rows - self.n_not_asked


def summarise(frame: pd.DataFrame, variable: Variable, *, top_words: int = 20) -> Summary:
    """Summarise one variable of a responses frame (see the frame contract in codebook)."""
    asked = asked_mask(frame, variable)
    answered = answered_mask(frame, variable) & asked
    counts = {
        "n_rows": len(frame),
        "n_valid": int(answered.sum()),
        "n_no_answer": int((asked & ~answered).sum()),
        "n_not_asked": int((~asked).sum()),
    }
    kind = variable.kind
    if kind in ("single", "ordinal"):
        table, stats = _summarise_categories(frame, variable, answered)
        return Summary(variable, **counts, table=table, stats=stats)
    if kind == "multi":
        return Summary(variable, **counts, table=_summarise_choices(frame, variable, answered))
    if kind == "numeric":
        values = frame[variable.name].to_numpy(dtype=float, na_value=np.nan)[answered]
        stats = describe_numbers(values)
        table = pd.DataFrame({"statistic": list(stats), "value": list(stats.values())})
        value_counts = pd.Series(values[~np.isnan(values)]).value_counts()
        return Summary(variable, **counts, table=table, stats=stats, value_counts=value_counts)
    if kind == "text":
        texts = frame[variable.name][answered].astype("string")  # blank ones are unanswered
        return Summary(variable, **counts, table=count_words(texts, limit=top_words), texts=texts)
    dates = pd.to_datetime(frame[variable.name][answered])
    return Summary(variable, **counts, table=count_by_week(dates))


def summarise_all(frame: pd.DataFrame, codebook: Codebook, *, top_words: int = 20) -> list[Summary]:
    """Summaries of every variable of the codebook, in codebook order."""
    return [summarise(frame, variable, top_words=top_words) for variable in codebook]


def _summarise_categories(
    frame: pd.DataFrame, variable: Variable, answered: np.ndarray
) -> tuple[pd.DataFrame, dict[str, float]]:
    k = len(variable.categories)
    codes = category_codes(frame, variable)[answered]
    codes = codes[codes >= 0]
    counts = np.bincount(codes, minlength=k)[:k]
    n = int(counts.sum())
    table = _count_table(variable, counts, n)
    stats: dict[str, float] = {}
    if variable.kind == "ordinal" and k:
        stats = describe_scale(counts)
    return table, stats


def describe_scale(counts: np.ndarray) -> dict[str, float]:
    """Statistics of an ordinal scale from its counts, categories scored 1..k in order.

    ``median`` is the median score (x.5 between two categories, as pandas computes it);
    ``median_position`` is the first category reaching half of the answers, which always
    names a category. ``top2_share`` is the share of the two highest categories, the last
    two of the codebook order (a scale runs from least to most).
    """
    counts = np.asarray(counts, dtype=np.int64)
    n = int(counts.sum())
    k = len(counts)
    if n == 0:
        nan = float("nan")
        return {"n": 0, "mean": nan, "median": nan, "median_position": nan, "top2_share": nan}
    positions = np.arange(1, k + 1)
    cumulative = np.cumsum(counts)
    # The median of n sorted scores is the mean of the scores at ranks (n+1)//2 and n//2+1.
    low = positions[np.searchsorted(cumulative, (n + 1) // 2)]
    high = positions[np.searchsorted(cumulative, n // 2 + 1)]
    return {
        "n": n,
        "mean": float((positions * counts).sum() / n),
        "median": float(low + high) / 2,
        "median_position": float(positions[np.searchsorted(cumulative, n / 2)]),
        "top2_share": float(counts[-2:].sum() / n),
    }


def _summarise_choices(
    frame: pd.DataFrame, variable: Variable, answered: np.ndarray
) -> pd.DataFrame:
    picks = indicators(frame, variable)[answered]
    counts = picks.sum(axis=0).astype(np.int64)
    table = _count_table(variable, counts, int(answered.sum()))
    mentions = int(counts.sum())
    table["share_of_mentions"] = counts / mentions if mentions else np.nan
    return table


def _count_table(variable: Variable, counts: np.ndarray, base: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "value": list(variable.categories),
            "label": list(variable.labels()),
            "count": np.asarray(counts, dtype=np.int64),
            "share": counts / base if base else np.full(len(counts), np.nan),
        }
    )


def describe_numbers(values: np.ndarray) -> dict[str, float]:
    """n, mean, median, quartiles (linear interpolation, as pandas), min, max, std."""
    values = values[~np.isnan(values)]
    if len(values) == 0:
        nan = float("nan")
        return dict.fromkeys(("mean", "std", "min", "q1", "median", "q3", "max"), nan) | {"n": 0}
    q1, median, q3 = np.quantile(values, [0.25, 0.5, 0.75])
    return {
        "n": len(values),
        "mean": float(values.mean()),
        "std": float(values.std(ddof=1)) if len(values) > 1 else float("nan"),
        "min": float(values.min()),
        "q1": float(q1),
        "median": float(median),
        "q3": float(q3),
        "max": float(values.max()),
    }


def count_by_week(dates: pd.Series) -> pd.DataFrame:
    """Counts by ISO week, every week from the first to the last present (empty weeks = 0)."""
    dates = pd.to_datetime(pd.Series(dates)).dropna()
    if dates.empty:
        return pd.DataFrame({"week": [], "week_start": pd.to_datetime([]), "count": []}).astype(
            {"count": "int64"}
        )
    if dates.dt.tz is not None:
        dates = dates.dt.tz_localize(None)
    monday = (dates.dt.normalize() - pd.to_timedelta(dates.dt.day_of_week, unit="D")).dt.normalize()
    counts = monday.value_counts()
    weeks = pd.date_range(monday.min(), monday.max(), freq="7D")
    counts = counts.reindex(weeks, fill_value=0)
    iso = weeks.isocalendar()
    labels = [f"{y}-W{w:02d}" for y, w in zip(iso["year"], iso["week"], strict=True)]
    return pd.DataFrame(
        {"week": labels, "week_start": weeks, "count": counts.to_numpy(dtype=np.int64)}
    )


# Table headers shown to users; keys are the columns of Summary.table.
COUNT_HEADER = N_("Number of respondents")
_HEADERS = {
    "label": N_("Answer"),
    "count": COUNT_HEADER,
    "share": N_("Share of respondents"),
    "share_of_mentions": N_("Share of mentions"),
    "statistic": N_("Statistic"),
    "value": N_("Value"),
    "word": N_("Word"),
    "week": N_("Week"),
    "week_start": N_("Week starting"),
}
_STATISTICS = {
    "n": N_("Number of answers"),
    "mean": N_("Mean"),
    "std": N_("Standard deviation"),
    "min": N_("Minimum"),
    "q1": N_("First quartile"),
    "median": N_("Median"),
    "q3": N_("Third quartile"),
    "max": N_("Maximum"),
}
NO_ANSWER = N_("No answer")
NOT_ASKED = N_("Not asked")
TOTAL = N_("Total")
OCCURRENCES = N_("Occurrences")


def summary_table(summary: Summary, lang: str = "fr") -> pd.DataFrame:
    """The summary as shown to people: translated headers, and for categorical variables the
    "No answer" and "Not asked" rows after the categories (their shares left empty, since
    shares are of the valid answers) and a total of valid answers.

    Counts stay numbers (NA where suppressed); formatting is left to the presentation.
    """
    _ = gettext_for(lang)
    table = summary.table.copy()
    kind = summary.variable.kind
    if kind == "numeric":
        table["statistic"] = [_(_STATISTICS.get(s, s)) for s in table["statistic"]]
    if summary.variable.is_categorical:
        table = table.drop(columns="value")
        table["count"] = table["count"].astype("Int64")
        if summary.hidden is not None:
            table.loc[summary.hidden.to_numpy(), "count"] = pd.NA
        extra = pd.DataFrame(
            {
                "label": [_(TOTAL), _(NO_ANSWER), _(NOT_ASKED)],
                "count": pd.array(
                    [summary.n_valid, summary.n_no_answer, summary.n_not_asked], dtype="Int64"
                ),
            }
        )
        extra.loc[0, "share"] = 1.0 if summary.n_valid else np.nan
        table = pd.concat([table, extra], ignore_index=True)
    headers = _HEADERS | ({"count": OCCURRENCES} if kind == "text" else {})
    return table.rename(columns={c: _(h) for c, h in headers.items()})


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def summary_rows(summary: Summary, lang: str = "fr") -> tuple[list[str], list[tuple]]:
    """What :func:`summary_table` holds, as headers and rows of plain values (missing ones
    None), built without a DataFrame for categorical variables: a page prints a table per
    card, and building each through pandas cost more than computing the summaries."""
    if not summary.variable.is_categorical:
        frame = summary_table(summary, lang)
        rows = [
            tuple(None if _missing(v) else v for v in row)
            for row in frame.itertuples(index=False, name=None)
        ]
        return [str(c) for c in frame.columns], rows
    _ = gettext_for(lang)
    table = summary.table
    columns = [c for c in table.columns if c != "value"]
    columns += [c for c in ("label", "count", "share") if c not in columns]
    values = {c: table[c].tolist() if c in table.columns else [None] * len(table) for c in columns}
    counts = [None if _missing(v) else int(v) for v in values["count"]]
    if summary.hidden is not None:
        counts = [None if h else c for c, h in zip(counts, summary.hidden.tolist(), strict=True)]
    values["count"] = counts
    extra = {
        "label": [_(TOTAL), _(NO_ANSWER), _(NOT_ASKED)],
        "count": [summary.n_valid, summary.n_no_answer, summary.n_not_asked],
        "share": [1.0 if summary.n_valid else None, None, None],
    }
    rows = [tuple(None if _missing(values[c][i]) else values[c][i] for c in columns)
            for i in range(len(table))]  # fmt: skip
    rows += [tuple(extra.get(c, [None] * 3)[i] for c in columns) for i in range(3)]
    return [_(_HEADERS.get(c, c)) for c in columns], rows
