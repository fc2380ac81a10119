"""One variable across the waves (campaigns) of a series, side by side.

Each wave is compared with the wave before it: the change of each category's share in
percentage points, tested with a two-proportion z-test (pooled standard error); for a numeric
variable, the change of the mean, tested with Welch's t-test. Significant means p < ``alpha``.
No correction for multiple comparisons is made: with many categories, expect about one
"significant" change in twenty by chance alone.

Weighted waves (``weights``, each wave raked to its own margins): a category's share is its
weighted share in the wave, counts and bases stay the respondents. The change is tested with
the same two-proportion z-test on each wave's *effective* n, Kish's ``(Σw)² / Σw²`` over the
wave's valid answers: z = (p₂ − p₁) / √(p̄(1 − p̄)(1/n′₁ + 1/n′₂)), p̄ = (n′₁p₁ + n′₂p₂) /
(n′₁ + n′₂), p the weighted shares, n′ the effective n. Unequal weights cost precision (the
design effect n / n′), so a change that is significant unweighted may no longer be once
weighted; with equal weights the test is the unweighted one. A mean is compared with Welch's
t on the weighted means and variances over the effective n, its degrees of freedom by
Welch–Satterthwaite on those n′. The waves are independent samples, so no covariance term
enters; the weights are treated as fixed (the variance the raking itself removes is not
credited, which errs on the side of fewer "significant" changes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.codebook import Variable
from analysis.crosstab import one_hot
from analysis.frames import answered_mask, asked_mask
from analysis.weights import effective_n, kish_deff

ALPHA = 0.05


@dataclass(frozen=True)
class WaveComparison:
    """Frames with waves as columns, in wave order.

    Categorical variables: one row per category (value); ``counts`` respondents, ``values``
    shares of the wave's ``bases`` (respondents with an answer). Numeric: one row ``"mean"``;
    ``counts`` the n, ``values`` the means, ``std`` the standard deviations.
    ``changes``, ``p_values`` and ``significant`` have a column per wave but the first, each
    against the previous wave; changes in percentage points (categorical) or in the
    variable's unit (numeric). ``hidden`` is set by :func:`analysis.disclosure.suppress_waves`.
    """

    variable: Variable
    waves: tuple[str, ...]
    bases: pd.Series
    counts: pd.DataFrame
    values: pd.DataFrame
    changes: pd.DataFrame
    p_values: pd.DataFrame
    significant: pd.DataFrame
    std: pd.DataFrame | None = None
    hidden: pd.DataFrame | None = None
    k: int | None = None
    # weighted: each wave's effective n and Kish design effect over its valid answers
    n_effective: pd.Series | None = None
    deff: pd.Series | None = None


def order_waves(frame: pd.DataFrame) -> tuple[str, ...]:
    """Campaign keys in the order of their first submission."""
    first = frame.groupby(frame["campaign"].astype("string"), observed=True)["submitted_at"].min()
    return tuple(str(w) for w in first.sort_values(kind="stable").index)


def compare_waves(
    frame: pd.DataFrame,
    variable: Variable,
    waves: Sequence[str] | None = None,
    *,
    alpha: float = ALPHA,
    weights: pd.Series | None = None,
) -> WaveComparison:
    """Compare ``variable`` across the ``waves`` (default: every campaign, oldest first);
    with ``weights`` (the frame's index), weighted shares or means and design-adjusted tests
    (see the module's docstring)."""
    waves = tuple(waves) if waves is not None else order_waves(frame)
    campaign = frame["campaign"].astype("string").to_numpy(dtype=object, na_value=None)
    valid = answered_mask(frame, variable) & asked_mask(frame, variable)
    in_wave = np.stack([campaign == w for w in waves], axis=1) & valid[:, None]
    w = None
    if weights is not None:
        w = weights.reindex(frame.index).to_numpy(dtype=float, na_value=np.nan)
        w = np.where(np.isfinite(w), w, 0.0)
    if variable.kind == "numeric":
        return _compare_means(frame, variable, waves, in_wave, alpha, w)
    if not variable.is_categorical:
        raise ValueError(f"cannot compare waves of a {variable.kind} variable")
    picks = one_hot(frame, variable).astype(np.int64)
    counts = pd.DataFrame(
        picks.T @ in_wave.astype(np.int64), index=list(variable.categories), columns=list(waves)
    )
    bases = pd.Series(in_wave.sum(axis=0), index=list(waves), name="base")
    sizes = bases
    with np.errstate(invalid="ignore", divide="ignore"):
        if w is None:
            values = counts / bases.where(bases > 0)
        else:  # weighted shares; tested on each wave's effective n
            mass = in_wave * w[:, None]
            totals = pd.DataFrame(picks.T @ mass, index=counts.index, columns=list(waves))
            weighted_bases = pd.Series(mass.sum(axis=0), index=list(waves))
            values = totals / weighted_bases.where(weighted_bases > 0)
            sizes = _effective(w, in_wave, waves)
    later = list(waves[1:])
    changes = pd.DataFrame(index=counts.index, columns=later, dtype=float)
    p_values = changes.copy()
    for before, after in zip(waves, waves[1:], strict=False):
        changes[after] = (values[after] - values[before]) * 100
        if w is None:
            x1, x2 = counts[before].to_numpy(), counts[after].to_numpy()
        else:  # the weighted shares as counts out of the effective n
            x1 = values[before].fillna(0).to_numpy() * sizes[before]
            x2 = values[after].fillna(0).to_numpy() * sizes[after]
        p_values[after] = two_proportion_p(x1, sizes[before], x2, sizes[after])
    return WaveComparison(
        variable=variable,
        waves=waves,
        bases=bases,
        counts=counts,
        values=values,
        changes=changes,
        p_values=p_values,
        significant=(p_values < alpha),
        **({} if w is None else _precision(w, in_wave, waves)),
    )


def _effective(w: np.ndarray, in_wave: np.ndarray, waves: tuple[str, ...]) -> pd.Series:
    return pd.Series(
        [effective_n(w[in_wave[:, i]]) for i in range(len(waves))], index=list(waves), dtype=float
    )


def _precision(w: np.ndarray, in_wave: np.ndarray, waves: tuple[str, ...]) -> dict:
    deff = [
        kish_deff(w[in_wave[:, i]]) if in_wave[:, i].any() else np.nan for i in range(len(waves))
    ]
    return {
        "n_effective": _effective(w, in_wave, waves),
        "deff": pd.Series(deff, index=list(waves), dtype=float),
    }


def two_proportion_p(x1: np.ndarray, n1: int, x2: np.ndarray, n2: int) -> np.ndarray:
    """Two-sided p-values of the pooled two-proportion z-test, element-wise over categories.

    NaN when a wave has no respondents; 1 when both shares are 0 % or both 100 %. Weighted
    waves pass their weighted share times their effective n as ``x`` and that n as ``n``.
    """
    x1, x2 = np.asarray(x1, dtype=float), np.asarray(x2, dtype=float)
    if not n1 > 0 or not n2 > 0:
        return np.full(x1.shape, np.nan)
    pooled = (x1 + x2) / (n1 + n2)
    se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (x2 / n2 - x1 / n1) / se
    from scipy import stats  # on use: scipy takes a third of a second to import

    p = 2 * stats.norm.sf(np.abs(z))
    return np.where(se == 0, 1.0, p)


def _compare_means(
    frame: pd.DataFrame,
    variable: Variable,
    waves: tuple[str, ...],
    in_wave: np.ndarray,
    alpha: float,
    w: np.ndarray | None = None,
) -> WaveComparison:
    values = frame[variable.name].to_numpy(dtype=float, na_value=np.nan)
    rows = [in_wave[:, i] & ~np.isnan(values) for i in range(len(waves))]
    samples = [values[r] for r in rows]
    n = [len(s) for s in samples]
    extra: dict = {}
    if w is None:
        means = [s.mean() if len(s) else np.nan for s in samples]
        std = [s.std(ddof=1) if len(s) > 1 else np.nan for s in samples]
    else:
        described = [weighted_moments(values[r], w[r]) for r in rows]
        means, std, sizes = (list(column) for column in zip(*described, strict=True))
        extra = _precision(w, np.stack(rows, axis=1), waves)
    later = list(waves[1:])
    changes, p_values = [], []
    for i in range(1, len(waves)):
        changes.append(means[i] - means[i - 1])
        if w is None:
            p_values.append(welch_p(samples[i - 1], samples[i]))
        else:
            p_values.append(
                welch_p_summary(means[i - 1], std[i - 1], sizes[i - 1], means[i], std[i], sizes[i])
            )

    def row(data, columns):
        return pd.DataFrame([data], index=["mean"], columns=columns)

    p_frame = row(p_values, later).astype(float)
    return WaveComparison(
        variable=variable,
        waves=waves,
        bases=pd.Series(n, index=list(waves), name="base"),
        counts=row(n, list(waves)),
        values=row(means, list(waves)).astype(float),
        changes=row(changes, later).astype(float),
        p_values=p_frame,
        significant=p_frame < alpha,
        std=row(std, list(waves)).astype(float),
        **extra,
    )


def weighted_moments(values: np.ndarray, w: np.ndarray) -> tuple[float, float, float]:
    """Weighted mean, standard deviation (the weighted variance scaled by n / (n − 1)) and
    effective n of a wave's answers; NaN where there are too few."""
    total = w.sum()
    if len(values) == 0 or total <= 0:
        return np.nan, np.nan, 0.0
    mean = float(np.average(values, weights=w))
    n = len(values)
    variance = float(np.average((values - mean) ** 2, weights=w)) * n / (n - 1) if n > 1 else np.nan
    return mean, float(np.sqrt(variance)) if n > 1 else np.nan, effective_n(w)


def welch_p_summary(m1: float, s1: float, n1: float, m2: float, s2: float, n2: float) -> float:
    """Welch's t-test from two means, standard deviations and (effective) sizes; NaN when a
    side has fewer than two (effective) answers."""
    if not (n1 > 1 and n2 > 1) or np.isnan(s1) or np.isnan(s2):
        return float("nan")
    a, b = s1**2 / n1, s2**2 / n2
    if a + b == 0:
        return 1.0 if m1 == m2 else 0.0
    from scipy import stats

    t = (m2 - m1) / np.sqrt(a + b)
    dof = (a + b) ** 2 / (a**2 / (n1 - 1) + b**2 / (n2 - 1))
    return float(2 * stats.t.sf(abs(t), dof))


def welch_p(a: np.ndarray, b: np.ndarray) -> float:
    """Two-sided p-value of Welch's t-test; NaN when a sample has fewer than two values."""
    if len(a) < 2 or len(b) < 2:
        return float("nan")
    if np.var(a) == 0 and np.var(b) == 0:
        return 1.0 if a[0] == b[0] else 0.0
    from scipy import stats

    return float(stats.ttest_ind(a, b, equal_var=False).pvalue)
