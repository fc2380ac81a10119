"""One variable across the waves (campaigns) of a series, side by side.

Each wave is compared with the wave before it: the change of each category's share in
percentage points, tested with a two-proportion z-test (pooled standard error); for a numeric
variable, the change of the mean, tested with Welch's t-test. Significant means p < ``alpha``.
No correction for multiple comparisons is made: with many categories, expect about one
"significant" change in twenty by chance alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from analysis.codebook import Variable
from analysis.crosstab import one_hot
from analysis.frames import answered_mask, asked_mask

ALPHA = 0.05


@dataclass(frozen=True)
class WaveComparison:
    """Frames with waves as columns, in wave order.

    Categorical variables: one row per category (value); ``counts`` respondents, ``values``
    shares of the wave's ``bases`` (respondents with an answer). Numeric: one row ``"mean"``;
    ``counts`` the n, ``values`` the means, ``std`` the standard deviations.
    ``changes``, ``p_values`` and ``significant`` have a column per wave but the first, each
    against the previous wave; changes in percentage points (categorical) or in the
    variable's unit (numeric). ``hidden`` is set by :func:`analysis.suppression.suppress_waves`.
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
) -> WaveComparison:
    """Compare ``variable`` across the ``waves`` (default: every campaign, oldest first)."""
    waves = tuple(waves) if waves is not None else order_waves(frame)
    campaign = frame["campaign"].astype("string").to_numpy(dtype=object, na_value=None)
    valid = answered_mask(frame, variable) & asked_mask(frame, variable)
    in_wave = np.stack([campaign == w for w in waves], axis=1) & valid[:, None]
    if variable.kind == "numeric":
        return _compare_means(frame, variable, waves, in_wave, alpha)
    if not variable.is_categorical:
        raise ValueError(f"cannot compare waves of a {variable.kind} variable")
    picks = one_hot(frame, variable).astype(np.int64)
    counts = pd.DataFrame(
        picks.T @ in_wave.astype(np.int64), index=list(variable.categories), columns=list(waves)
    )
    bases = pd.Series(in_wave.sum(axis=0), index=list(waves), name="base")
    with np.errstate(invalid="ignore", divide="ignore"):
        values = counts / bases.where(bases > 0)
    later = list(waves[1:])
    changes = pd.DataFrame(index=counts.index, columns=later, dtype=float)
    p_values = changes.copy()
    for before, after in zip(waves, waves[1:], strict=False):
        changes[after] = (values[after] - values[before]) * 100
        p_values[after] = two_proportion_p(
            counts[before].to_numpy(), bases[before], counts[after].to_numpy(), bases[after]
        )
    return WaveComparison(
        variable=variable,
        waves=waves,
        bases=bases,
        counts=counts,
        values=values,
        changes=changes,
        p_values=p_values,
        significant=(p_values < alpha),
    )


def two_proportion_p(x1: np.ndarray, n1: int, x2: np.ndarray, n2: int) -> np.ndarray:
    """Two-sided p-values of the pooled two-proportion z-test, element-wise over categories.

    NaN when a wave has no respondents; 1 when both shares are 0 % or both 100 %.
    """
    x1, x2 = np.asarray(x1, dtype=float), np.asarray(x2, dtype=float)
    if n1 == 0 or n2 == 0:
        return np.full(x1.shape, np.nan)
    pooled = (x1 + x2) / (n1 + n2)
    se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (x2 / n2 - x1 / n1) / se
    p = 2 * stats.norm.sf(np.abs(z))
    return np.where(se == 0, 1.0, p)


def _compare_means(
    frame: pd.DataFrame,
    variable: Variable,
    waves: tuple[str, ...],
    in_wave: np.ndarray,
    alpha: float,
) -> WaveComparison:
    values = frame[variable.name].to_numpy(dtype=float, na_value=np.nan)
    samples = [values[in_wave[:, i] & ~np.isnan(values)] for i in range(len(waves))]
    n = [len(s) for s in samples]
    means = [s.mean() if len(s) else np.nan for s in samples]
    std = [s.std(ddof=1) if len(s) > 1 else np.nan for s in samples]
    later = list(waves[1:])
    changes, p_values = [], []
    for i in range(1, len(waves)):
        changes.append(means[i] - means[i - 1])
        p_values.append(welch_p(samples[i - 1], samples[i]))

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
    )


def welch_p(a: np.ndarray, b: np.ndarray) -> float:
    """Two-sided p-value of Welch's t-test; NaN when a sample has fewer than two values."""
    if len(a) < 2 or len(b) < 2:
        return float("nan")
    if np.var(a) == 0 and np.var(b) == 0:
        return 1.0 if a[0] == b[0] else 0.0
    return float(stats.ttest_ind(a, b, equal_var=False).pvalue)
