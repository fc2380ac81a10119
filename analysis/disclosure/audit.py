"""The engine of disclosure control: which cells to hide so that no hidden count can be
worked out from the published ones (rules 2 and 3 of :mod:`analysis.disclosure`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

K = 5
AUDIT_ROUNDS = 200


@dataclass(frozen=True)
class Line:
    """One published sum: ``members`` add up to ``total`` (indices into the cells).

    ``exact=False`` for the sums of a multiple-choice variable, where a person may count in
    several cells: then the members add up to at least the total and each is at most it.
    """

    members: tuple[int, ...]
    total: int
    exact: bool = True


def protect(
    values: np.ndarray,
    lines: Sequence[Line],
    k: int = K,
    *,
    margins: np.ndarray | None = None,
    fixed: np.ndarray | None = None,
    suppress_zeros: bool = False,
) -> np.ndarray | None:
    """The hidden mask of a flat array of counts, or None when it cannot be protected (the
    table is then withheld whole).

    ``margins`` marks totals (hidden only when no inner cell can be); ``fixed`` marks counts
    published anyway (the number of responses): they are never hidden, and a table whose
    fixed count is below k cannot be protected.
    """
    values = np.asarray(values, dtype=np.int64)
    size = len(values)
    margins = np.zeros(size, dtype=bool) if margins is None else np.asarray(margins, dtype=bool)
    fixed = np.zeros(size, dtype=bool) if fixed is None else np.asarray(fixed, dtype=bool)
    low = (values < k) & ((values > 0) | suppress_zeros)
    if (low & fixed).any():
        return None
    hidden = low.copy()
    eligible = ~fixed & ((values > 0) | suppress_zeros)
    # Cheaper cells to hide sort first: inner before margin, then the smallest.
    rank = np.empty(size, dtype=np.int64)
    rank[np.lexsort((values, margins))] = np.arange(size)
    lines = list(lines)
    cells_of = [np.array([*line.members, line.total], dtype=np.int64) for line in lines]
    lines_with: list[list[int]] = [[] for _ in range(size)]
    for number, cells in enumerate(cells_of):
        for cell in cells:
            lines_with[cell].append(number)

    def hide_one_more(among: np.ndarray) -> bool:
        candidates = among[~hidden[among] & eligible[among]]
        if not len(candidates):
            return False
        hidden[candidates[np.argmin(rank[candidates])]] = True
        return True

    for _round in range(AUDIT_ROUNDS):
        changed = True
        while changed:
            changed = False
            for cells in cells_of:
                if hidden[cells].sum() == 1:
                    if not hide_one_more(cells):
                        return None
                    changed = True
        exposed = exposed_cells(
            values, hidden, lines, lower=0 if suppress_zeros else 1, first_only=True
        )
        if not exposed:
            return hidden
        cell = exposed[0]
        neighbours = np.unique(
            np.concatenate([cells_of[n] for n in lines_with[cell]] or [np.array([], dtype=int)])
        )
        if not hide_one_more(neighbours) and not hide_one_more(np.flatnonzero(~hidden)):
            return None
    return None


def exposed_cells(
    values: np.ndarray,
    hidden: np.ndarray,
    lines: Sequence[Line],
    *,
    lower: int = 1,
    first_only: bool = False,
) -> list[int]:
    """Hidden cells whose value an attacker holding every shown count and published sum can
    work out exactly: integer programming finds each hidden cell's smallest and largest
    possible value (hidden cells at least ``lower``)."""
    values = np.asarray(values, dtype=np.int64)
    index = np.flatnonzero(hidden)
    if not len(index):
        return []
    position = {int(cell): j for j, cell in enumerate(index)}
    rows, low, high = [], [], []
    for line in lines:
        cells = [*line.members, line.total]
        if not any(hidden[c] for c in cells):
            continue
        coefficients = np.zeros(len(index))
        known = 0
        for cell, sign in [*((m, 1) for m in line.members), (line.total, -1)]:
            if hidden[cell]:
                coefficients[position[cell]] += sign
            else:
                known += sign * int(values[cell])
        rows.append(coefficients)
        if line.exact:
            low.append(-known)
            high.append(-known)
        else:  # members add up to at least the total; each member at most the total
            low.append(-known)
            high.append(np.inf)
            for member in line.members:
                bound = np.zeros(len(index))
                if hidden[member]:
                    bound[position[member]] += 1
                if hidden[line.total]:
                    bound[position[line.total]] -= 1
                if bound.any():
                    rows.append(bound)
                    low.append(-np.inf)
                    high.append(int(values[line.total]) if not hidden[line.total] else 0)
    if not rows:
        return []
    matrix = np.array(rows)
    exact = all(line.exact for line in lines)
    exposed = []
    for j, cell in enumerate(index):
        if not matrix[:, j].any():
            continue
        smallest, largest = _range(matrix, np.array(low), np.array(high), j, lower, exact)
        if smallest is not None and smallest == largest:
            exposed.append(int(cell))
            if first_only:
                break
    return exposed


def _range(matrix, low, high, j, lower, exact) -> tuple[int | None, int | None]:
    """The smallest and largest value of variable j (None when unbounded or infeasible).

    Published sums of a table with its margins form a network (each cell is in one row and
    one column sum): its linear programme has integer optima, so plain linear programming
    is exact. Sums of multiple-choice tables (inequalities) need integer programming."""
    # on use: scipy.optimize takes a third of a second to import, and only public outputs
    # with hidden cells get here
    from scipy.optimize import Bounds, LinearConstraint, linprog, milp

    n = matrix.shape[1]
    objective = np.zeros(n)
    objective[j] = 1
    if exact:
        found = []
        for sign in (1, -1):
            result = linprog(
                sign * objective,
                A_eq=matrix,
                b_eq=low,
                bounds=[(lower, None)] * n,
                method="highs",
            )
            if result.status != 0:
                return None, None
            found.append(round(sign * result.fun))
        return found[0], found[1]
    constraint = LinearConstraint(matrix, low, high)
    bounds = Bounds(np.full(n, lower), np.full(n, np.inf))
    integral = np.ones(n)
    smallest = milp(objective, constraints=constraint, bounds=bounds, integrality=integral)
    largest = milp(-objective, constraints=constraint, bounds=bounds, integrality=integral)
    if smallest.status != 0 or largest.status != 0:
        return None, None
    return round(smallest.fun), round(-largest.fun)
