"""Small-cell suppression: kept as a name for :mod:`analysis.disclosure`, where disclosure
control lives (one module decides what may leave the commission)."""

from analysis.disclosure import (
    TOTAL_KEY,
    K,
    SuppressedCounts,
    SuppressedTable,
    protect_cells,
    suppress_counts,
    suppress_crosstab,
    suppress_summary,
    suppress_table,
    suppress_waves,
)

__all__ = [
    "K",
    "TOTAL_KEY",
    "SuppressedCounts",
    "SuppressedTable",
    "protect_cells",
    "suppress_counts",
    "suppress_crosstab",
    "suppress_summary",
    "suppress_table",
    "suppress_waves",
]
