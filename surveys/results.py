"""Results of campaigns and series: the read side of the responses, framework-free.

Everything here is a function of ``(session, plain values)`` or of a :class:`ResultsData`
(the frame and codebook of one campaign, or of the waves of a series). All computing is done by
``analysis``; this module loads the responses in one query, caches what it built, and shapes it
for the pages, the exports, the report and the API.

Caching: a :class:`ResultsData` is kept in an in-process LRU keyed on the campaigns and the
language, and checked against :func:`data_version` — ``(responses, completes, max(id),
max(submitted_at))`` — so a page refreshes as soon as a response arrives. That check scans the
campaign's rows, so a cheaper one read from indexes (:func:`quick_version`) comes first: a page
whose data has not changed costs one small query. Summaries and charts are memoised inside it per filter set.
Each worker process has its own cache (they agree, since the key is read from the database).
"""

import base64
import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from itertools import compress
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import orjson
import pandas as pd
from sqlalchemy import BigInteger, LargeBinary, String, Text, case, cast, func, type_coerce
from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from analysis.charts import (
    Chart,
    bar_chart,
    crosstab_chart,
    histogram_chart,
    likert_chart,
    timeline_chart,
    to_png,
    to_svg,
    waves_chart,
)
from analysis.codebook import Codebook, Variable
from analysis.crosstab import CrossTab, crosstab
from analysis.filters import Condition, apply_filters, filters_to_query, parse_filters
from analysis.formats import below_k, format_number, format_points, format_share
from analysis.i18n import HERE as ANALYSIS_DIR
from analysis.i18n import N_, translations
from analysis.problems import Problem
from analysis.summaries import Summary, summarise, summary_table
from analysis.suppression import suppress_crosstab, suppress_summary, suppress_waves
from analysis.waves import WaveComparison, compare_waves
from surveys.document import Document, from_dict, text
from surveys.frame import FrameBuilder, meta_frame
from surveys.models import Campaign, Questionnaire, QuestionnaireVersion, Quote, Response

SURVEYS_DIR = Path(__file__).parent
DEFAULT_K = 5
CACHE_SIZE = 16
MEMO_SIZE = 256
MAX_TEXT_ANSWERS = 500
CHUNK_ROWS = 20_000  # responses read and parsed at a time: bounds the memory of a load

# What a person reads for each problem code of analysis.filters and of this module.
MESSAGES = {
    "FILTER_UNKNOWN_VARIABLE": N_("There is no question “%(where)s” to filter on; it was ignored."),
    "FILTER_NOT_CATEGORICAL": N_(
        "The question “%(where)s” cannot be used as a filter; it was ignored."
    ),
    "FILTER_UNKNOWN_VALUE": N_(
        "“%(value)s” is not an answer of the question “%(where)s”; it was ignored."
    ),
    "FILTER_BAD_DATE": N_("“%(value)s” is not a date (expected YYYY-MM-DD); it was ignored."),
    "FILTER_EMPTY_RANGE": N_("The start date is after the end date; the dates were ignored."),
    "RESULTS_UNKNOWN_QUESTION": N_("There is no question “%(where)s” in this questionnaire."),
    "RESULTS_NOT_CATEGORICAL": N_(
        "The question “%(where)s” has no categories: choose a single or multiple choice or a scale."
    ),
    "RESULTS_SAME_QUESTION": N_("Choose two different questions."),
}


def gettext_for(lang: str):
    """``_`` for this module: its own strings (surveys' catalogues), then analysis'."""
    return translations(lang, (SURVEYS_DIR, ANALYSIS_DIR)).gettext


@dataclass(frozen=True)
class Message:
    """A problem worded for the reader: ``message`` is a gettext id, ``params`` its values."""

    code: str
    where: str
    message: str
    params: Mapping[str, Any]


def explain(problems: Sequence[Problem]) -> list[Message]:
    return [
        Message(
            p.code,
            p.where,
            MESSAGES.get(p.code, p.code),
            {"where": p.where, **{k: str(v) for k, v in p.context.items()}},
        )
        for p in problems
    ]


# --- campaigns --------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignInfo:
    id: int
    slug: str
    name: str
    series: str
    wave: str
    commission_id: int
    version_id: int
    opens_at: datetime | None
    closes_at: datetime | None

    @property
    def key(self) -> str:
        """The value of the frame's ``campaign`` column for this campaign's responses."""
        return self.wave or self.slug


def _campaign_query():
    return (
        select(
            Campaign.id,
            Campaign.slug,
            Campaign.name,
            Campaign.series,
            Campaign.wave,
            Questionnaire.commission_id,
            Campaign.version_id,
            Campaign.opens_at,
            Campaign.closes_at,
        )
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Campaign.version_id)
        .join(Questionnaire, Questionnaire.id == QuestionnaireVersion.questionnaire_id)
    )


def find_campaign(session: Session, slug: str) -> CampaignInfo | None:
    row = session.exec(_campaign_query().where(Campaign.slug == slug)).first()
    return CampaignInfo(*row) if row else None


def find_series(session: Session, series: str) -> list[CampaignInfo]:
    """The waves of a series, oldest first (by opening date, then wave label)."""
    if not series:
        return []
    rows = session.exec(
        _campaign_query()
        .where(Campaign.series == series)
        .order_by(Campaign.opens_at, Campaign.wave, Campaign.id)
    ).all()
    return [CampaignInfo(*row) for row in rows]


# --- loading and caching ----------------------------------------------------------------


class DataVersion(NamedTuple):
    responses: int
    completes: int
    last_id: int | None
    last_submitted: str | None


def data_version(session: Session, campaign_ids: Sequence[int]) -> DataVersion:
    """Changes whenever a response is added, completed or removed: one aggregate query."""
    completes = func.count(case((Response.completed, 1)))
    row = session.exec(
        select(
            func.count(Response.id),
            completes,
            func.max(Response.id),
            func.max(Response.submitted_at),
        ).where(Response.campaign_id.in_(list(campaign_ids)))
    ).one()
    return DataVersion(*(str(v) if isinstance(v, datetime) else v for v in row))


def quick_version(session: Session, campaign_ids: Sequence[int]) -> tuple:
    """What changes with every response added, removed or completed, read from indexes
    only: these campaigns' responses (count, last id) and the last submission of any
    campaign. When it has not changed, neither has :func:`data_version`, whose scan of
    the campaign's rows costs tens of milliseconds per 100,000 responses."""
    ids = list(campaign_ids)
    row = session.exec(
        select(
            select(func.count()).where(Response.campaign_id.in_(ids)).scalar_subquery(),
            select(func.max(Response.id)).where(Response.campaign_id.in_(ids)).scalar_subquery(),
            select(func.max(Response.submitted_at)).scalar_subquery(),
        )
    ).one()
    return tuple(str(v) if isinstance(v, datetime) else v for v in row)


@dataclass
class ResultsData:
    """The complete responses of one campaign (or of a series' waves) as a frame + codebook,
    the drafts' progress, and memoised summaries and charts for each filter set."""

    campaigns: tuple[CampaignInfo, ...]
    document: Document
    frame: pd.DataFrame
    codebook: Codebook
    version: DataVersion
    lang: str
    drafts: int
    dropoff: tuple[tuple[str, str, int], ...]  # (section name, title, drafts that stopped there)
    quick: tuple = ()  # the last quick_version seen with this version
    _memo: OrderedDict = field(default_factory=OrderedDict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def campaign(self) -> CampaignInfo:
        return self.campaigns[-1]

    @property
    def etag(self) -> str:
        """A short tag of the data version, for cache headers and chart URLs."""
        return format(abs(hash((self.version, self.lang))) % 16**10, "x")

    def memo(self, key: Hashable, build: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]
        value = build()
        with self._lock:
            self._memo[key] = value
            while len(self._memo) > MEMO_SIZE:
                self._memo.popitem(last=False)
        return value


class ResultsCache:
    """A small thread-safe LRU of :class:`ResultsData` per (campaigns, language)."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, version: DataVersion) -> ResultsData | None:
        with self._lock:
            data = self._items.get(key)
            if data is None or data.version != version:
                return None
            self._items.move_to_end(key)
            return data

    def get_quick(self, key: Hashable, quick: tuple) -> ResultsData | None:
        with self._lock:
            data = self._items.get(key)
            return data if data is not None and data.quick == quick else None

    def put(self, key: Hashable, data: ResultsData) -> None:
        with self._lock:
            self._items[key] = data
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


CACHE = ResultsCache()


def load_results(
    session: Session,
    campaigns: Sequence[CampaignInfo],
    lang: str = "fr",
    cache: ResultsCache | None = CACHE,
) -> ResultsData:
    """The results data of these campaigns (waves of one series, or a single campaign).

    Across versions, the latest version's document gives the codebook; answers are kept by
    question name, so a question added later is "not answered" in earlier waves.
    """
    campaigns = tuple(campaigns)
    ids = [c.id for c in campaigns]
    key = (tuple(ids), lang)
    quick = quick_version(session, ids)
    if cache is not None and (hit := cache.get_quick(key, quick)) is not None:
        return hit
    version = data_version(session, ids)
    if cache is not None and (hit := cache.get(key, version)) is not None:
        hit.quick = quick  # another campaign's submission moved the quick version only
        return hit
    latest = max(c.version_id for c in campaigns)
    document = from_dict(session.get(QuestionnaireVersion, latest).document)
    builder = FrameBuilder(document, lang, expected_rows=version.completes)
    drafts = _read_responses(session, campaigns, builder, _page_of(document))
    frame, codebook = builder.result()
    data = ResultsData(
        campaigns=campaigns,
        document=document,
        frame=frame,
        codebook=codebook,
        version=version,
        lang=lang,
        drafts=len(drafts),
        dropoff=_dropoff(document, drafts, lang),
        quick=quick,
    )
    if cache is not None:
        cache.put(key, data)
    return data


def _stored(session: Session, column):
    """A column as the driver returns it, without SQLAlchemy's per-row conversion: the
    answers as their JSON text (bytes on SQLite) for Arrow to parse; times as SQLite's
    stored text, or PostgreSQL's microseconds since 1970 (integers convert much faster
    than datetimes)."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    if column is Response.answers:
        return cast(column, LargeBinary if sqlite else Text)
    if sqlite:
        return type_coerce(column, String)
    return cast(func.extract("epoch", column) * 1_000_000, BigInteger)


def _read_responses(
    session: Session,
    campaigns: Sequence[CampaignInfo],
    builder: FrameBuilder,
    page_of: Callable[[Mapping[str, Any]], int],
) -> list[int]:
    """Feed the complete responses to the builder in chunks, streamed by one query; return
    the page each draft stopped at."""
    wave_of = {c.id: c.key for c in campaigns}
    query = (
        sa_select(
            Response.id,
            Response.campaign_id,
            _stored(session, Response.submitted_at),
            Response.channel,
            _stored(session, Response.answers),
            Response.completed,
        )
        .where(Response.campaign_id.in_([c.id for c in campaigns]))
        .order_by(Response.id)
    )
    connection = session.connection()
    if connection.dialect.supports_server_side_cursors:
        # so that a million responses never sit in memory at once (SQLite reads lazily anyway)
        query = query.execution_options(stream_results=True, max_row_buffer=CHUNK_ROWS)
    result = connection.execute(query)
    drafts = []
    # Arrow parses a chunk (without the GIL) while the next one is fetched and, on
    # PostgreSQL, converted to text by the server: a single worker keeps the chunks in order.
    with ThreadPoolExecutor(max_workers=1) as parser:
        parsing = None
        while rows := result.fetchmany(CHUNK_ROWS):
            columns = [[row[i] for row in rows] for i in range(6)]  # faster than zip(*rows)
            done = np.array(columns[-1], dtype=bool)
            if not done.all():
                stopped = compress(columns[4], ~done)
                drafts += [page_of(orjson.loads(t)) for t in stopped]
                columns = [list(compress(column, done)) for column in columns]
            if not columns[0]:
                continue
            ids, campaign_ids, submitted, channels, texts, _ = columns
            meta = meta_frame(
                np.array(ids, dtype=np.int64),
                list(map(wave_of.__getitem__, campaign_ids)),
                _times(submitted),
                channels,
            )
            if parsing is not None:
                parsing.result()
            parsing = parser.submit(builder.add_json, meta, texts)
        if parsing is not None:
            parsing.result()
    return drafts


def _times(values: Sequence[int | str | None]) -> pd.DatetimeIndex:
    """Submission times in UTC, from what :func:`_stored` selects."""
    if any(isinstance(v, str) for v in values):
        return pd.to_datetime(values, utc=True, format="ISO8601")
    return pd.to_datetime(pd.array(values, dtype="Int64"), unit="us", utc=True)


def _page_of(document: Document) -> Callable[[Mapping[str, Any]], int]:
    """The last page of the questionnaire that holds an answer (0 = nothing answered yet)."""
    section_of = {}
    for index, section in enumerate(document.sections, start=1):
        for question in section.questions:
            section_of[question.name] = index
            section_of[question.other_name] = index

    def page(answers: Mapping[str, Any]) -> int:
        keys = answers if isinstance(answers, dict) else ()
        return max((section_of.get(k, 0) for k in keys), default=0)

    return page


def _dropoff(document: Document, drafts: list[int], lang: str) -> tuple:
    """Drafts by the last page that holds an answer."""
    reached = np.bincount(np.asarray(drafts, dtype=np.int64), minlength=len(document.sections) + 1)
    return tuple(
        (s.name, text(s.title, lang, document.default_language) or s.name, int(reached[i]))
        for i, s in enumerate(document.sections, start=1)
    )


# --- filters ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Filtered:
    """The rows kept by a query's filters, the conditions, and the problems met."""

    frame: pd.DataFrame
    conditions: tuple[Condition, ...]
    problems: tuple[Message, ...]
    key: tuple  # hashable, canonical form of the applied filters

    @property
    def query(self) -> dict[str, list[str]]:
        return filters_to_query(self.conditions)


FILTER_KEYS = ("from", "to", "campaign", "channel")


def filter_results(data: ResultsData, query: Mapping[str, Any]) -> Filtered:
    """Apply the filters of a query (variable names → values, ``from``/``to`` dates); keys
    that are not filters (``row``, ``col``, ``q``, ``public``...) must be removed first."""
    conditions, problems = parse_filters(query, data.codebook)
    key = tuple(sorted((k, tuple(v)) for k, v in filters_to_query(conditions).items()))

    def build() -> pd.DataFrame:
        return apply_filters(data.frame, data.codebook, conditions) if conditions else data.frame

    frame = data.memo(("frame", key), build)
    return Filtered(frame, tuple(conditions), tuple(explain(problems)), key)


# Query keys of the results pages that are not filters.
NOT_FILTERS = frozenset(
    {"q", "row", "col", "search", "v", "public", "format", "separator", "scope"}
)


def filter_query(query: Mapping[str, Any]) -> dict[str, list[str]]:
    """The keys of a request query that are meant as filters (unknown ones included, so that
    a stale link gets a message)."""
    return {
        key: [value] if isinstance(value, str) else list(value)
        for key, value in query.items()
        if key not in NOT_FILTERS
    }


@dataclass(frozen=True)
class FilterOption:
    name: str
    label: str
    options: tuple[tuple[str, str], ...]  # (value, label)
    selected: tuple[str, ...]


def filter_options(data: ResultsData, applied: Filtered) -> list[FilterOption]:
    """What the filter bar offers: each single-choice or scale question, the channel, and the
    wave when several campaigns are shown."""
    query = applied.query
    _ = gettext_for(data.lang)
    out = []
    if len(data.campaigns) > 1:
        waves = tuple((c.key, c.key) for c in data.campaigns)
        out.append(FilterOption("campaign", _("Wave"), waves, tuple(query.get("campaign", ()))))
    for variable in data.codebook.of_kind("single", "ordinal"):
        if "/" in variable.name:
            continue  # matrix rows: too many to filter on
        options = tuple(zip(variable.categories, variable.labels(), strict=True))
        out.append(
            FilterOption(
                variable.name, variable.label, options, tuple(query.get(variable.name, ()))
            )
        )
    channels = sorted(str(c) for c in data.frame["channel"].dropna().unique())
    out.append(
        FilterOption(
            "channel",
            _("Channel"),
            tuple((c, c) for c in channels),
            tuple(query.get("channel", ())),
        )
    )
    return out


# --- formatted tables -------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """A table ready to print: headers and rows of text (numbers in the reader's format)."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""


def _cell(value: Any, share: bool, lang: str, k: int | None) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return below_k(k, lang) if (k and not share) else ("" if not k else below_k(k, lang))
    if isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool):
        return format_share(float(value), lang) if share else format_number(float(value), lang)
    return str(value)


def summary_view(summary: Summary, lang: str) -> Table:
    """The summary table of analysis, every cell formatted; hidden cells read "< k"."""
    _ = gettext_for(lang)
    table = summary_table(summary, lang)
    shares = {_("Share of respondents"), _("Share of mentions")}
    categorical = summary.variable.is_categorical
    rows = []
    hidden = summary.hidden.to_numpy() if summary.hidden is not None else None
    for i, row in enumerate(table.itertuples(index=False, name=None)):
        is_hidden = hidden is not None and i < len(hidden) and bool(hidden[i])
        cells = []
        for header, value in zip(table.columns, row, strict=True):
            missing = (
                value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))
            )
            if missing and not (categorical and is_hidden):
                cells.append("")
            else:
                cells.append(_cell(value, header in shares, lang, summary.k if is_hidden else None))
        rows.append(tuple(cells))
    return Table(tuple(str(c) for c in table.columns), tuple(rows), summary.variable.label)


# --- question cards ---------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    """One question of the questionnaire, summarised: its variables (matrix rows, ranking
    items, an "other" text), a chart when one fits, and printable tables."""

    question: str
    label: str
    section: str
    kind: str  # choice | scale | matrix | numeric | ranking | text | date
    summaries: tuple[Summary, ...]
    tables: tuple[Table, ...]
    chart: str | None  # the chart's key for chart_of(), None when no chart fits
    alt_text: str
    n_valid: int
    n_no_answer: int
    n_not_asked: int
    texts: int  # free-text answers that can be read in the text reader


def _groups(codebook: Codebook) -> list[tuple[str, list[Variable]]]:
    groups: dict[str, list[Variable]] = {}
    for variable in codebook:
        groups.setdefault(variable.question or variable.name, []).append(variable)
    return list(groups.items())


def _card_kind(variables: list[Variable]) -> str:
    main = variables[0]
    if main.kind == "numeric" and "/" in main.name:
        return "ranking"
    if main.kind == "ordinal" and "/" in main.name:
        return "matrix"
    return {
        "single": "choice",
        "multi": "choice",
        "ordinal": "scale",
        "numeric": "numeric",
        "text": "text",
        "date": "date",
    }[main.kind]


def _suppress(summary: Summary, k: int | None) -> Summary:
    return suppress_summary(summary, k) if k else summary


def _withhold_small_bases(summary: Summary, k: int) -> Summary:
    """Public outputs also withhold the bases (answered, no answer, not asked, a numeric
    n) that count fewer than k people: with a narrow filter they would name someone."""

    def small(n) -> bool:
        return isinstance(n, int | np.integer) and 0 < n < k

    changes = {
        name: None
        for name in ("n_valid", "n_no_answer", "n_not_asked")
        if small(getattr(summary, name))
    }
    table = summary.table
    if summary.variable.kind == "numeric" and small(summary.n_valid):
        table = table.assign(value=table["value"].where(table["statistic"] != "n"))
    if not changes and table is summary.table:
        return summary
    return dataclasses.replace(summary, table=table, **changes)


def public_summaries(data: ResultsData, applied: Filtered, k: int) -> list[Summary]:
    """Summaries for files that leave the commission: small cells and small bases withheld."""
    return data.memo(
        ("public-summaries", applied.key, k),
        lambda: [_withhold_small_bases(s, k) for s in summaries_of(data, applied, k)],
    )


def summaries_of(data: ResultsData, applied: Filtered, k: int | None = None) -> list[Summary]:
    """Every variable summarised on the filtered rows (suppressed below ``k`` when given)."""

    def build() -> list[Summary]:
        return [_suppress(summarise(applied.frame, v), k) for v in data.codebook]

    return data.memo(("summaries", applied.key, k), build)


def question_label(data: ResultsData, question: str) -> str:
    document = data.document
    if document.has_question(question):
        return text(document.question(question).label, data.lang, document.default_language)
    return question


def build_chart(
    data: ResultsData, applied: Filtered, question: str, k: int | None = None
) -> Chart | None:
    """The chart of a question's card (memoised per filters and k)."""

    def build() -> Chart | None:
        summaries = {s.variable.name: s for s in summaries_of(data, applied, k)}
        variables = data.codebook.of_question(question)
        if not variables:
            return None
        kind = _card_kind(list(variables))
        lang = data.lang
        if kind in ("choice", "scale"):
            return bar_chart(summaries[variables[0].name], lang)
        if kind == "matrix":
            items = [summaries[v.name] for v in variables if v.kind == "ordinal"]
            return likert_chart(items, lang, title=question_label(data, question))
        if kind == "numeric":
            return histogram_chart(applied.frame, variables[0], lang, k=k)
        return None

    return data.memo(("chart", applied.key, question, k), build)


def chart_svg(data: ResultsData, applied: Filtered, question: str, k: int | None = None):
    chart = build_chart(data, applied, question, k)
    if chart is None:
        return None
    return data.memo(("svg", applied.key, question, k), lambda: to_svg(chart))


def svg_of(data: ResultsData, key: tuple, chart: Chart) -> bytes:
    """A chart's SVG, memoised under ``key`` (which must include the filters)."""
    return data.memo(("svg",) + key, lambda: to_svg(chart))


def question_cards(data: ResultsData, applied: Filtered, k: int | None = None) -> list[Card]:
    """A card per question, in questionnaire order."""
    summaries = {s.variable.name: s for s in summaries_of(data, applied, k)}
    cards = []
    for question, variables in _groups(data.codebook):
        kind = _card_kind(variables)
        own = [summaries[v.name] for v in variables]
        main = own[0]
        chart = build_chart(data, applied, question, k)
        cards.append(
            Card(
                question=question,
                label=question_label(data, question),
                section=variables[0].section or "",
                kind=kind,
                summaries=tuple(own),
                tables=_card_tables(kind, own, data.lang),
                chart=question if chart is not None else None,
                alt_text=chart.alt_text if chart is not None else "",
                n_valid=main.n_valid,
                n_no_answer=main.n_no_answer,
                n_not_asked=main.n_not_asked,
                texts=sum(s.n_valid for s in own if s.variable.kind == "text"),
            )
        )
    return cards


def _card_tables(kind: str, summaries: list[Summary], lang: str) -> tuple[Table, ...]:
    _ = gettext_for(lang)
    if kind == "ranking":
        rows = tuple(
            (
                s.variable.label.rsplit(" — ", 1)[-1],
                format_number(round(s.stats.get("mean", np.nan), 2), lang, 2),
                format_number(s.n_valid, lang),
            )
            for s in summaries
        )
        return (Table((_("Item"), _("Mean rank"), _("Respondents")), rows),)
    return tuple(
        summary_view(s, lang) for s in summaries if s.variable.kind != "text" or kind == "text"
    )


# --- overview ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    completes: int
    drafts: int
    completion_rate: float | None
    first: datetime | None
    last: datetime | None
    channels: tuple[tuple[str, int], ...]
    dropoff: tuple[tuple[str, str, int], ...]
    timeline_alt: str


def timeline(data: ResultsData) -> Chart:
    by = "week" if len(data.frame) and _span_days(data.frame) > 120 else "day"
    return data.memo(("timeline", by), lambda: timeline_chart(data.frame, data.lang, by=by))


def timeline_svg(data: ResultsData) -> bytes:
    chart = timeline(data)
    return data.memo(("timeline-svg",), lambda: to_svg(chart))


def _span_days(frame: pd.DataFrame) -> int:
    submitted = frame["submitted_at"].dropna()
    return (submitted.max() - submitted.min()).days if len(submitted) else 0


def overview(data: ResultsData) -> Overview:
    frame = data.frame
    started = len(frame) + data.drafts
    submitted = frame["submitted_at"].dropna()
    channels = frame["channel"].value_counts()
    return Overview(
        completes=len(frame),
        drafts=data.drafts,
        completion_rate=len(frame) / started if started else None,
        first=submitted.min().to_pydatetime() if len(submitted) else None,
        last=submitted.max().to_pydatetime() if len(submitted) else None,
        channels=tuple((str(c), int(n)) for c, n in channels.items()),
        dropoff=data.dropoff,
        timeline_alt=timeline(data).alt_text,
    )


# --- cross-tabs -------------------------------------------------------------------------


@dataclass(frozen=True)
class CrossTabView:
    table: CrossTab
    counts: Table
    row_shares: Table
    column_shares: Table
    p_value: str
    cramers_v: str
    significant: bool | None
    small_expected: bool
    multiple_response: bool
    alt_text: str


def choosable(data: ResultsData) -> list[tuple[str, str]]:
    """Variables that can be cross-tabulated or compared: (name, label)."""
    return [(v.name, v.label) for v in data.codebook.categorical()]


def check_pair(data: ResultsData, row: str, column: str) -> list[Message]:
    problems = []
    for name in (row, column):
        variable = data.codebook.get(name)
        if variable is None:
            problems.append(Problem("RESULTS_UNKNOWN_QUESTION", name))
        elif not variable.is_categorical:
            problems.append(Problem("RESULTS_NOT_CATEGORICAL", name))
    if not problems and row == column:
        problems.append(Problem("RESULTS_SAME_QUESTION", column))
    return explain(problems)


def crosstab_of(
    data: ResultsData, applied: Filtered, row: str, column: str, k: int | None = None
) -> CrossTab:
    def build() -> CrossTab:
        table = crosstab(applied.frame, data.codebook[row], data.codebook[column])
        return suppress_crosstab(table, k) if k else table

    return data.memo(("crosstab", applied.key, row, column, k), build)


def crosstab_chart_of(data, applied, row, column, k=None) -> Chart:
    table = crosstab_of(data, applied, row, column, k)
    return data.memo(
        ("crosstab-chart", applied.key, row, column, k), lambda: crosstab_chart(table, data.lang)
    )


def crosstab_view(
    data: ResultsData, applied: Filtered, row: str, column: str, k: int | None = None
) -> CrossTabView:
    table = crosstab_of(data, applied, row, column, k)
    lang = data.lang
    _ = gettext_for(lang)
    rows, columns = list(table.row.categories), list(table.column.categories)
    row_labels, column_labels = list(table.row.labels()), list(table.column.labels())
    headers = (table.row.label, *column_labels)

    def grid(frame: pd.DataFrame, share: bool, totals: pd.Series | None) -> Table:
        body = []
        for value, label in zip(rows, row_labels, strict=True):
            cells = [_cell(frame.loc[value, c], share, lang, table.k) for c in columns]
            if totals is not None:
                cells.append(_cell(totals.loc[value], False, lang, table.k))
            body.append((label, *cells))
        return Table(headers + ((_("Total"),) if totals is not None else ()), tuple(body))

    counts = grid(table.counts, False, table.row_totals)
    total_row = (
        _("Total"),
        *(_cell(table.column_totals.loc[c], False, lang, table.k) for c in columns),
        format_number(table.n, lang),
    )
    counts = Table(counts.headers, counts.rows + (total_row,), _("Number of respondents"))
    test = table.test
    chart = crosstab_chart_of(data, applied, row, column, k)
    return CrossTabView(
        table=table,
        counts=counts,
        row_shares=Table(
            grid(table.row_shares, True, None).headers,
            grid(table.row_shares, True, None).rows,
            _("Share of each row"),
        ),
        column_shares=Table(
            grid(table.column_shares, True, None).headers,
            grid(table.column_shares, True, None).rows,
            _("Share of each column"),
        ),
        p_value=format_number(round(test.p_value, 3), lang, 3) if test else "",
        cramers_v=format_number(round(test.cramers_v, 2), lang, 2) if test else "",
        significant=(test.p_value < 0.05) if test else None,
        small_expected=bool(test and test.small_expected),
        multiple_response=bool(test and test.multiple_response),
        alt_text=chart.alt_text,
    )


# --- waves ------------------------------------------------------------------------------


@dataclass(frozen=True)
class WavesView:
    comparison: WaveComparison
    table: Table
    alt_text: str


def comparable(data: ResultsData) -> list[tuple[str, str]]:
    return [(v.name, v.label) for v in data.codebook if v.is_categorical or v.kind == "numeric"]


def waves_of(data: ResultsData, applied: Filtered, name: str, k: int | None = None):
    def build() -> WaveComparison:
        waves = [c.key for c in data.campaigns]
        comparison = compare_waves(applied.frame, data.codebook[name], waves)
        return suppress_waves(comparison, k) if k else comparison

    return data.memo(("waves", applied.key, name, k), build)


def waves_chart_of(data: ResultsData, applied: Filtered, name: str, k: int | None = None):
    comparison = waves_of(data, applied, name, k)
    return data.memo(
        ("waves-chart", applied.key, name, k), lambda: waves_chart(comparison, data.lang)
    )


def waves_view(data: ResultsData, applied: Filtered, name: str, k: int | None = None) -> WavesView:
    """Each wave's share (or mean) side by side, and the change from the previous wave."""
    comparison = waves_of(data, applied, name, k)
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
            if i:
                change = comparison.changes.loc[index, wave]
                p = comparison.p_values.loc[index, wave]
                text_ = (
                    format_number(round(float(change), 2), lang, 2)
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
    for i, wave in enumerate(waves):
        bases.append(format_number(int(comparison.bases[wave]), lang))
        if i:
            bases.append("")
    rows.append(tuple(bases))
    chart = waves_chart_of(data, applied, name, k)
    return WavesView(comparison, Table(tuple(headers), tuple(rows), variable.label), chart.alt_text)


# --- free text and quotes ---------------------------------------------------------------


@dataclass(frozen=True)
class TextAnswer:
    response_id: int
    campaign: str
    text: str
    quote_id: int | None


def text_questions(data: ResultsData) -> list[tuple[str, str]]:
    return [(v.name, v.label) for v in data.codebook.of_kind("text")]


def text_answers(
    session: Session,
    data: ResultsData,
    applied: Filtered,
    name: str,
    search: str = "",
    limit: int = MAX_TEXT_ANSWERS,
) -> tuple[list[TextAnswer], int]:
    """The free-text answers of ``name`` (case-insensitive search), newest first, with the
    quote each one already is; and how many matched in all."""
    frame = applied.frame
    column = frame[name].astype("string")
    keep = (column.str.strip().str.len() > 0).fillna(False)
    if search.strip():
        keep &= column.str.contains(search.strip(), case=False, regex=False).fillna(False)
    chosen = frame.loc[keep.to_numpy(dtype=bool), ["response_id", "campaign", name]].iloc[::-1]
    total = len(chosen)
    chosen = chosen.head(limit)
    quotes = dict(
        session.exec(
            select(Quote.response_id, Quote.id).where(
                Quote.campaign_id.in_([c.id for c in data.campaigns]), Quote.question == name
            )
        ).all()
    )
    answers = [
        TextAnswer(int(rid), str(wave), str(value), quotes.get(int(rid)))
        for rid, wave, value in chosen.itertuples(index=False, name=None)
    ]
    return answers, total


def mark_quote(
    session: Session, campaign_ids: Sequence[int], response_id: int, question: str, user_id: int
) -> Quote | None:
    """Mark an answer as a quote for the plenary (idempotent); None if there is no such
    answer among these campaigns' complete responses."""
    response = session.get(Response, response_id)
    if response is None or response.campaign_id not in campaign_ids or not response.completed:
        return None
    value = (response.answers or {}).get(question)
    if not isinstance(value, str) or not value.strip():
        return None
    existing = session.exec(
        select(Quote).where(Quote.response_id == response_id, Quote.question == question)
    ).first()
    if existing:
        return existing
    quote = Quote(
        campaign_id=response.campaign_id,
        response_id=response_id,
        question=question,
        text=value.strip(),
        marked_by=user_id,
    )
    session.add(quote)
    session.commit()
    return quote


def unmark_quote(session: Session, campaign_ids: Sequence[int], quote_id: int) -> bool:
    quote = session.get(Quote, quote_id)
    if quote is None or quote.campaign_id not in campaign_ids:
        return False
    session.delete(quote)
    session.commit()
    return True


def list_quotes(session: Session, campaign_ids: Sequence[int]) -> list[Quote]:
    """The quotes chosen for these campaigns, oldest first (what a plenary deck shows)."""
    return list(
        session.exec(
            select(Quote)
            .where(Quote.campaign_id.in_(list(campaign_ids)))
            .order_by(Quote.created_at, Quote.id)
        ).all()
    )


# --- public outputs ---------------------------------------------------------------------


def public_frame(frame: pd.DataFrame, codebook: Codebook, k: int) -> pd.DataFrame:
    """Responses as they may leave the commission: no free text, no response id or time of
    day, and in every remaining column any value held by fewer than ``k`` respondents
    blanked (a rare answer could name someone), so no cell of the file stands for fewer
    than ``k`` people."""
    drop = ["response_id"] + [c for v in codebook if v.kind in ("text", "date") for c in v.columns]
    out = frame.drop(columns=[c for c in drop if c in frame.columns]).copy()
    out["submitted_at"] = pd.to_datetime(out["submitted_at"]).dt.strftime("%Y-%m")
    for column in out.columns:
        series = out[column]
        counts = series.value_counts(dropna=True)
        rare = counts[counts < k].index
        if len(rare):
            out[column] = series.mask(series.isin(rare))
    return out


def suppression_note(k: int, lang: str) -> str:
    _ = gettext_for(lang)
    return _(
        "Outside the commission, any figure about fewer than %(k)s respondents is hidden "
        "and shown as “%(shown)s”."
    ) % {"k": k, "shown": below_k(k, lang)}


# --- report -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportSection:
    name: str
    title: str
    cards: tuple[tuple[Card, str | None], ...]  # the card and its chart as a PNG data URI


@dataclass(frozen=True)
class Report:
    campaign: CampaignInfo
    title: str
    overview: Overview
    k: int
    suppression: str
    timeline_png: str
    sections: tuple[ReportSection, ...]


def _png_uri(chart: Chart) -> str:
    return "data:image/png;base64," + base64.b64encode(to_png(chart, dpi=110)).decode("ascii")


def campaign_report(data: ResultsData, k: int, public: bool = False) -> Report:
    """Everything the printable report shows: cover, method box, a section per page of the
    questionnaire with each question's chart (PNG) and table."""
    applied = filter_results(data, {})
    cards = question_cards(data, applied, k if public else None)
    sections = []
    for section in data.document.sections:
        own = []
        for card in cards:
            if card.section != section.name:
                continue
            chart = build_chart(data, applied, card.question, k if public else None)
            own.append((card, _png_uri(chart) if chart is not None else None))
        if own:
            title = text(section.title, data.lang, data.document.default_language) or section.name
            sections.append(ReportSection(section.name, title, tuple(own)))
    return Report(
        campaign=data.campaign,
        title=data.campaign.name,
        overview=overview(data),
        k=k,
        suppression=suppression_note(k, data.lang),
        timeline_png=_png_uri(timeline(data)),
        sections=tuple(sections),
    )
