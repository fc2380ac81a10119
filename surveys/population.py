"""Population margins of a campaign: reading them from CSV, checking them against the
questionnaire, turning the respondents into the margins' columns, and raking to them.

Margins name questions that describe people. A single-choice question takes its choices
(values or labels); a number question takes bands written ``14-17``, ``18-21``, ``22+``; a
crossed margin names two or more questions joined by ``*`` (``age*genre``) and its categories
join theirs the same way (``14-17*fille``).
"""

import csv
import io
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pandas as pd
from sqlmodel import Session, select

from analysis.codebook import Codebook
from analysis.representation import representation
from analysis.weights import Raking, rake
from surveys.models import (
    Campaign,
    PopulationMargins,
    Questionnaire,
    QuestionnaireVersion,
)
from surveys.problems import Problem

CROSS = "*"
MAX_ROWS = 2_000  # a margins file is a few dozen lines; anything larger is a mistake
SUM_TOLERANCE = 0.005  # shares typed with three decimals still sum to 1 after normalising
BAND = re.compile(
    r"^\s*(\d+(?:[.,]\d+)?)\s*(?:-|–|à|to)\s*(\d+(?:[.,]\d+)?)\s*$|^\s*(\d+)\s*\+\s*$"
)
NUMERIC_KINDS = frozenset({"numeric", "integer", "decimal", "rating", "number"})
DEFAULT_THRESHOLD = 0.7
DEFAULT_BOUNDS = (0.2, 5.0)


@dataclass
class Population:
    """What a campaign's respondents are compared with, and where those figures come from."""

    margins: dict[str, dict[str, float]] = field(default_factory=dict)
    source: str = ""
    year: int | None = None
    illustrative: bool = False


# --- reading a CSV ----------------------------------------------------------------------


Lines = dict[tuple[str, str], int]  # (variable, category) -> its row in the file (from 1)


def parse_margins_csv(
    content: bytes, lines: Lines | None = None
) -> tuple[dict[str, dict[str, float]], list[Problem]]:
    """Long format (``variable,category,share`` or ``variable,category,count``) or one wide
    block per variable (``<variable>,share`` then ``category,value`` rows, blocks separated by
    a blank line). Counts become shares per variable. ``lines``, when given, is filled with
    the row of each category, for the problems found later (overlapping bands)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return {}, [Problem("P_NOT_UTF8")]
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)
    rows = [[c.strip() for c in r] for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    if len(rows) > MAX_ROWS:
        return {}, [Problem("P_TOO_MANY_ROWS", limit=MAX_ROWS)]
    if not rows or not any(rows[0]):
        return {}, [Problem("P_EMPTY")]
    header = [c.lower() for c in rows[0]]
    lines = {} if lines is None else lines
    if header[:2] == ["variable", "category"] and len(header) >= 3:
        return _long(rows, header[2], lines)
    return _wide(rows, lines)


def _long(rows: list[list[str]], kind: str, lines: Lines) -> tuple[dict, list[Problem]]:
    if kind not in ("share", "count"):
        return {}, [Problem("P_BAD_HEADER", row=1, value=kind)]
    values: dict[str, dict[str, float]] = {}
    problems: list[Problem] = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cells):
            continue
        if len(cells) < 3:
            problems.append(Problem("P_SHORT_ROW", row=number))
            continue
        _add(values, problems, cells[0], cells[1], cells[2], number, lines)
    return _as_shares(values, kind, problems)


def _wide(rows: list[list[str]], lines: Lines) -> tuple[dict, list[Problem]]:
    values: dict[str, dict[str, float]] = {}
    kinds: dict[str, str] = {}
    problems: list[Problem] = []
    variable = ""
    for number, cells in enumerate(rows, start=1):
        if not any(cells):
            variable = ""
            continue
        if not variable:
            kind = cells[1].lower() if len(cells) > 1 else ""
            if kind not in ("share", "count"):
                problems.append(Problem("P_BAD_HEADER", row=number, value=kind))
                return {}, problems
            variable, kinds[cells[0]] = cells[0], kind
            continue
        if len(cells) < 2:
            problems.append(Problem("P_SHORT_ROW", row=number))
            continue
        _add(values, problems, variable, cells[0], cells[1], number, lines)
    shares: dict[str, dict[str, float]] = {}
    for name, categories in values.items():
        converted, more = _as_shares({name: categories}, kinds[name], [])
        shares |= converted
        problems += more
    return shares, problems


def _add(values, problems, variable: str, category: str, raw: str, row: int, lines: Lines) -> None:
    try:
        number = float(raw.replace(",", ".").replace("%", ""))
    except ValueError:
        problems.append(Problem("P_NOT_A_NUMBER", row=row, value=raw))
        return
    if not math.isfinite(number) or number < 0:
        problems.append(Problem("P_NOT_A_NUMBER", row=row, value=raw))
        return
    if not variable or not category:
        problems.append(Problem("P_SHORT_ROW", row=row))
        return
    if category in values.setdefault(variable, {}):
        problems.append(Problem("P_DUPLICATE", row=row, variable=variable, value=category))
        return
    values[variable][category] = number / 100 if raw.strip().endswith("%") else number
    lines[(variable, category)] = row


def _as_shares(values: dict, kind: str, problems: list[Problem]) -> tuple[dict, list[Problem]]:
    shares = {}
    for variable, categories in values.items():
        total = sum(categories.values())
        if total <= 0:
            problems.append(Problem("P_SUM", variable=variable, total=total))
            continue
        if kind == "share" and abs(total - 1) > SUM_TOLERANCE:
            problems.append(Problem("P_SUM", variable=variable, total=round(total, 4)))
            continue
        shares[variable] = {c: v / total for c, v in categories.items()}
    return shares, problems


def margins_csv(margins: Mapping[str, Mapping[str, float]]) -> str:
    """The margins in the long format ``parse_margins_csv`` reads back."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["variable", "category", "share"])
    for variable, categories in margins.items():
        for category, share in categories.items():
            writer.writerow([variable, category, f"{share:.6g}"])
    return buffer.getvalue()


# --- checking against the questionnaire and building the columns -------------------------


def margin_columns(
    frame: pd.DataFrame,
    codebook: Codebook,
    margins: Mapping[str, Mapping[str, float]],
    lines: Lines | None = None,
) -> tuple[pd.DataFrame, dict[str, dict[str, float]], list[Problem]]:
    """One column per margin variable, valued by the margin's categories (choice labels are
    mapped to their values), the margins with their categories renamed the same way, and
    the problems: unknown questions, categories that are no choice or no band, bands of a
    number that overlap or leave a gap (named with their row when ``lines`` has it)."""
    columns: dict[str, pd.Series] = {}
    renamed: dict[str, dict[str, float]] = {}
    problems: list[Problem] = []
    if lines is None:  # saved margins: their rows in the CSV the page shows (margins_csv)
        lines = {}
        for key in ((v, c) for v, categories in margins.items() for c in categories):
            lines[key] = len(lines) + 2
    for variable, categories in margins.items():
        names = [name.strip() for name in variable.split(CROSS)]
        split = {c: [piece.strip() for piece in c.split(CROSS)] for c in categories}
        wrong_arity = [c for c, pieces in split.items() if len(pieces) != len(names)]
        problems += [Problem("P_UNKNOWN_CATEGORY", variable=variable, value=c) for c in wrong_arity]
        split = {c: pieces for c, pieces in split.items() if c not in wrong_arity}
        parts = []
        for i, name in enumerate(names):
            part = _part(frame, codebook, name, {pieces[i] for pieces in split.values()})
            parts.append(part)
        if any(p is None for p in parts):
            problems.append(Problem("P_UNKNOWN_QUESTION", variable=variable))
            continue
        bands = [
            band_problems(variable, i, split, lines)
            for i, part in enumerate(parts)
            if part[2]  # a number question, cut in bands
        ]
        if any(bands):
            problems += [problem for found in bands for problem in found]
            continue
        translated: dict[str, float] = {}
        for category, pieces in split.items():
            values = [part[1].get(piece) for part, piece in zip(parts, pieces, strict=True)]
            if any(v is None for v in values):
                problems.append(Problem("P_UNKNOWN_CATEGORY", variable=variable, value=category))
                continue
            key = CROSS.join(values)
            translated[key] = translated.get(key, 0.0) + categories[category]
        joined = parts[0][0]
        for part in parts[1:]:
            joined = joined + CROSS + part[0]
        columns[variable] = joined
        renamed[variable] = translated
    return pd.DataFrame(columns, index=frame.index), renamed, problems


def _part(frame: pd.DataFrame, codebook: Codebook, name: str, texts: set[str]):
    """(column of category values, category text → value, banded) for one question, or
    None; ``banded`` is True for a number question cut in bands."""
    if name not in frame.columns or name not in codebook:
        return None
    described = codebook[name]
    if described.kind in NUMERIC_KINDS or pd.api.types.is_numeric_dtype(frame[name]):
        return (*_banded(frame[name], texts), True)
    if not described.categories:
        return None
    values = {str(v) for v in described.categories}
    labels = {str(label).casefold(): value for value, label in described.category_labels.items()}
    lookup = {t: t if t in values else labels.get(t.casefold()) for t in texts}
    return frame[name].astype("string"), {t: v for t, v in lookup.items() if v is not None}, False


def band_of(text: str) -> tuple[float, float] | None:
    """The inclusive range of a band written ``14-17`` or ``22+``, None for anything else."""
    match = BAND.match(text)
    if not match:
        return None
    if match.group(3):
        return float(match.group(3)), math.inf
    low, high = (float(g.replace(",", ".")) for g in match.group(1, 2))
    return low, high


def _number(value: float) -> str:
    return f"{value:g}"


def band_problems(
    variable: str, position: int, split: Mapping[str, list[str]], lines: Lines
) -> list[Problem]:
    """Bands of one number question (the ``position``-th of a crossed ``variable``) that
    overlap (``14-17`` and ``17-21`` both hold 17) or leave a gap between them (``14-17``
    and ``19-21`` leave 18 out: whole numbers when the bounds are whole). Each problem names
    both bands and the row of the later one in the file."""
    rows: dict[str, int] = {}  # each band's first row
    for category, pieces in split.items():
        row = lines.get((variable, category), 0)
        rows[pieces[position]] = min(rows.get(pieces[position], row), row)
    bands = sorted(
        ((band, text) for text in rows if (band := band_of(text)) is not None),
        key=lambda item: item[0],
    )
    bounds = [b for (low, high), _text in bands for b in (low, high) if b != math.inf]
    whole = all(b.is_integer() for b in bounds)  # ages in years: 17 then 18 follow on
    problems = []
    reach, widest = -math.inf, ""
    for (low, high), text in bands:
        if widest and low <= reach:
            problems.append(
                Problem(
                    "P_OVERLAPPING_BANDS",
                    variable=variable,
                    first=widest,
                    value=text,
                    shared=_number(low),
                    row=max(rows[widest], rows[text]),
                )
            )
        elif widest and low > reach + (1 if whole else 0):
            start, end = (reach + 1, low - 1) if whole else (reach, low)
            missing = _number(start) if start == end else f"{_number(start)}-{_number(end)}"
            problems.append(
                Problem(
                    "P_GAP_BETWEEN_BANDS",
                    variable=variable,
                    first=widest,
                    value=text,
                    missing=missing,
                    row=max(rows[widest], rows[text]),
                )
            )
        if high > reach:
            reach, widest = high, text
    return problems


def _banded(column: pd.Series, texts: set[str]) -> tuple[pd.Series, dict[str, str]]:
    """Number answers put in the bands the margin names (``14-17``, ``22+``): inclusive."""
    out = pd.Series(pd.NA, index=column.index, dtype="string")
    known = {}
    for text in sorted(texts):
        band = band_of(text)
        if band is None:
            continue
        low, high = band
        out[(column >= low) & (column <= high)] = text
        known[text] = text
    return out, known


# --- storage ----------------------------------------------------------------------------


def population_of(session: Session, campaign_id: int) -> Population | None:
    row = session.get(PopulationMargins, campaign_id)
    if row is None:
        return None
    return Population(dict(row.margins), row.source, row.year, row.illustrative)


def save_population(session: Session, campaign_id: int, population: Population) -> None:
    row = session.get(PopulationMargins, campaign_id) or PopulationMargins(campaign_id=campaign_id)
    row.margins = {k: dict(v) for k, v in population.margins.items()}  # reassigned: JSON
    row.source, row.year, row.illustrative = (
        population.source,
        population.year,
        population.illustrative,
    )
    row.updated_at = datetime.now(UTC)
    session.add(row)
    session.flush()


def series_campaign_ids(session: Session, campaign: Campaign) -> list[int]:
    """The campaign and the other waves of its series run by the same commission."""
    if not campaign.series:
        return [campaign.id]
    commission = (
        select(Questionnaire.commission_id)
        .join(QuestionnaireVersion, QuestionnaireVersion.questionnaire_id == Questionnaire.id)
        .where(QuestionnaireVersion.id == campaign.version_id)
        .scalar_subquery()
    )
    query = (
        select(Campaign.id)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Campaign.version_id)
        .join(Questionnaire, Questionnaire.id == QuestionnaireVersion.questionnaire_id)
        .where(Campaign.series == campaign.series, Questionnaire.commission_id == commission)
    )
    return list(session.exec(query))


# --- monitor and weights ----------------------------------------------------------------


def monitor(
    frame: pd.DataFrame,
    codebook: Codebook,
    population: Population,
    threshold: float = DEFAULT_THRESHOLD,
) -> tuple[pd.DataFrame, pd.DataFrame, list[Problem]]:
    """Respondents against the population per margin category (flagged under ``threshold``
    of the expected share), and the respondents each channel or partner link brought."""
    columns, margins, problems = margin_columns(frame, codebook, population.margins)
    channel = frame["channel"] if "channel" in frame.columns else None
    table, by_channel = representation(columns, margins, threshold=threshold, by=channel)
    return table, by_channel, problems


def weights_for(
    frame: pd.DataFrame,
    codebook: Codebook,
    population: Population,
    bounds: tuple[float, float] | None = DEFAULT_BOUNDS,
) -> tuple[Raking | None, list[Problem]]:
    """Raking weights of the respondents to the campaign's margins, or the problems."""
    columns, margins, problems = margin_columns(frame, codebook, population.margins)
    if problems or not margins:
        return None, problems or [Problem("P_NO_MARGINS")]
    try:
        return rake(columns, margins, bounds=bounds), []
    except ValueError as error:
        found = error.args[0] if error.args and isinstance(error.args[0], list) else []
        return None, [
            Problem("P_" + p.code.removeprefix("W_"), variable=p.where, **dict(p.context))
            for p in found
        ]


# --- what the monitor page shows ------------------------------------------------------


@dataclass(frozen=True)
class MonitorRow:
    category: str
    label: str
    respondents: int
    sample_share: float
    population_share: float
    ratio: float
    under: bool


@dataclass(frozen=True)
class MonitorVariable:
    name: str
    title: str
    answered: int
    rows: list[MonitorRow]

    @property
    def flagged(self) -> list[MonitorRow]:
        return [row for row in self.rows if row.under]


def monitor_view(
    frame: pd.DataFrame, codebook: Codebook, population: Population, threshold: float
) -> tuple[list[MonitorVariable], pd.DataFrame, list[Problem]]:
    """The monitor's tables with the questionnaire's words, and respondents per channel."""
    table, by_channel, problems = monitor(frame, codebook, population, threshold)
    variables = []
    for name, rows in table.groupby("variable", sort=False):
        parts = name.split(CROSS)
        title = " × ".join(codebook[p].label if p in codebook else p for p in parts)
        items = [
            MonitorRow(
                row.category,
                _category_label(codebook, parts, row.category),
                int(row.respondents),
                float(row.sample_share),
                float(row.population_share),
                float(row.ratio),
                bool(row.under),
            )
            for row in rows.itertuples()
        ]
        variables.append(
            MonitorVariable(name, title, int(sum(r.respondents for r in items)), items)
        )
    if not by_channel.empty:
        by_channel = by_channel.assign(
            label=[
                _category_label(codebook, v.split(CROSS), c)
                for v, c in zip(by_channel["variable"], by_channel["category"], strict=True)
            ]
        )
    return variables, by_channel, problems


def _category_label(codebook: Codebook, parts: list[str], category: str) -> str:
    pieces = category.split(CROSS)
    labels = []
    for part, piece in zip(parts, pieces, strict=False):
        variable = codebook.get(part)
        labels.append(variable.category_labels.get(piece, piece) if variable else piece)
    return " × ".join(labels)


def rows_frame(view: MonitorVariable) -> pd.DataFrame:
    """One variable of the monitor as the chart takes it."""
    return pd.DataFrame(
        {
            "label": [row.label for row in view.rows],
            "sample_share": [row.sample_share for row in view.rows],
            "population_share": [row.population_share for row in view.rows],
            "under": [row.under for row in view.rows],
        }
    )


@dataclass(frozen=True)
class ChannelTable:
    """Respondents per group (rows) and channel or partner link (columns)."""

    channels: list[str]
    rows: list[tuple[str, str, list[int], bool]]  # variable title, group, counts, under


def channel_table(by_channel: pd.DataFrame, variables: list[MonitorVariable]) -> ChannelTable:
    channels = [c for c in by_channel.columns if c not in ("variable", "category", "label")]
    under = {(v.name, r.category) for v in variables for r in v.rows if r.under}
    titles = {v.name: v.title for v in variables}
    rows = [
        (
            titles.get(row["variable"], row["variable"]),
            row["label"],
            [int(row[c]) for c in channels],
            (row["variable"], row["category"]) in under,
        )
        for _, row in by_channel.iterrows()
    ]
    return ChannelTable(channels, rows)
