"""Weighted results: the campaign's raking weights, kept with its results data.

Weights are computed on every complete response of the campaign (not on a filtered subset)
and read by the pages that offer the "weighted" switch. Disclosure rules keep working on
respondents counted, never on weighted figures.

The waves of a series are weighted one by one, each to its own campaign's margins (a wave
without margins of its own borrows those of the nearest later wave that has some, else of
the nearest earlier one, and says so): each wave then stands for its own population.
"""

import hashlib
from dataclasses import dataclass

import pandas as pd
from sqlmodel import Session

from analysis.formats import format_number, format_share
from analysis.weights import effective_n, kish_deff
from surveys.population import Population, population_of, weights_for
from surveys.problems import Problem
from surveys.results.cache import ResultsData


@dataclass(frozen=True)
class Weighting:
    """Raking weights and what the reader is told about them."""

    weights: pd.Series
    population: Population
    deff: float
    n_effective: float
    n: int
    converged: bool
    trimmed: int
    bounds: tuple[float, float] | None = None  # relative to the mean weight
    iterations: int = 0
    max_error: float = 0.0  # largest gap between a weighted share and its target


def _digest(margins) -> str:
    text = repr(sorted((k, sorted(v.items())) for k, v in margins.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _weighting(frame: pd.DataFrame, data: ResultsData, population: Population, name: str):
    raking, problems = weights_for(frame, data.codebook, population)
    if raking is None:
        return None, problems
    # named after the margins: memo keys and chart URLs change when the margins do
    weights = raking.weights.rename(name)
    info = Weighting(
        weights,
        population,
        kish_deff(weights),
        effective_n(weights),
        len(weights),
        raking.converged,
        raking.trimmed,
        raking.bounds,
        raking.iterations,
        raking.max_error,
    )
    return info, []


def weighting_of(session: Session, data: ResultsData) -> tuple[Weighting | None, list[Problem]]:
    """The campaign's weights (memoised with its data and margins), or why there are none."""
    if len(data.campaigns) != 1:
        return None, [Problem("P_NO_MARGINS")]
    population = population_of(session, data.campaign.id)
    if population is None or not population.margins:
        return None, [Problem("P_NO_MARGINS")]
    digest = _digest(population.margins)

    def build() -> tuple[Weighting | None, list[Problem]]:
        return _weighting(data.frame, data, population, f"w-{digest}")

    return data.memo(("weights", digest), build)


@dataclass(frozen=True)
class WaveWeighting:
    """One wave's weights: made to its own margins, or to those of ``borrowed`` (a wave
    name) when it has none."""

    key: str  # the frame's campaign value
    name: str
    weighting: Weighting
    borrowed: str = ""


@dataclass(frozen=True)
class SeriesWeighting:
    """The weights of every wave, each raked to its margins (the frame's index)."""

    weights: pd.Series
    waves: tuple[WaveWeighting, ...]


def series_weighting_of(
    session: Session, data: ResultsData
) -> tuple[SeriesWeighting | None, list[tuple[str, Problem]]]:
    """Each wave of ``data`` weighted to its own campaign's margins (or borrowed from the
    nearest wave that has some); the problems come with the name of their wave."""
    campaigns = list(data.campaigns)
    own = [population_of(session, c.id) for c in campaigns]
    own = [p if p is not None and p.margins else None for p in own]
    if not any(own):
        return None, [("", Problem("P_NO_MARGINS"))]
    chosen: list[tuple[Population, str]] = []
    for i, population in enumerate(own):
        if population is not None:
            chosen.append((population, ""))
            continue
        later = [j for j in range(i + 1, len(own)) if own[j] is not None]
        earlier = [j for j in range(i - 1, -1, -1) if own[j] is not None]
        j = (later or earlier)[0]
        chosen.append((own[j], campaigns[j].name))
    each = [(c.key, _digest(p.margins), b) for c, (p, b) in zip(campaigns, chosen, strict=True)]
    digest = hashlib.sha256(repr(each).encode()).hexdigest()[:12]

    def build():
        column = data.frame["campaign"].astype("string")
        parts, waves, problems = [], [], []
        for campaign, (population, borrowed) in zip(campaigns, chosen, strict=True):
            rows = data.frame[(column == campaign.key).to_numpy(dtype=bool, na_value=False)]
            if rows.empty:
                continue
            info, found = _weighting(rows, data, population, f"ws-{digest}")
            problems += [(campaign.name, p) for p in found]
            if info is not None:
                parts.append(info.weights)
                waves.append(WaveWeighting(campaign.key, campaign.name, info, borrowed))
        if problems or not parts:
            return None, problems or [("", Problem("P_NO_MARGINS"))]
        weights = pd.concat(parts).rename(f"ws-{digest}")
        return SeriesWeighting(weights, tuple(waves)), []

    return data.memo(("series-weights", digest), build)


@dataclass(frozen=True)
class WeightingFacts:
    """How the weights were made, each figure written in the reader's language (the
    report's method box)."""

    margins: tuple[tuple[str, str], ...]  # (variable, "14-17 : 33 %, 18-21 : 35 %, …")
    source: str
    year: str
    illustrative: bool
    low: str  # trimming bounds, times the mean weight
    high: str
    trimmed: int
    converged: bool
    iterations: int
    gap: str  # largest gap left between a weighted share and its target, in points
    deff: str
    n: int
    n_effective: str


def weighting_facts(weighting: Weighting, lang: str) -> WeightingFacts:
    population = weighting.population
    margins = tuple(
        (
            variable,
            ", ".join(f"{c} {format_share(share, lang)}" for c, share in categories.items()),
        )
        for variable, categories in population.margins.items()
    )
    low, high = weighting.bounds or (float("nan"), float("nan"))
    points = weighting.max_error * 100
    gap = "< " + format_number(0.0001, lang, 4) if points < 1e-4 else format_number(points, lang, 4)
    return WeightingFacts(
        margins=margins,
        source=population.source,
        year=str(population.year or ""),
        illustrative=population.illustrative,
        low=format_number(low, lang, 1 if round(low, 1) == low else 2),
        high=format_number(high, lang, 1 if round(high, 1) == high else 2),
        trimmed=weighting.trimmed,
        converged=weighting.converged,
        iterations=weighting.iterations,
        gap=gap,
        deff=format_number(round(weighting.deff, 2), lang, 2),
        n=weighting.n,
        n_effective=format_number(round(weighting.n_effective), lang),
    )


def weights_key(weights: pd.Series | None) -> str:
    """What distinguishes figures made with these weights in a memo key or an ETag."""
    return "" if weights is None else f"-{weights.name}"
