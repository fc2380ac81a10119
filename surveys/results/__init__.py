"""Results of campaigns and series: the read side of the responses, framework-free.

Everything here is a function of ``(session, plain values)`` or of a :class:`ResultsData`
(the frame and codebook of one campaign, or of the waves of a series). All computing is done by
``analysis``; this package loads the responses in one query, caches what it built, and shapes it
for the pages, the exports, the report and the API.

Caching: a :class:`ResultsData` is kept in an in-process LRU keyed on the campaigns and the
language, and checked against :func:`data_version` — ``(responses, completes, max(id),
max(submitted_at))`` — so a page refreshes as soon as a response arrives. That check scans the
campaign's rows, so a cheaper one read from indexes (:func:`quick_version`) comes first: a page
whose data has not changed costs one small query. Summaries and charts are memoised inside it per filter set.
Each worker process has its own cache (they agree, since the key is read from the database);
with a shared tier (:class:`SharedResults`) a worker reads what another one computed.

One module per concern; every public name is re-exported here, so callers write
``from surveys import results`` or ``from surveys.results import X``:

- ``messages``: problem codes worded for the reader, the results' gettext
- ``campaigns``: the campaigns shown (one by slug, the waves of a series)
- ``cache``: :class:`ResultsData`, its memo, and the LRU :data:`CACHE`
- ``loading``: :func:`load_results`, the data versions, the streamed read of the responses
- ``filters``: the filters of a query, applied and offered
- ``tables``: printable tables
- ``cards``: a card per question, its summaries and chart
- ``overview``: completes, drafts, channels, drop-off, timeline
- ``crosstabs``, ``waves``: cross-tabulation, comparison of the waves of a series
- ``texts``: free-text answers and quotes
- ``public``: what may leave the commission
- ``report``: the printable report
- ``shared``: the tier of the cache the workers share (Redis when configured)
"""

from surveys.results.cache import (
    CACHE,
    CACHE_SIZE,
    MEMO_SIZE,
    DataVersion,
    ResultsCache,
    ResultsData,
)
from surveys.results.campaigns import CampaignInfo, find_campaign, find_series
from surveys.results.cards import (
    Card,
    build_chart,
    chart_svg,
    public_summaries,
    question_cards,
    question_label,
    summaries_of,
    svg_of,
)
from surveys.results.crosstabs import (
    CrossTabView,
    check_pair,
    choosable,
    crosstab_chart_of,
    crosstab_of,
    crosstab_view,
)
from surveys.results.filters import (
    FILTER_KEYS,
    NOT_FILTERS,
    Filtered,
    FilterOption,
    filter_options,
    filter_parts_of,
    filter_query,
    filter_results,
    filter_text,
)
from surveys.results.loading import CHUNK_ROWS, data_version, load_results, quick_version
from surveys.results.messages import MESSAGES, SURVEYS_DIR, Message, explain, gettext_for
from surveys.results.overview import Overview, overview, timeline, timeline_svg
from surveys.results.public import DEFAULT_K, public_results, suppression_note
from surveys.results.report import Report, ReportSection, campaign_report
from surveys.results.shared import SHARED_MAX_BYTES, SHARED_TTL, SharedResults
from surveys.results.tables import Table, summary_view
from surveys.results.texts import (
    MAX_TEXT_ANSWERS,
    TextAnswer,
    list_quotes,
    mark_quote,
    text_answers,
    text_questions,
    unmark_quote,
)
from surveys.results.waves import (
    MIN_WAVE_N,
    WavesView,
    comparable,
    waves_chart_of,
    waves_of,
    waves_view,
)

__all__ = [
    "SURVEYS_DIR",
    "MESSAGES",
    "gettext_for",
    "Message",
    "explain",
    "CampaignInfo",
    "find_campaign",
    "find_series",
    "CACHE_SIZE",
    "MEMO_SIZE",
    "DataVersion",
    "ResultsData",
    "ResultsCache",
    "CACHE",
    "CHUNK_ROWS",
    "data_version",
    "quick_version",
    "load_results",
    "Filtered",
    "FILTER_KEYS",
    "filter_results",
    "filter_text",
    "filter_parts_of",
    "NOT_FILTERS",
    "filter_query",
    "FilterOption",
    "filter_options",
    "Table",
    "summary_view",
    "Card",
    "public_summaries",
    "summaries_of",
    "question_label",
    "build_chart",
    "chart_svg",
    "svg_of",
    "question_cards",
    "Overview",
    "timeline",
    "timeline_svg",
    "overview",
    "CrossTabView",
    "choosable",
    "check_pair",
    "crosstab_of",
    "crosstab_chart_of",
    "crosstab_view",
    "WavesView",
    "comparable",
    "waves_of",
    "waves_chart_of",
    "waves_view",
    "MIN_WAVE_N",
    "MAX_TEXT_ANSWERS",
    "TextAnswer",
    "text_questions",
    "text_answers",
    "mark_quote",
    "unmark_quote",
    "list_quotes",
    "DEFAULT_K",
    "public_results",
    "suppression_note",
    "ReportSection",
    "Report",
    "campaign_report",
    "SHARED_TTL",
    "SHARED_MAX_BYTES",
    "SharedResults",
]
