"""Results as files: responses (CSV, XLSX, Parquet) and summaries (XLSX), commission or public.

A public export (``k`` given) goes through :func:`surveys.results.public_frame` (responses)
or :func:`analysis.suppression.suppress_summary` (summaries): no cell stands for fewer than k.
Formula-like text is neutralised by ``analysis.exports``.
"""

from dataclasses import dataclass
from typing import Literal

from analysis.exports import (
    responses_to_csv,
    responses_to_parquet,
    responses_to_xlsx,
    summaries_to_xlsx,
)
from surveys.results import (
    Filtered,
    ResultsData,
    filter_results,
    public_frame,
    public_summaries,
    summaries_of,
)

ExportFormat = Literal["csv", "xlsx", "parquet"]
FORMATS: tuple[str, ...] = ("csv", "xlsx", "parquet")
MEDIA_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    filename: str
    media_type: str


def export_responses(
    data: ResultsData, fmt: str, *, k: int | None = None, separator: str = ","
) -> ExportFile:
    """One row per complete response, one column per variable (multi-choice as indicator
    columns); with ``k``, the public version."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
    frame = data.frame if k is None else public_frame(data.frame, data.codebook, k)
    if fmt == "csv":
        content = responses_to_csv(frame, separator=separator)
    elif fmt == "xlsx":
        everything = filter_results(data, {})
        summaries = (
            summaries_of(data, everything) if k is None else public_summaries(data, everything, k)
        )
        codebook = data.codebook
        if k is not None:
            codebook = type(codebook)(tuple(v for v in codebook if v.kind not in ("text", "date")))
        content = responses_to_xlsx(frame, codebook, summaries, data.lang)
    else:
        content = responses_to_parquet(frame)
    suffix = "-public" if k is not None else ""
    return ExportFile(content, f"{data.campaign.slug}{suffix}.{fmt}", MEDIA_TYPES[fmt])


def export_summaries(data: ResultsData, applied: Filtered, *, k: int | None = None) -> ExportFile:
    summaries = summaries_of(data, applied) if k is None else public_summaries(data, applied, k)
    content = summaries_to_xlsx(summaries, data.lang)
    suffix = "-public" if k is not None else ""
    return ExportFile(content, f"{data.campaign.slug}-summaries{suffix}.xlsx", MEDIA_TYPES["xlsx"])
