"""The test oracle of disclosure control: an outsider's bounded enumeration attack.

Given everything published about one table — the shown cells, the published sums (margins,
bases) and optionally the statistics — the attacker enumerates the integer tables consistent
with it. The attack succeeds when some hidden cell can take only one value. It is written
independently of ``analysis.disclosure`` (plain depth-first search, no linear programming), so
that the two check each other.

The attacker knows that a hidden cell is at least ``lower`` (1 when zeros are shown: a hidden
cell is never an empty one) and at most ``upper`` (the largest published total).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


class Budget(Exception):
    """The enumeration needed more steps than allowed: the result is unknown."""


@dataclass
class Published:
    cells: list[int | None]  # flat; None where hidden
    lines: list[tuple[Sequence[int], int, bool]] = field(default_factory=list)
    lower: int = 1
    upper: int = 0  # 0: the largest shown cell
    # extra knowledge: a full assignment of the cells is consistent with the statistics
    check: Callable[[list[int]], bool] | None = None


def _upper(p: Published) -> int:
    return p.upper or max([c for c in p.cells if c is not None] or [0])


def _solve(
    p: Published, order: list[int], budget: list[int], avoid: tuple[int, int] | None = None
) -> list[int] | None:
    """Depth-first search for a table consistent with ``p`` (its hidden cells filled in the
    ``order`` given), the first cell of the order not taking the value ``avoid`` names; each
    cell's range is narrowed by the sums it is part of (a sum with one unknown left forces
    it)."""
    values = list(p.cells)
    upper = _upper(p)
    lines = p.lines
    lines_of: dict[int, list[int]] = {}
    for number, (members, total, _exact) in enumerate(lines):
        for cell in [*members, total]:
            lines_of.setdefault(cell, []).append(number)

    def span(cell: int) -> tuple[int, int]:
        v = values[cell]
        return (v, v) if v is not None else (p.lower, upper)

    def line_holds(number: int) -> bool:
        members, total, exact = lines[number]
        low = sum(span(m)[0] for m in members)
        high = sum(span(m)[1] for m in members)
        t_low, t_high = span(total)
        if exact:
            return low <= t_high and high >= t_low
        return high >= t_low and all(span(m)[0] <= t_high for m in members)

    def range_of(cell: int) -> tuple[int, int]:
        lo, hi = p.lower, upper
        for number in lines_of.get(cell, ()):
            members, total, exact = lines[number]
            others = [m for m in members if m != cell]
            o_low = sum(span(m)[0] for m in others)
            o_high = sum(span(m)[1] for m in others)
            if cell == total:
                if exact:
                    lo, hi = max(lo, o_low), min(hi, o_high)
                continue
            t_low, t_high = span(total)
            if exact:
                lo, hi = max(lo, t_low - o_high), min(hi, t_high - o_low)
            else:
                hi = min(hi, t_high)
        return lo, hi

    free = set(order)

    def go(depth: int) -> bool:
        budget[0] -= 1
        if budget[0] < 0:
            raise Budget
        if not free:
            if not all(line_holds(n) for n in range(len(lines))):
                return False
            return p.check is None or p.check(values)  # type: ignore[arg-type]
        # the target cell first, then always the cell with the fewest possible values
        if depth == 0:
            cell = order[0]
            lo, hi = range_of(cell)
        else:
            cell, (lo, hi) = min(
                ((c, range_of(c)) for c in free), key=lambda item: item[1][1] - item[1][0]
            )
        free.discard(cell)
        for value in range(lo, hi + 1):
            if depth == 0 and avoid is not None and value == avoid[1]:
                continue
            values[cell] = value
            if all(line_holds(n) for n in lines_of.get(cell, ())) and go(depth + 1):
                return True
        values[cell] = None
        free.add(cell)
        return False

    if not all(line_holds(n) for n in range(len(lines))):
        return None
    return list(values) if go(0) else None


def recovered(p: Published, budget: int = 200_000) -> dict[int, int]:
    """The hidden cells the attacker pins down (cell -> value). Raises Budget when the
    search is too long to conclude."""
    hidden = [i for i, v in enumerate(p.cells) if v is None]
    steps = [budget]
    seen: dict[int, set[int]] = {cell: set() for cell in hidden}
    found = {}
    for cell in hidden:
        if len(seen[cell]) > 1:
            continue
        order = [cell, *(h for h in hidden if h != cell)]
        attempts = [None] if not seen[cell] else []
        attempts.append("avoid")
        for attempt in attempts:
            avoid = (cell, next(iter(seen[cell]))) if attempt == "avoid" else None
            solution = _solve(p, order, steps, avoid)
            if solution is None:
                break
            for h in hidden:
                seen[h].add(solution[h])
        if len(seen[cell]) == 1:
            found[cell] = next(iter(seen[cell]))
    return found


def table_published(
    shown, row_totals, column_totals, n, *, rows_exact=True, columns_exact=True, check=None
) -> Published:
    """A published 2-D table: ``shown`` a list of rows (None where hidden), its margins (None
    where hidden) and its grand total n, laid out as cells, then row totals, then column
    totals, then n."""
    r, c = len(shown), len(shown[0]) if shown else 0
    cells = [v for row in shown for v in row] + list(row_totals) + list(column_totals) + [n]
    at = lambda i, j: i * c + j  # noqa: E731
    row_total = lambda i: r * c + i  # noqa: E731
    column_total = lambda j: r * c + r + j  # noqa: E731
    grand = r * c + r + c
    lines = [(tuple(at(i, j) for j in range(c)), row_total(i), rows_exact) for i in range(r)]
    lines += [(tuple(at(i, j) for i in range(r)), column_total(j), columns_exact) for j in range(c)]
    if columns_exact:
        lines.append((tuple(row_total(i) for i in range(r)), grand, True))
    if rows_exact:
        lines.append((tuple(column_total(j) for j in range(c)), grand, True))
    return Published(cells, lines, upper=n or 0, check=check)


def counts_published(shown, total, check=None) -> Published:
    """A published 1-D table: its categories (None where hidden) adding up to ``total``."""
    cells = list(shown) + [total]
    return Published(
        cells, [(tuple(range(len(shown))), len(shown), True)], upper=total or 0, check=check
    )
