"""Disclosure control: what of a table, a summary or a frame may leave the commission.

Every output seen beyond the commission (public page, plenary deck and its PDF, the public
scope of the API, public files and report, live polls shown to a room) takes its figures from
here; none decides on its own. The rules, for a threshold ``k`` (default 5):

1. **Small bases are withheld whole.** A question (or a cross-tab, or a wave) answered by
   fewer than k people shows no figure at all, only "fewer than k answers" (``withheld``).
2. **Primary suppression.** Every count of 1..k-1 people is hidden. Zeros are shown (a zero
   names nobody) unless ``suppress_zeros``; a zero is never hidden to protect another cell, so
   whoever reads a hidden cell knows only that it is at least 1.
3. **Complementary suppression, checked by an attacker.** Shown cells, margins and bases tie
   the hidden cells by sums. A *line* is one such sum (a row or column with its total, the
   categories of a question with its base, the answered/unanswered/not-asked split of the
   responses). A line never holds a single hidden cell; then every hidden cell's range is
   computed exactly (integer programming over every published sum, cells at least 1) and a
   cell whose range is one value gets a neighbour hidden too, until no hidden count can be
   worked out. When nothing is left to hide, the whole table is withheld.
   Variables asked of the same people (a grid's rows) share their "not asked" count, so
   they hide their split of non-answers together (:func:`suppress_summaries`). A question
   asked of everyone has nobody "not asked": its blanks are the responses minus its base,
   which cannot be protected, and are shown.
4. **Statistics only over fully published tables.** Means, standard deviations, quantiles,
   minimum and maximum, chi-square, p and Cramér's V are computed from cells; beside a hidden
   cell they would solve it (n × mean minus the shown cells). They are published only when no
   cell of their table is hidden, and rounded. A numeric variable's table is the count of
   each distinct value: its statistics go out only when every value is held by k or more.
   A share's margin of error ("± x pts") is computed from the published share and base
   alone, and only for a shown cell (:func:`published_margins`).
5. **No differencing.** Public figures are computed over whole fieldwork periods only (no
   date or group filter) and on the first ``floor(n / k) * k`` responses in submission order
   (:func:`public_rows`), so two public readings differ by 0 or at least k responses.

Row-level data never leaves the commission in public form: no table of respondents is
k-anonymous without generalising its quasi-identifiers, and the public summaries say the rest.

The package, by concern: :mod:`.audit` (the protection engine: lines, complementary
suppression and the linear-programming attacker), :mod:`.tables` (1-D and 2-D count tables
with their margins) and :mod:`.publication` (summaries, cross-tabs, waves and the rows public
figures are computed on).
"""

from analysis.disclosure.audit import AUDIT_ROUNDS, K, Line, exposed_cells, protect
from analysis.disclosure.publication import (
    FEWER_THAN_K,
    MARGIN_DIGITS,
    SHARE_DIGITS,
    STAT_DIGITS,
    TEST_DIGITS,
    fewer_than_k,
    public_rows,
    published_margins,
    suppress_crosstab,
    suppress_summaries,
    suppress_summary,
    suppress_waves,
    withhold_summary,
)
from analysis.disclosure.tables import (
    TOTAL_KEY,
    SuppressedCounts,
    SuppressedTable,
    protect_cells,
    suppress_counts,
    suppress_table,
    table_lines,
)

__all__ = [
    "AUDIT_ROUNDS",
    "FEWER_THAN_K",
    "K",
    "MARGIN_DIGITS",
    "SHARE_DIGITS",
    "STAT_DIGITS",
    "TEST_DIGITS",
    "TOTAL_KEY",
    "Line",
    "SuppressedCounts",
    "SuppressedTable",
    "exposed_cells",
    "fewer_than_k",
    "protect",
    "protect_cells",
    "public_rows",
    "published_margins",
    "suppress_counts",
    "suppress_crosstab",
    "suppress_summaries",
    "suppress_summary",
    "suppress_table",
    "suppress_waves",
    "table_lines",
    "withhold_summary",
]
