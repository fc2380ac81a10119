"""summary_rows, the plain rows a page prints for every card, holds exactly what
summary_table's DataFrame holds: same headers, same values, missing as None; also with
hidden counts (disclosure control) and with intervals (weighted figures)."""

import numpy as np
import pandas as pd
import pytest

from analysis.disclosure import suppress_summary
from analysis.summaries import summarise, summary_rows, summary_table
from analysis.weights import with_intervals
from tests.analysis.survey import CODEBOOK


def table_rows(summary, lang):
    frame = summary_table(summary, lang)
    missing = lambda v: v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v))  # noqa: E731
    rows = [
        tuple(None if missing(v) else v for v in row)
        for row in frame.itertuples(index=False, name=None)
    ]
    return [str(c) for c in frame.columns], rows


def variants(frame):
    for variable in CODEBOOK:
        summary = summarise(frame, variable)
        yield summary
        yield suppress_summary(summary, 3)
        if variable.is_categorical:
            yield with_intervals(summary)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_summary_rows_hold_what_summary_table_holds(frame, lang):
    checked = 0
    for summary in variants(frame):
        assert summary_rows(summary, lang) == table_rows(summary, lang), summary.variable.name
        checked += 1
    assert checked >= 12
    hidden = suppress_summary(summarise(frame, CODEBOOK["gender"]), 3)
    assert hidden.hidden is not None and hidden.hidden.any()  # the hidden path is exercised
