"""Survey weights: raking to population margins, their design effect, and what follows.

Margins are plain data, ``{variable: {category: share}}``, one variable at a time; a crossed
margin (age × sex) is raked as one variable whose values are the pairs, built by the caller.

Raking is iterative proportional fitting (Deming–Stephan): each pass scales the weights so
that each variable's weighted shares hit its targets, until every share is within the
tolerance. Trimming clamps weights into ``bounds`` (relative to the mean weight) and rakes
again, as ``survey::trimWeights`` followed by a new ``rake`` would. A small numpy loop rather
than a dependency: samplics pulls in polars and statsmodels for the same forty lines, and
ipfn has not been released since 2021.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from analysis.crosstab import CrossTab, one_hot
from analysis.frames import answered_mask, asked_mask, category_codes, indicators
from analysis.problems import Problem
from analysis.summaries import Summary

Margins = Mapping[str, Mapping[str, float]]

SHARE_TOLERANCE = 1e-6  # shares of a variable may sum to 1 within this
TRIM_ROUNDS = 100  # rake, trim, rake again: enough when the bounds can be met at all


@dataclass(frozen=True)
class Raking:
    """``weights`` has the frame's index and mean 1 over the weighted rows; rows missing a
    raking variable are raked on the others (their share of that variable is left as it is)."""

    weights: pd.Series
    converged: bool
    iterations: int
    max_error: float  # largest |weighted share - target| over every margin, at the end
    trimmed: int  # weights sitting on a bound at the end
    bounds: tuple[float, float] | None


def check_margins(frame: pd.DataFrame, margins: Margins) -> list[Problem]:
    """What keeps these margins from being raked on: unknown variables, shares that do not
    sum to 1, negative shares, a category with a share but no respondent."""
    problems: list[Problem] = []
    for variable, targets in margins.items():
        if variable not in frame.columns:
            problems.append(Problem("W_UNKNOWN_VARIABLE", variable))
            continue
        shares = np.array(list(targets.values()), dtype=float)
        if (shares < 0).any() or not np.isfinite(shares).all():
            problems.append(Problem("W_NEGATIVE_SHARE", variable))
        elif abs(shares.sum() - 1) > SHARE_TOLERANCE:
            problems.append(Problem("W_SHARES_SUM", variable, {"total": float(shares.sum())}))
        seen = set(frame[variable].dropna().astype(str))
        for category, share in targets.items():
            if share > 0 and str(category) not in seen:
                problems.append(Problem("W_EMPTY_CATEGORY", variable, {"value": str(category)}))
    return problems


def uncovered(frame: pd.DataFrame, margins: Margins) -> list[Problem]:
    """Answers in a category the margins leave out ("prefers not to say"): those respondents
    are raked on the other variables only, as if they had not answered this one."""
    problems = []
    for variable, targets in margins.items():
        if variable in frame.columns:
            seen = _values(frame[variable])
            for category in sorted(seen - set(map(str, targets))):
                problems.append(Problem("W_CATEGORY_NOT_IN_MARGIN", variable, {"value": category}))
    return problems


def rake(
    frame: pd.DataFrame,
    margins: Margins,
    *,
    bounds: tuple[float, float] | None = None,
    tolerance: float = 1e-9,
    max_iterations: int = 500,
    base: pd.Series | None = None,
) -> Raking:
    """Weights whose weighted shares equal ``margins``; ``base`` are starting weights.

    Raises ``ValueError`` with the problems of :func:`check_margins` when there are any.
    """
    problems = check_margins(frame, margins)
    if problems:
        raise ValueError(problems)
    n = len(frame)
    weights = np.ones(n) if base is None else base.to_numpy(dtype=float).copy()
    coded = [_codes(frame[variable], targets) for variable, targets in margins.items()]
    iterations, error, converged, trimmed = 0, np.inf, False, 0
    for _ in range(TRIM_ROUNDS if bounds else 1):
        done, error, converged = _ipf(weights, coded, tolerance, max_iterations)
        iterations += done
        weights /= weights.mean() if n else 1
        if bounds is None or _within(weights, bounds):
            break
        trimmed = _trim(weights, bounds)
        error = _max_error(weights, coded)
        converged = error <= tolerance
    if bounds is not None and n:
        trimmed = int((np.isclose(weights, bounds[0]) | np.isclose(weights, bounds[1])).sum())
    series = pd.Series(weights, index=frame.index, name="weight")
    return Raking(series, converged, iterations, float(error), trimmed, bounds)


def _within(weights: np.ndarray, bounds: tuple[float, float]) -> bool:
    return bool(((weights >= bounds[0] - 1e-12) & (weights <= bounds[1] + 1e-12)).all())


def _trim(weights: np.ndarray, bounds: tuple[float, float]) -> int:
    """Clamp the weights (mean 1) into ``bounds`` and rescale to mean 1, until both hold."""
    for _ in range(100):
        np.clip(weights, bounds[0], bounds[1], out=weights)
        weights /= weights.mean()
        if _within(weights, bounds):
            break
    np.clip(weights, bounds[0], bounds[1], out=weights)
    return int((np.isclose(weights, bounds[0]) | np.isclose(weights, bounds[1])).sum())


def _values(column: pd.Series) -> set[str]:
    return {str(value) for value in pd.unique(column.dropna())}


def _codes(column: pd.Series, targets: Mapping[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """Each row's category number in ``targets``, -1 for no answer or one left out."""
    position = {str(c): i for i, c in enumerate(targets)}
    found, uniques = pd.factorize(column, use_na_sentinel=True)
    lookup = np.array([position.get(str(u), -1) for u in uniques] + [-1], dtype=np.int64)
    codes = lookup[found]  # found is -1 for NA, which reads the trailing -1
    return codes, np.array([targets[c] for c in targets], dtype=float)


def _ipf(
    weights: np.ndarray, coded: Sequence[tuple[np.ndarray, np.ndarray]], tol: float, most: int
) -> tuple[int, float, bool]:
    """Scale ``weights`` in place, variable after variable, until a whole pass leaves every
    weighted share within ``tol`` of its target (the error is read off the pass itself)."""
    steps = []
    for codes, targets in coded:
        present = codes >= 0
        whole = bool(present.all())
        steps.append((codes if whole else codes[present], None if whole else present, targets))
    error = np.inf
    for iteration in range(1, most + 1):
        error = 0.0
        for codes, present, targets in steps:
            w = weights if present is None else weights[present]
            totals = np.bincount(codes, w, minlength=len(targets))
            answered = totals.sum()
            if answered <= 0:
                continue
            error = max(error, float(np.abs(totals / answered - targets).max()))
            factors = np.divide(
                targets * answered, totals, out=np.ones_like(totals), where=totals > 0
            )
            if present is None:
                weights *= factors[codes]
            else:
                weights[present] = w * factors[codes]
        if error <= tol:
            return iteration, _max_error(weights, coded), True
    return most, _max_error(weights, coded), False


def _max_error(weights: np.ndarray, coded: Sequence[tuple[np.ndarray, np.ndarray]]) -> float:
    worst = 0.0
    for codes, targets in coded:
        present = codes >= 0
        totals = np.bincount(codes[present], weights[present], minlength=len(targets))
        if totals.sum() > 0:
            worst = max(worst, float(np.abs(totals / totals.sum() - targets).max()))
    return worst


def weighted_shares(column: pd.Series, weights: pd.Series) -> pd.Series:
    """Weighted share of each value among the rows that have one."""
    weights = weights.reindex(column.index)
    present = column.notna()
    totals = weights[present].groupby(column[present].astype(str), observed=True).sum()
    return totals / totals.sum()


# --- precision --------------------------------------------------------------------------


def kish_deff(weights: pd.Series | np.ndarray) -> float:
    """Kish's design effect of unequal weights: n Σw² / (Σw)² (1 for equal weights)."""
    w = np.asarray(weights, dtype=float)
    w = w[np.isfinite(w)]
    if not len(w) or w.sum() == 0:
        return 1.0
    return float(len(w) * (w**2).sum() / w.sum() ** 2)


def effective_n(weights: pd.Series | np.ndarray) -> float:
    """(Σw)² / Σw²: the sample size that would give the same precision without weights."""
    w = np.asarray(weights, dtype=float)
    w = w[np.isfinite(w)]
    return float(w.sum() ** 2 / (w**2).sum()) if len(w) and (w**2).sum() else 0.0


def wilson_interval(share: float, n: float, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of a share; ``n`` may be an effective n (weighted figures)."""
    if n <= 0:
        return (0.0, 1.0)
    from scipy import stats  # on use: scipy takes a third of a second to import

    z = float(stats.norm.ppf(0.5 + confidence / 2))
    denominator = 1 + z**2 / n
    centre = (share + z**2 / (2 * n)) / denominator
    half = z * np.sqrt(share * (1 - share) / n + z**2 / (4 * n**2)) / denominator
    return (max(0.0, float(centre - half)), min(1.0, float(centre + half)))


def margin_points(share: float, n: float, confidence: float = 0.95) -> float:
    """The margin of error of a share in percentage points, "± x pts": half the width of its
    Wilson interval (``n`` an effective n for weighted shares); NaN without a share."""
    if share is None or pd.isna(share) or not n > 0:
        return float("nan")
    low, high = wilson_interval(float(share), n, confidence)
    return (high - low) * 50


# --- Rao–Scott -----------------------------------------------------------------------


@dataclass(frozen=True)
class RaoScott:
    """Pearson's X² on the weighted table divided by the mean generalised design effect
    (Rao & Scott 1981, first-order correction), referred to χ² with (r-1)(c-1) d.f."""

    pearson: float
    mean_deff: float
    statistic: float
    dof: int
    p_value: float


def rao_scott(rows: pd.Series, columns: pd.Series, weights: pd.Series) -> RaoScott:
    """Independence test of two categorical variables under unequal weights.

    The generalised design effects are the eigenvalues of Δ = (C'D⁻¹C/n)⁻¹ (C'D⁻¹VD⁻¹C),
    with C the interaction contrasts orthogonal to the main effects, D the cell shares and V
    the linearised (with-replacement) covariance of the weighted cell shares: the same
    construction as ``survey::svychisq(statistic = "Chisq")`` for a design with weights only.
    """
    keep = rows.notna() & columns.notna() & weights.notna()
    r = pd.Categorical(rows[keep].astype(str))
    c = pd.Categorical(columns[keep].astype(str))
    w = weights[keep].to_numpy(dtype=float)
    n, nr, nc = len(w), len(r.categories), len(c.categories)
    cell = r.codes + nr * c.codes  # R's expand.grid order: rows vary fastest
    indicator = np.zeros((n, nr * nc))
    indicator[np.arange(n), cell] = 1.0
    p = w @ indicator / w.sum()
    table = p.reshape(nc, nr).T
    expected = np.outer(table.sum(axis=1), table.sum(axis=0))
    pearson = float(n * np.sum((table - expected) ** 2 / expected))
    z = w[:, None] * (indicator - p) / w.sum()
    covariance = n / (n - 1) * z.T @ z
    contrasts = _interaction_contrasts(nr, nc)
    inverse = np.diag(np.divide(1.0, p, out=np.zeros_like(p), where=p > 0))
    denominator = contrasts.T @ (inverse / n) @ contrasts
    numerator = contrasts.T @ inverse @ covariance @ inverse @ contrasts
    delta = np.linalg.solve(denominator, numerator)
    dof = (nr - 1) * (nc - 1)
    mean = float(np.trace(delta) / dof)
    statistic = pearson / mean
    from scipy import stats

    return RaoScott(pearson, mean, statistic, dof, float(stats.chi2.sf(statistic, dof)))


def _interaction_contrasts(nr: int, nc: int) -> np.ndarray:
    """The row × column interaction columns, residualised on intercept and main effects."""
    rows = np.tile(np.arange(nr), nc)
    cols = np.repeat(np.arange(nc), nr)
    main = np.column_stack(
        [np.ones(nr * nc)]
        + [(rows == i).astype(float) for i in range(1, nr)]
        + [(cols == j).astype(float) for j in range(1, nc)]
    )
    interaction = np.column_stack(
        [((rows == i) & (cols == j)).astype(float) for j in range(1, nc) for i in range(1, nr)]
    )
    fitted = main @ np.linalg.lstsq(main, interaction, rcond=None)[0]
    return interaction - fitted


# --- weighted summaries -----------------------------------------------------------------


def with_intervals(summary: Summary, n: float | None = None) -> Summary:
    """The summary's table with ``ci_low``/``ci_high``: the 95 % Wilson interval of each
    share over ``n`` (the valid n by default; an effective n for weighted shares)."""
    table = summary.table
    if "share" not in table.columns:
        return summary
    base = summary.n_valid if n is None else n
    bounds = [
        wilson_interval(float(s), base) if pd.notna(s) else (np.nan, np.nan) for s in table["share"]
    ]
    table = table.assign(ci_low=[low for low, _ in bounds], ci_high=[high for _, high in bounds])
    return replace(summary, table=table)


def weighted_summary(summary: Summary, frame: pd.DataFrame, weights: pd.Series) -> Summary:
    """The same summary with weighted shares (and mean for a scale or a number).

    Counts stay the respondents counted, so small-cell rules keep working on real people;
    ``stats`` gains ``deff`` and ``n_effective`` of the weights among the valid answers, and
    the intervals use that effective n.
    """
    variable = summary.variable
    asked = asked_mask(frame, variable)
    answered = answered_mask(frame, variable) & asked
    w = weights.reindex(frame.index).to_numpy(dtype=float)
    w = np.where(np.isfinite(w), w, 0.0)
    kind = variable.kind
    stats = dict(summary.stats)
    table = summary.table.copy()
    if kind in ("single", "ordinal"):
        codes = category_codes(frame, variable)
        keep = answered & (codes >= 0)
        totals = np.bincount(codes[keep], w[keep], minlength=len(variable.categories))
        table["share"] = totals / totals.sum() if totals.sum() else np.nan
        if kind == "ordinal" and totals.sum():
            positions = np.arange(1, len(totals) + 1)
            stats["mean"] = float((positions * totals).sum() / totals.sum())
            stats["top2_share"] = float(totals[-2:].sum() / totals.sum())
    elif kind == "multi":
        picks = indicators(frame, variable)[answered]
        totals = (picks * w[answered][:, None]).sum(axis=0)
        base = w[answered].sum()
        table["share"] = totals / base if base else np.nan
        mentions = totals.sum()
        table["share_of_mentions"] = totals / mentions if mentions else np.nan
    elif kind == "numeric":
        values = frame[variable.name].to_numpy(dtype=float, na_value=np.nan)
        keep = answered & ~np.isnan(values)
        if w[keep].sum():
            mean = float(np.average(values[keep], weights=w[keep]))
            stats["mean"] = mean
            table.loc[table["statistic"] == "mean", "value"] = mean
    else:
        return summary
    valid = w[answered]
    stats["deff"] = kish_deff(valid)
    stats["n_effective"] = effective_n(valid)
    weighted = replace(summary, table=table, stats=stats)
    return with_intervals(weighted, stats["n_effective"])


def weighted_crosstab(table: CrossTab, frame: pd.DataFrame, weights: pd.Series) -> CrossTab:
    """The cross-tab with weighted row and column shares and, for two single-answer
    questions, the Rao–Scott adjusted test in place of Pearson's. Counts stay respondents;
    cells hidden by suppression stay hidden."""
    row, column = table.row, table.column
    both = (
        answered_mask(frame, row)
        & answered_mask(frame, column)
        & asked_mask(frame, row)
        & asked_mask(frame, column)
    )
    w = weights.reindex(frame.index).fillna(0).to_numpy(dtype=float)[both]
    r = one_hot(frame, row)[both].astype(float)
    c = one_hot(frame, column)[both].astype(float)
    cells = pd.DataFrame(
        (r * w[:, None]).T @ c, index=table.counts.index, columns=table.counts.columns
    )
    row_totals = pd.Series((r * w[:, None]).sum(axis=0), index=cells.index)
    column_totals = pd.Series((c * w[:, None]).sum(axis=0), index=cells.columns)
    with np.errstate(invalid="ignore", divide="ignore"):
        row_shares = cells.div(row_totals.where(row_totals > 0), axis=0)
        column_shares = cells.div(column_totals.where(column_totals > 0), axis=1)
    if table.hidden is not None:
        row_shares = row_shares.mask(table.hidden)
        column_shares = column_shares.mask(table.hidden)
    test = table.test
    if test is not None and not test.multiple_response:
        adjusted = rao_scott(frame[row.name][both], frame[column.name][both], weights[both])
        smaller = min(table.counts.shape) - 1
        v = np.sqrt(adjusted.pearson / (len(w) * smaller)) if smaller > 0 and len(w) else np.nan
        test = replace(
            test,
            statistic=adjusted.statistic,
            p_value=adjusted.p_value,
            dof=adjusted.dof,
            cramers_v=float(v),
            yates=False,
        )
    return replace(table, row_shares=row_shares, column_shares=column_shares, test=test)
