"""Loading the responses of campaigns into a :class:`ResultsData`, in one streamed query, and
the versions that say when a cached one is still current."""

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from itertools import compress
from typing import Any

import numpy as np
import orjson
import pandas as pd
from sqlalchemy import BigInteger, LargeBinary, String, Text, case, cast, func, type_coerce
from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from surveys.document import Document, from_dict, text
from surveys.frame import FrameBuilder, meta_frame
from surveys.models import QuestionnaireVersion, Response
from surveys.results.cache import CACHE, DataVersion, ResultsCache, ResultsData
from surveys.results.campaigns import CampaignInfo

CHUNK_ROWS = 20_000  # responses read and parsed at a time: bounds the memory of a load


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
