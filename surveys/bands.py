"""Number groups ("bands"): a number or date question cut into groups (age 14–17 / 18–21 /
22–25) becomes one more categorical variable of the analysis frame and codebook, so that
filters, cross-tabs, wave comparisons and public outputs use it like any choice question
while ``analysis/`` stays generic.

Each group starts at its lower bound and ends before the next one (the last has no end);
values below the first bound belong to no group. Defaults come from the question's range when
it is short (ages, a 0–10 rating), else from the quartiles of the answers; staff may change
them (stored per questionnaire version in :class:`~surveys.band_models.NumberBands`).
"""

import dataclasses
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlmodel import Session, select

from analysis.codebook import Codebook, Variable
from analysis.i18n import N_
from surveys.band_models import NumberBands
from surveys.document import Document, Question, text
from surveys.problems import Problem

SUFFIX = "__groups"
NUMBER_TYPES = ("integer", "decimal", "rating")
BANDABLE_TYPES = (*NUMBER_TYPES, "date")
MAX_BANDS = 12
RANGE_BANDS = 3  # a short range is cut in three
SHORT_RANGE = 30  # at most this many whole values: cut the range, else the quartiles

_BOUND = re.compile(r"\.\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)")

BAND_MESSAGES = {
    "BANDS_NOT_A_NUMBER": N_("Group {n}: “{value}” is not a number."),
    "BANDS_NOT_A_DATE": N_("Group {n}: “{value}” is not a date (year-month-day)."),
    "BANDS_NOT_ASCENDING": N_("Group {n} must start after group {previous}."),
    "BANDS_TOO_FEW": N_("Give at least two groups, or none to stop grouping this question."),
    "BANDS_TOO_MANY": N_("Give at most {max} groups."),
    "BANDS_LABEL_TOO_LONG": N_("Group {n}: the name may hold at most 40 characters."),
    "BANDS_UNKNOWN_QUESTION": N_(
        "“{value}” is not a number or date question of this questionnaire."
    ),
}


def group_name(question: str) -> str:
    """The name of a question's group variable (a frame column and a query key)."""
    return question + SUFFIX


def is_group(name: str) -> bool:
    return name.endswith(SUFFIX)


@dataclass(frozen=True)
class Bands:
    question: str
    lows: tuple[Any, ...]  # ascending numbers, or dates
    labels: tuple[str, ...]
    stored: bool = False

    @property
    def values(self) -> tuple[str, ...]:
        """Category values: the lower bounds as text (``age__groups=18`` reads well)."""
        return tuple(_value(low) for low in self.lows)


def _value(low: Any) -> str:
    if isinstance(low, date):
        return low.isoformat()
    return f"{low:g}" if isinstance(low, float) else str(low)


def _shown(value: Any, lang: str) -> str:
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float) and not value.is_integer():
        shown = f"{value:g}"
        return shown.replace(".", ",") if lang == "fr" else shown
    return str(int(value))


def _labels(question: Question, lows: Sequence[Any], top: Any, lang: str) -> tuple[str, ...]:
    """ "14–17" for whole numbers; "from 20" style bounds for decimals and dates."""
    whole = question.type in ("integer", "rating")
    labels = []
    for i, low in enumerate(lows):
        following = lows[i + 1] if i + 1 < len(lows) else None
        if whole and following is not None:
            end = following - 1
            labels.append(
                _shown(low, lang) if end == low else f"{_shown(low, lang)}–{_shown(end, lang)}"
            )
        elif whole and top is not None and top > low:
            labels.append(f"{_shown(low, lang)}–{_shown(top, lang)}")
        elif following is not None:
            labels.append(f"{_shown(low, lang)} – {_shown(following, lang)}")
        else:
            labels.append(f"≥ {_shown(low, lang)}")
    return tuple(labels)


def question_range(question: Question) -> tuple[float | None, float | None]:
    """The smallest and largest allowed value: ``min``/``max``, else the constraint's bounds."""
    low, high = question.min, question.max
    if question.type == "rating":
        low = 0 if low is None else low
        high = 10 if high is None else high
    for op, number in _BOUND.findall(question.constraint or ""):
        value = float(number)
        if op in (">=", ">") and low is None:
            low = value + (1 if op == ">" and question.type == "integer" else 0)
        if op in ("<=", "<") and high is None:
            high = value - (1 if op == "<" and question.type == "integer" else 0)
    return low, high


def default_bands(question: Question, answers: pd.Series, lang: str) -> Bands | None:
    """Three groups over a short whole-number range; else the quartiles of the answers."""
    low, high = question_range(question)
    whole = question.type in ("integer", "rating")
    if whole and low is not None and high is not None and 3 <= high - low + 1 <= SHORT_RANGE:
        width = math.ceil((high - low + 1) / RANGE_BANDS)
        lows = tuple(int(low) + i * width for i in range(RANGE_BANDS) if low + i * width <= high)
        return Bands(question.name, lows, _labels(question, lows, int(high), lang))
    values = answers.dropna()
    if values.empty:
        return None
    if question.type == "date":
        stamps = pd.to_datetime(values)
        cuts = stamps.quantile([0, 0.25, 0.5, 0.75]).dt.date.tolist()
        lows = tuple(dict.fromkeys(cuts))
        top = None
    else:
        numbers = values.astype(float)
        cuts = numbers.quantile([0, 0.25, 0.5, 0.75]).tolist()
        spread = numbers.max() - numbers.min()
        lows = tuple(
            dict.fromkeys(int(math.floor(c)) if whole or spread > 10 else round(c, 1) for c in cuts)
        )
        top = int(numbers.max()) if whole else None
    if len(lows) < 2:
        return None
    return Bands(question.name, lows, _labels(question, lows, top, lang))


def bandable(document: Document) -> list[Question]:
    return [q for q in document.questions() if q.type in BANDABLE_TYPES]


def stored_bands(session: Session, version_id: int) -> dict[str, NumberBands]:
    rows = session.exec(select(NumberBands).where(NumberBands.version_id == version_id)).all()
    return {row.question: row for row in rows}


def _from_row(question: Question, row: NumberBands) -> Bands | None:
    if len(row.lows) < 2:
        return None  # staff chose not to group this question
    lows = tuple(
        date.fromisoformat(v) if question.type == "date" else float(v) if "." in str(v) else int(v)
        for v in row.lows
    )
    return Bands(question.name, lows, tuple(row.labels), stored=True)


def bands_of(
    document: Document, frame: pd.DataFrame, stored: dict[str, NumberBands], lang: str
) -> list[Bands]:
    """The groups of every number and date question: the stored ones, else the defaults."""
    out = []
    for question in bandable(document):
        if question.name in stored:
            bands = _from_row(question, stored[question.name])
        elif question.name in frame.columns:
            bands = default_bands(question, frame[question.name], lang)
        else:
            bands = None
        if bands is not None:
            out.append(bands)
    return out


def band_codes(column: pd.Series, lows: Sequence[Any]) -> np.ndarray:
    """Each value's group, 0..k-1 (each group runs up to the next one's bound), -1 for none."""
    if lows and isinstance(lows[0], date):
        values = pd.to_datetime(column).to_numpy(dtype="datetime64[us]")
        edges = np.array([np.datetime64(low, "us") for low in lows])
        missing = np.isnat(values)
    else:
        values = pd.to_numeric(column).to_numpy(dtype=float, na_value=np.nan)
        edges = np.array([float(low) for low in lows])
        missing = np.isnan(values)
    codes = np.searchsorted(edges, values, side="right") - 1
    codes[missing] = -1
    return codes


def with_bands(
    frame: pd.DataFrame, codebook: Codebook, bands: Sequence[Bands], lang: str, gettext
) -> tuple[pd.DataFrame, Codebook]:
    """The frame with one ordinal column per grouped question, and its codebook."""
    if not bands:
        return frame, codebook
    columns, variables = {}, list(codebook.variables)
    for band in bands:
        source = codebook.get(band.question)
        if source is None or band.question not in frame.columns:
            continue
        name = group_name(band.question)
        codes = band_codes(frame[band.question], band.lows)
        columns[name] = pd.Categorical.from_codes(codes, categories=list(band.values))
        label = gettext("%(question)s (groups)") % {"question": source.label}
        variable = Variable(
            name,
            "ordinal",
            label=label,
            categories=band.values,
            category_labels=dict(zip(band.values, band.labels, strict=True)),
            asked_column=source.asked_column,
            section=source.section,
        )
        index = next(i for i, v in enumerate(variables) if v.name == band.question)
        variables.insert(index + 1, variable)
    new = frame.assign(**{k: pd.Series(v, index=frame.index) for k, v in columns.items()})
    return new, Codebook.of(variables)


# --- the results data with its groups ---------------------------------------------------


def banded(session: Session, data, gettext):
    """``data`` (a :class:`surveys.results.ResultsData`) with the groups of its number and
    date questions as categorical variables; memoised on ``data`` per stored groups."""
    version_id = max(c.version_id for c in data.campaigns)
    stored = stored_bands(session, version_id)
    key = ("bands", tuple(sorted((q, tuple(r.lows), tuple(r.labels)) for q, r in stored.items())))

    def build():
        bands = bands_of(data.document, data.frame, stored, data.lang)
        frame, codebook = with_bands(data.frame, data.codebook, bands, data.lang, gettext)
        return dataclasses.replace(
            data,
            frame=frame,
            codebook=codebook,
            # chart URLs carry the data version: new groups, new URLs
            version=data.version._replace(
                last_submitted=f"{data.version.last_submitted}|{abs(hash(key)) % 10**10}"
            )
            if key[1]
            else data.version,
            _memo=OrderedDict(),
            _lock=threading.Lock(),
        )

    return data.memo(key, build)


# --- staff's changes ---------------------------------------------------------------------


def _parse_low(question: Question, raw: str, n: int) -> tuple[Any, Problem | None]:
    raw = raw.strip()
    if question.type == "date":
        try:
            return date.fromisoformat(raw), None
        except ValueError:
            return None, Problem("BANDS_NOT_A_DATE", f"low-{n}", n=n, value=raw)
    try:
        value = float(raw.replace(",", ".").replace(" ", "").replace("\u202f", ""))
    except ValueError:
        return None, Problem("BANDS_NOT_A_NUMBER", f"low-{n}", n=n, value=raw)
    if not math.isfinite(value):
        return None, Problem("BANDS_NOT_A_NUMBER", f"low-{n}", n=n, value=raw)
    return (int(value) if value.is_integer() else value), None


def save_bands(
    session: Session,
    version_id: int,
    document: Document,
    question_name: str,
    lows: Sequence[str],
    labels: Sequence[str],
    lang: str,
) -> list[Problem]:
    """Store a question's groups from the form's rows (empty rows ignored; no row at all:
    the question is not grouped). Nothing is saved when a problem is found."""
    question = next((q for q in bandable(document) if q.name == question_name), None)
    if question is None:
        return [Problem("BANDS_UNKNOWN_QUESTION", "question", value=question_name)]
    rows = [
        (n, low, (labels[i] if i < len(labels) else "").strip())
        for i, (n, low) in enumerate(enumerate(lows, start=1))
        if low.strip()
    ]
    problems: list[Problem] = []
    parsed = []
    for n, raw, label in rows:
        value, problem = _parse_low(question, raw, n)
        if problem:
            problems.append(problem)
            continue
        if len(label) > 40:
            problems.append(Problem("BANDS_LABEL_TOO_LONG", f"label-{n}", n=n))
        if parsed and value <= parsed[-1][1]:
            problems.append(Problem("BANDS_NOT_ASCENDING", f"low-{n}", n=n, previous=parsed[-1][0]))
        parsed.append((n, value, label))
    if len(parsed) == 1 and not problems:
        problems.append(Problem("BANDS_TOO_FEW", "low-1"))
    if len(parsed) > MAX_BANDS:
        problems.append(Problem("BANDS_TOO_MANY", "low-1", max=MAX_BANDS))
    if problems:
        return problems
    values = [value for _, value, _ in parsed]
    top = question_range(question)[1]
    defaults = _labels(question, values, int(top) if top is not None else None, lang)
    names = [label or defaults[i] for i, (_, _, label) in enumerate(parsed)]
    row = stored_bands(session, version_id).get(question.name) or NumberBands(
        version_id=version_id, question=question.name
    )
    row.lows = [v.isoformat() if isinstance(v, date) else v for v in values]
    row.labels = names
    row.updated_at = datetime.now(UTC)
    session.add(row)
    session.commit()
    return []


def reset_bands(session: Session, version_id: int, question_name: str) -> None:
    """Back to the default groups."""
    row = stored_bands(session, version_id).get(question_name)
    if row is not None:
        session.delete(row)
        session.commit()


def question_label(question: Question, lang: str) -> str:
    return text(question.label, lang, question.name)
