"""What may be published of a summary, a cross-tab, a wave comparison, and on which rows
(rules 1, 4 and 5 of :mod:`analysis.disclosure`)."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from analysis.crosstab import CrossTab
from analysis.disclosure.audit import K, Line, protect
from analysis.disclosure.tables import TOTAL_KEY, suppress_table
from analysis.i18n import N_, gettext_for
from analysis.summaries import Summary
from analysis.waves import WaveComparison
from analysis.weights import margin_points

FEWER_THAN_K = N_("fewer than %(k)s answers")

# Rounding of what is published (digits after the point).
STAT_DIGITS = {"mean": 2, "std": 2, "median": 2, "median_position": 0, "q1": 2, "q3": 2}
SHARE_DIGITS = 3
MARGIN_DIGITS = 1  # margins of error, in points
TEST_DIGITS = {"statistic": 2, "p_value": 3, "cramers_v": 2}


def fewer_than_k(k: int, lang: str = "fr") -> str:
    """What a withheld question says: « moins de 5 réponses »."""
    return gettext_for(lang)(FEWER_THAN_K) % {"k": k}


def _round(value: float, digits: int) -> float:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return float("nan")
    return round(float(value), digits)


def withhold_summary(summary: Summary, k: int) -> Summary:
    """The summary with no figure but the number of responses: its base is below k."""
    table = summary.table.copy()
    for column in ("count", "share", "share_of_mentions"):
        if column in table:
            table[column] = pd.array(
                [pd.NA] * len(table), dtype="Int64" if column == "count" else "Float64"
            )
    if summary.variable.kind == "numeric":
        table["value"] = np.nan
    if summary.variable.kind == "text":
        table = table.iloc[0:0]
    return dataclasses.replace(
        summary,
        table=table,
        stats={},
        texts=None,
        hidden=pd.Series(True, index=table.index),
        k=k,
        n_valid=None,
        n_no_answer=None,
        n_not_asked=None,
        withheld=True,
    )


def suppress_summary(summary: Summary, k: int = K, *, suppress_zeros: bool = False) -> Summary:
    """The summary as it may leave the commission.

    The categories are protected with the base ``n_valid`` (published) as their total; the
    counts of "no answer" and "not asked" are shown only when neither is below k. Statistics are kept only when no count is hidden, rounded.
    Text: only words said k times or more, never the answers. A summary whose base is below
    k, or that cannot be protected, is withheld (``withheld``; no figure).
    """
    if summary.n_valid < k:
        return withhold_summary(summary, k)
    kind = summary.variable.kind
    table = summary.table.copy()
    counts = (
        table["count"].to_numpy(dtype=np.int64)
        if summary.variable.is_categorical or kind == "date"
        else np.zeros(0, dtype=np.int64)
    )
    m = len(counts)
    values = np.append(counts, summary.n_valid)
    lines = [Line(tuple(range(m)), m)] if kind in ("single", "ordinal", "date") and m else []
    fixed = np.zeros(m + 1, dtype=bool)
    fixed[m] = True  # the base is published
    hidden = protect(values, lines, k, margins=fixed, fixed=fixed, suppress_zeros=suppress_zeros)
    if hidden is None:
        return withhold_summary(summary, k)
    cells = hidden[:m]
    # No answer and not asked add up to the responses minus the base, which names no answer;
    # one of them small would be that sum minus the other: both go, or both stay. With
    # nobody "not asked" (a zero is never hidden) the "no answer" is that difference itself
    # and cannot be protected: it is a count of blanks, not of anyone's answer, and stays.
    small = summary.n_not_asked > 0 and any(
        0 < n < k for n in (summary.n_no_answer, summary.n_not_asked)
    )
    changes: dict = {"n_no_answer": None, "n_not_asked": None} if small else {}
    any_hidden = bool(cells.any())
    if summary.variable.is_categorical or kind == "date":
        for column in ("count", "share", "share_of_mentions"):
            if column in table:
                dtype = "Int64" if column == "count" else "Float64"
                table[column] = table[column].astype(dtype)
                if column != "count":
                    table[column] = table[column].round(SHARE_DIGITS)
                table.loc[cells, column] = pd.NA
        if any_hidden and "share_of_mentions" in table:
            # shares of mentions give the number of mentions: the sum of the hidden counts
            table["share_of_mentions"] = pd.array([pd.NA] * len(table), dtype="Float64")
        stats = {} if any_hidden else _rounded_stats(summary.stats)
        return dataclasses.replace(
            summary, table=table, stats=stats, hidden=pd.Series(cells), k=k, **changes
        )
    if kind == "numeric":
        publish = bool(summary.stats) and _every_value_shared(summary, k)
        stats = _rounded_stats(summary.stats) if publish else {"n": summary.n_valid}
        table["value"] = [stats.get(s, np.nan) for s in table["statistic"]]
        hidden_rows = pd.Series([s not in stats for s in table["statistic"]], index=table.index)
        return dataclasses.replace(
            summary, table=table, stats=stats, hidden=hidden_rows, k=k, **changes
        )
    # text: the answers never leave; words said fewer than k times are left out
    table = table[table["count"] >= k].reset_index(drop=True)
    return dataclasses.replace(
        summary,
        table=table,
        texts=None,
        hidden=pd.Series(False, index=table.index),
        k=k,
        **changes,
    )


def suppress_summaries(summaries: list[Summary], frame: pd.DataFrame, k: int = K) -> list[Summary]:
    """Every summary as it may leave the commission (:func:`suppress_summary`), with the
    split of non-answers decided together for the variables asked of the same people.

    A grid's rows, a ranking's items, a question's "other" text (and questions whose
    conditions pick the same respondents) share one "not asked" count: shown for one of
    them, it gives another's hidden "no answer" as the responses minus that one's base minus
    it. So when one of them hides its split, all of them do. A variable asked of everyone
    has nobody "not asked": its "no answer" is the responses minus its base, published or
    not, and is not a protected count."""
    published = [suppress_summary(s, k) for s in summaries]
    groups: dict[bytes, list[int]] = {}
    asked_by: dict[str, bytes] = {}  # one "asked" column serves all of a question's variables
    for i, summary in enumerate(published):
        column = summary.variable.asked_column
        if summary.withheld or column is None or column not in frame.columns:
            continue
        if column not in asked_by:
            asked = frame[column].fillna(False).to_numpy(dtype=bool)
            asked_by[column] = np.packbits(asked).tobytes()
        groups.setdefault(asked_by[column], []).append(i)
    for members in groups.values():
        if any(published[i].n_not_asked is None for i in members):
            for i in members:
                published[i] = dataclasses.replace(published[i], n_no_answer=None, n_not_asked=None)
    return published


def _rounded_stats(stats) -> dict[str, float]:
    out = {}
    for name, value in stats.items():
        if name == "n":
            out[name] = value
        elif name == "top2_share":
            out[name] = _round(value, SHARE_DIGITS)
        else:
            out[name] = _round(value, STAT_DIGITS.get(name, 2))
    return out


def _every_value_shared(summary: Summary, k: int) -> bool:
    """A numeric variable's table is the count of each distinct value: its statistics (the
    minimum and maximum above all) may go out only when every value is held by k or more."""
    counts = summary.value_counts
    return counts is not None and len(counts) > 0 and bool((counts >= k).all())


def published_margins(summary: Summary) -> list[float | None]:
    """The 95 % margin of error, in points, of each category of a published summary (rows of
    its table, in order), from what is published only: the rounded share and the published
    base (``n_valid``, or the effective n when the summary is weighted). A hidden cell, a
    withheld summary or a missing base gives None: an interval is never a way back to a
    suppressed count."""
    table = summary.table
    if summary.withheld or "share" not in table.columns or not summary.n_valid:
        return [None] * len(table)
    n = summary.stats.get("n_effective", summary.n_valid)
    hidden = (
        summary.hidden.to_numpy(dtype=bool)
        if summary.hidden is not None
        else np.zeros(len(table), dtype=bool)
    )
    margins: list[float | None] = []
    for i, share in enumerate(table["share"]):
        if (i < len(hidden) and hidden[i]) or share is None or pd.isna(share):
            margins.append(None)
            continue
        published = round(float(share), SHARE_DIGITS)
        margins.append(round(margin_points(published, float(n)), MARGIN_DIGITS))
    return margins


# --- cross-tabs and waves -------------------------------------------------------------------


def suppress_crosstab(table: CrossTab, k: int = K, *, suppress_zeros: bool = False) -> CrossTab:
    """The cross-tab as it may leave the commission: hidden cells (and any hidden margin)
    lose their counts and shares; ``hidden`` is the mask over the counts with their margins
    (``TOTAL_KEY`` row and column). The test (chi-square, p, V) is kept only when no count is
    hidden, rounded, without its expected counts. Fewer than k respondents, or a table that
    cannot be protected: ``withheld``, everything hidden."""
    rows_exact = table.column.kind != "multi"  # each person in one column: rows add up
    columns_exact = table.row.kind != "multi"
    result = suppress_table(
        table.counts,
        k,
        row_totals=True if rows_exact else table.row_totals,
        column_totals=True if columns_exact else table.column_totals,
        grand_total=table.n,
        suppress_zeros=suppress_zeros,
        rows_exact=rows_exact,
        columns_exact=columns_exact,
        fixed_grand_total=True,
    )
    if not rows_exact or not columns_exact:
        # the margins are respondents, not sums: set them back where the table holds them
        result.counts.loc[table.counts.index, TOTAL_KEY] = table.row_totals.to_numpy()
        result.counts.loc[TOTAL_KEY, table.counts.columns] = table.column_totals.to_numpy()
    withheld = table.n < k or result.withheld
    hidden = result.hidden
    if withheld:
        hidden = pd.DataFrame(True, index=hidden.index, columns=hidden.columns)
    cells = hidden.loc[table.counts.index, table.counts.columns]
    row_margin = hidden.loc[table.counts.index, TOTAL_KEY]
    column_margin = hidden.loc[TOTAL_KEY, table.counts.columns]
    # A share of a cell with a hidden total would give that total away.
    row_hide = cells | np.asarray(row_margin)[:, None]
    column_hide = cells | np.asarray(column_margin)[None, :]
    test = table.test
    if test is not None:
        if bool(hidden.to_numpy().any()):
            test = None
        else:
            test = dataclasses.replace(
                test,
                statistic=_round(test.statistic, TEST_DIGITS["statistic"]),
                p_value=_round(test.p_value, TEST_DIGITS["p_value"]),
                cramers_v=_round(test.cramers_v, TEST_DIGITS["cramers_v"]),
                expected=test.expected.iloc[0:0, 0:0],
            )
    return dataclasses.replace(
        table,
        counts=table.counts.astype("Int64").mask(cells),
        row_totals=table.row_totals.astype("Int64").mask(row_margin),
        column_totals=table.column_totals.astype("Int64").mask(column_margin),
        row_shares=table.row_shares.mask(row_hide).round(SHARE_DIGITS),
        column_shares=table.column_shares.mask(column_hide).round(SHARE_DIGITS),
        test=test,
        hidden=hidden,
        k=k,
        withheld=withheld,
    )


def suppress_waves(
    comparison: WaveComparison, k: int = K, *, suppress_zeros: bool = False
) -> WaveComparison:
    """The wave comparison as it may leave the commission.

    A wave answered by fewer than k people is withheld whole (its base too). Each other wave
    is a column protected with its base as total (rows have no published total: a wave's
    categories are not summed across waves). Hidden counts lose their share, and a change
    (with its test) is withheld when either of its two cells is hidden. Numeric: the mean of
    a wave is shown when k or more answered, rounded."""
    waves = list(comparison.waves)
    numeric = comparison.variable.kind == "numeric"
    small = comparison.bases < k
    if numeric:
        cells = pd.DataFrame(
            np.asarray(small)[None, :].repeat(len(comparison.counts), axis=0),
            index=comparison.counts.index,
            columns=waves,
        )
        totals = pd.DataFrame([list(small)], index=[TOTAL_KEY], columns=waves)
    else:
        columns = {}
        exact = comparison.variable.kind != "multi"
        for wave in waves:
            column = comparison.counts[wave].to_numpy(dtype=np.int64)
            base = int(comparison.bases[wave])
            values = np.append(column, base)
            mask = None
            if base >= k:
                line = Line(tuple(range(len(column))), len(column), exact)
                margins = np.zeros(len(values), dtype=bool)
                margins[-1] = True
                fixed = ~margins  # placeholder, replaced below
                fixed = np.zeros(len(values), dtype=bool)
                fixed[-1] = True  # the base of a wave is published beside it
                mask = protect(
                    values, [line], k, margins=margins, fixed=fixed, suppress_zeros=suppress_zeros
                )
            if mask is None:
                mask = np.ones(len(values), dtype=bool)
            columns[wave] = mask
        full = pd.DataFrame(columns, index=[*comparison.counts.index, TOTAL_KEY])
        cells = full.loc[comparison.counts.index, waves]
        totals = full.loc[[TOTAL_KEY], waves]
    hidden = pd.concat([cells, totals]).astype(bool)
    pairs = pd.DataFrame(
        {
            after: cells[before] | cells[after]
            for before, after in zip(waves, waves[1:], strict=False)
        },
        index=cells.index,
        columns=waves[1:],
    ).astype(bool)
    std = comparison.std.mask(cells).round(2) if comparison.std is not None else None
    bases = comparison.bases.astype("Int64").mask(np.asarray(totals.iloc[0], dtype=bool))
    values = comparison.values.mask(cells)
    values = values.round(2 if numeric else SHARE_DIGITS)
    return dataclasses.replace(
        comparison,
        bases=bases,
        counts=comparison.counts.astype("Int64").mask(cells),
        values=values,
        changes=comparison.changes.mask(pairs).round(2),
        p_values=comparison.p_values.mask(pairs).round(3),
        significant=comparison.significant & ~pairs,
        std=std,
        hidden=hidden,
        k=k,
    )


# --- rows ------------------------------------------------------------------------------------


def public_rows(
    frame: pd.DataFrame, k: int = K, *, by: str | None = "campaign", order: str = "response_id"
) -> pd.DataFrame:
    """The responses public figures are computed on: in each wave (``by``), the first
    ``floor(n / k) * k`` in submission order (``order``), so that a public figure moves only
    in steps of k responses and two readings never differ by one person."""
    if frame.empty:
        return frame
    order_key = frame[order].to_numpy() if order in frame.columns else np.arange(len(frame))
    groups = (
        frame[by].astype("string").fillna("").to_numpy(dtype=object)
        if by is not None and by in frame.columns
        else np.zeros(len(frame), dtype=object)
    )
    keep = np.zeros(len(frame), dtype=bool)
    for group in pd.unique(groups):
        rows = np.flatnonzero(groups == group)
        rows = rows[np.argsort(order_key[rows], kind="stable")]
        keep[rows[: len(rows) // k * k]] = True
    return frame[keep]
