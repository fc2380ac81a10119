"""The waves of a series compared, question by question."""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.charts import waves_chart
from analysis.disclosure import suppress_waves
from analysis.formats import below_k, format_number, format_points, format_share
from analysis.waves import WaveComparison, compare_waves
from surveys.results.cache import ResultsData
from surveys.results.filters import Filtered
from surveys.results.messages import gettext_for
from surveys.results.tables import Table
from surveys.results.weighting import weights_key

# Respondents a wave needs, by default, before it is compared (shown, tested) with another.
MIN_WAVE_N = 30


@dataclass(frozen=True)
class WavesView:
    comparison: WaveComparison
    table: Table
    alt_text: str
    withheld: tuple[str, ...] = ()  # public: waves answered by fewer than k people


def comparable(data: ResultsData) -> list[tuple[str, str]]:
    return [(v.name, v.label) for v in data.codebook if v.is_categorical or v.kind == "numeric"]


def waves_of(
    data: ResultsData,
    applied: Filtered,
    name: str,
    k: int | None = None,
    weights: pd.Series | None = None,
):
    """The comparison of ``name`` across the waves; weighted with ``weights`` (each wave
    raked to its margins, surveys.results.weighting), never for a public (``k``) view."""
    if k and weights is not None:
        raise ValueError("public figures are never weighted")

    def build() -> WaveComparison:
        waves = [c.key for c in data.campaigns]
        comparison = compare_waves(applied.frame, data.codebook[name], waves, weights=weights)
        return suppress_waves(comparison, k) if k else comparison

    return data.memo(("waves", applied.key, name, k, weights_key(weights)), build)


def waves_chart_of(
    data: ResultsData,
    applied: Filtered,
    name: str,
    k: int | None = None,
    weights: pd.Series | None = None,
):
    comparison = waves_of(data, applied, name, k, weights)
    return data.memo(
        ("waves-chart", applied.key, name, k, weights_key(weights)),
        lambda: waves_chart(comparison, data.lang),
    )


def _signed(change: float, lang: str, digits: int = 2) -> str:
    """A change of a mean, in the variable's own unit, signed: « +1,25 », « −0,4 »."""
    sign = "+" if change > 0 else ("−" if change < 0 else "±")
    return sign + format_number(round(abs(change), digits), lang, digits)


def waves_view(
    data: ResultsData,
    applied: Filtered,
    name: str,
    k: int | None = None,
    min_n: int | None = None,
    weights: pd.Series | None = None,
) -> WavesView:
    """Each wave's share (or mean) side by side, and the change from the previous wave:
    signed, in points for a share and in the variable's unit for a mean; not shown nor
    tested when either wave has fewer than ``min_n`` respondents to the question. Weighted:
    the shares and means weighted, counts still respondents, and a row of each wave's
    effective n and design effect under the respondents."""
    comparison = waves_of(data, applied, name, k, weights)
    lang = data.lang
    _ = gettext_for(lang)
    variable = comparison.variable
    numeric = variable.kind == "numeric"
    waves = list(comparison.waves)
    headers = [_("Answer")]
    for i, wave in enumerate(waves):
        headers.append(wave)
        if i:
            headers.append(_("Change since %(wave)s") % {"wave": waves[i - 1]})
    rows = []
    labels = [_("Mean")] if numeric else list(variable.labels())

    def bases_of(wave: str) -> int:
        return int(comparison.bases[wave])

    for index, label in zip(comparison.values.index, labels, strict=True):
        cells = [label]
        for i, wave in enumerate(waves):
            value = comparison.values.loc[index, wave]
            hidden = comparison.hidden is not None and bool(comparison.hidden.loc[index, wave])
            if hidden:
                cells.append(below_k(comparison.k, lang))
            elif numeric:
                cells.append(format_number(round(float(value), 2), lang, 2))
            else:
                count = comparison.counts.loc[index, wave]
                cells.append(f"{format_share(float(value), lang)} ({format_number(count, lang)})")
            if i and min_n and min(bases_of(wave), bases_of(waves[i - 1])) < min_n:
                cells.append(_("n < %(n)s") % {"n": min_n})
            elif i:
                change = comparison.changes.loc[index, wave]
                p = comparison.p_values.loc[index, wave]
                text_ = (
                    ("" if np.isnan(change) else _signed(float(change), lang))
                    if numeric
                    else format_points(float(change), lang)
                )
                if text_ and bool(comparison.significant.loc[index, wave]):
                    text_ += " *"
                if text_ and not np.isnan(p):
                    text_ += f" (p = {format_number(round(float(p), 3), lang, 3)})"
                cells.append(text_)
        rows.append(tuple(cells))
    bases = [_("Respondents")]
    withheld = []
    for i, wave in enumerate(waves):
        base = comparison.bases[wave]
        if pd.isna(base):  # public: fewer than k answered in this wave, nothing is shown
            withheld.append(wave)
            bases.append(below_k(comparison.k, lang))
        else:
            bases.append(format_number(int(base), lang))
        if i:
            bases.append("")
    rows.append(tuple(bases))
    if comparison.n_effective is not None and comparison.deff is not None:
        precision = [_("Effective n (design effect)")]
        for i, wave in enumerate(waves):
            n_eff, deff = comparison.n_effective[wave], comparison.deff[wave]
            precision.append(
                ""
                if pd.isna(deff)
                else f"{format_number(round(float(n_eff)), lang)} "
                f"({format_number(round(float(deff), 2), lang, 2)})"
            )
            if i:
                precision.append("")
        rows.append(tuple(precision))
    chart = waves_chart_of(data, applied, name, k, weights)
    table = Table(tuple(headers), tuple(rows), variable.label)
    return WavesView(comparison, table, chart.alt_text, tuple(withheld))
