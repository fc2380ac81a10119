"""Raking 100,000 respondents to three margins (age band × 3, sex × 2, neighbourhood × 11)."""

import time

import numpy as np
import pandas as pd

from analysis.weights import rake


def raking_seconds(n: int = 100_000, seed: int = 3) -> tuple[float, int, float]:
    """(best of three wall-clock seconds, iterations, largest error left)."""
    rng = np.random.default_rng(seed)
    quarters = [f"q{i}" for i in range(11)]
    sample_quarters = rng.dirichlet(np.ones(11) * 20)
    # the population differs from the sample by up to ±40 % per neighbourhood
    population = sample_quarters * rng.uniform(0.6, 1.4, 11)
    population /= population.sum()
    frame = pd.DataFrame(
        {
            "age": rng.choice(["14-17", "18-21", "22-25"], n, p=[0.4, 0.45, 0.15]),
            "sex": rng.choice(["f", "m"], n, p=[0.45, 0.55]),
            "quarter": rng.choice(quarters, n, p=sample_quarters),
        }
    )
    margins = {
        "age": {"14-17": 0.33, "18-21": 0.35, "22-25": 0.32},
        "sex": {"f": 0.49, "m": 0.51},
        "quarter": dict(zip(quarters, population, strict=True)),
    }
    best, result = float("inf"), None
    for _ in range(3):
        start = time.perf_counter()
        result = rake(frame, margins, bounds=(0.2, 5.0))
        best = min(best, time.perf_counter() - start)
    return best, result.iterations, result.max_error
