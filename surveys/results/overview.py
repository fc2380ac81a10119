"""The overview of a campaign: completes, drafts, channels, drop-off and the timeline."""

from dataclasses import dataclass
from datetime import datetime

from analysis.charts import Chart, timeline_chart, to_svg
from analysis.formats import format_day, format_number
from surveys.channels import channel_name
from surveys.results.cache import ResultsData
from surveys.results.messages import gettext_for
from surveys.results.tables import Table


@dataclass(frozen=True)
class Overview:
    completes: int
    drafts: int
    completion_rate: float | None
    first: datetime | None
    last: datetime | None
    channels: tuple[tuple[str, int], ...]  # (name in the reader's language, responses)
    dropoff: tuple[tuple[str, str, int], ...]
    timeline_alt: str


def timeline(data: ResultsData) -> Chart:
    """Responses per day, or per week when most days of the span had none
    (:func:`analysis.charts.timeline_period`)."""
    return data.memo(("timeline",), lambda: timeline_chart(data.frame, data.lang))


def timeline_svg(data: ResultsData) -> bytes:
    chart = timeline(data)
    return data.memo(("timeline-svg",), lambda: to_svg(chart))


def timeline_table(data: ResultsData, max_rows: int = 16) -> Table:
    """Every response counted in a printable table: per day over a short fieldwork, per
    week (rows by their Monday) when a row per day would not fit ``max_rows``."""
    _ = gettext_for(data.lang)
    lang = data.lang
    by = "day" if timeline_chart(data.frame, lang, by="day").data.shape[0] <= max_rows else "week"
    chart = data.memo(("timeline", by), lambda: timeline_chart(data.frame, lang, by=by))
    rows = tuple(
        (format_day(day, lang), format_number(int(count), lang))
        for day, count in chart.data.itertuples(index=False)
    )
    caption = _("Responses per week") if by == "week" else _("Responses per day")
    return Table((_("Week") if by == "week" else _("Day"), _("Responses")), rows, caption)


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
        channels=tuple(
            (channel_name(c, gettext_for(data.lang)), int(n)) for c, n in channels.items()
        ),
        dropoff=data.dropoff,
        timeline_alt=timeline(data).alt_text,
    )
