"""Who answered compared with who lives there: respondents' shares against population margins.

Pure: columns of category values in, tables out. The ratio is the respondents' share over the
population's share; a group under ``threshold`` (0.7: fewer than seven in ten of the expected
respondents) is flagged as under-represented.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from analysis.charts import Chart
from analysis.formats import format_share
from analysis.i18n import gettext_for
from analysis.palette import NEGATIVE, PRIMARY, TEXT

COLUMNS = [
    "variable",
    "category",
    "respondents",
    "sample_share",
    "population_share",
    "expected",
    "ratio",
    "under",
]


def representation(
    columns: pd.DataFrame,
    margins: Mapping[str, Mapping[str, float]],
    *,
    threshold: float = 0.7,
    by: pd.Series | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(one row per margin category, respondents per category and group of ``by``).

    Shares are among the respondents who answered the variable; ``expected`` is what the
    population share would give among them.
    """
    rows = []
    for variable, targets in margins.items():
        values = columns[variable]
        answered = int(values.notna().sum())
        counts = values.value_counts()
        for category, share in targets.items():
            n = int(counts.get(category, 0))
            sample = n / answered if answered else np.nan
            ratio = sample / share if share > 0 and answered else np.nan
            under = bool(answered and share > 0 and ratio < threshold)
            rows.append([variable, category, n, sample, share, share * answered, ratio, under])
    table = pd.DataFrame(rows, columns=COLUMNS)
    table["respondents"] = table["respondents"].astype("int64")
    return table, _by_group(columns, margins, by)


def _by_group(
    columns: pd.DataFrame, margins: Mapping[str, Mapping[str, float]], by: pd.Series | None
) -> pd.DataFrame:
    if by is None or columns.empty:
        return pd.DataFrame(columns=["variable", "category"])
    parts = []
    groups = by.astype("string").fillna("")
    for variable, targets in margins.items():
        table = pd.crosstab(columns[variable], groups).reindex(list(targets), fill_value=0)
        table.index.name = "category"
        table = table.reset_index()
        table.insert(0, "variable", variable)
        parts.append(table)
    frame = pd.concat(parts, ignore_index=True).fillna(0)
    for column in frame.columns[2:]:
        frame[column] = frame[column].astype("int64")
    return frame


def representation_chart(rows: pd.DataFrame, title: str, lang: str = "fr") -> Chart:
    """Bars of the respondents' shares with the population's share as a tick on each, the
    under-represented groups in the warning colour; ``rows`` has ``label``,
    ``sample_share``, ``population_share``, ``under`` (one variable)."""
    _ = gettext_for(lang)
    labels = [textwrap.fill(str(label), 28) for label in rows["label"]]
    lines = sum(label.count("\n") + 1 for label in labels)
    figure = Figure(figsize=(7.5, 1.2 + 0.32 * max(lines, 2)), layout="constrained")
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    y = np.arange(len(rows))[::-1]
    sample = rows["sample_share"].astype(float).fillna(0).to_numpy() * 100
    population = rows["population_share"].astype(float).to_numpy() * 100
    under = rows["under"].to_numpy(dtype=bool)
    axes.barh(y[~under], sample[~under], height=0.6, color=PRIMARY, label=_("Respondents"))
    if under.any():
        axes.barh(y[under], sample[under], height=0.6, color=NEGATIVE, label=_("Under-represented"))
    axes.scatter(
        population, y, marker="|", s=600, linewidths=3, color=TEXT, zorder=3,
        label=_("Population"),
    )  # fmt: skip
    axes.set_yticks(y, labels)
    axes.set_xlim(0, max(sample.max(initial=0), population.max(initial=0)) * 1.15 + 1)
    axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: format_share(v / 100, lang, 0)))
    axes.set_title(textwrap.fill(title, 60), loc="left", fontsize="medium", color=TEXT)
    figure.legend(loc="outside upper right", ncols=2, frameon=False, fontsize="small")
    items = [
        _("{label}: {sample} of respondents, {population} of the population").format(
            label=label,
            sample=format_share(s / 100, lang),
            population=format_share(p / 100, lang),
        )
        for label, s, p in zip(rows["label"], sample, population, strict=True)
    ]
    alt = _("Respondents compared with the population, “{title}”: {items}.").format(
        title=title, items="; ".join(items)
    )
    data = pd.DataFrame(
        {
            _("Group"): list(rows["label"]),
            _("Population"): rows["population_share"].to_numpy(),
            _("Respondents"): rows["sample_share"].to_numpy(),
        }
    )
    return Chart(alt, data, lambda _style: figure)
