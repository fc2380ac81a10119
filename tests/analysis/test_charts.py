import numpy as np
import pytest
from matplotlib.figure import Figure

from analysis.charts import (
    bar_chart,
    crosstab_chart,
    histogram_chart,
    likert_chart,
    timeline_chart,
    to_png,
    to_svg,
    waves_chart,
)
from analysis.crosstab import crosstab
from analysis.summaries import summarise
from analysis.suppression import suppress_summary
from analysis.waves import compare_waves
from tests.analysis.survey import AGE, GENDER, HOBBIES, SATISFACTION

NBSP = "\u00a0"


def bars_of(chart):
    return [a for a in chart.figure.artists if a.get_gid() == "bar"]


def categories(chart):
    """The row labels, top to bottom."""
    return [t.get_text() for t in chart.figure.texts if t.get_gid() == "category"]


def bar_texts(chart):
    return [t.get_text() for t in chart.figure.texts if t.get_gid() == "value"]


def test_bar_chart_sorts_bars_largest_first_with_share_and_count_labels(frame):
    chart = bar_chart(summarise(frame, HOBBIES), lang="fr")
    assert isinstance(chart.figure, Figure)
    bars = bars_of(chart)
    # Music 3/4, Sport 2/4, Reading 1/4 of respondents, top to bottom.
    assert [b.get_width() for b in sorted(bars, key=lambda b: -b.get_y())] == [75, 50, 25]
    assert categories(chart) == ["Music", "Sport", "Reading"]
    assert bar_texts(chart) == [f"75,0{NBSP}% (3)", f"50,0{NBSP}% (2)", f"25,0{NBSP}% (1)"]
    xlabel = [t.get_text() for t in chart.figure.texts if t.get_gid() == "xlabel"]
    assert "plusieurs réponses possibles" in xlabel[0]


def test_bar_chart_speaks_english_when_asked(frame):
    chart = bar_chart(summarise(frame, GENDER), lang="en")
    assert bar_texts(chart) == ["60.0% (3)", "40.0% (2)"]
    assert (
        chart.alt_text == "Bar chart of “Gender”, 5 respondents: Woman: 60.0% (3); Man: 40.0% (2)."
    )
    assert chart.data.to_dict("list") == {
        "Answer": ["Woman", "Man"],
        "Number of respondents": [3, 2],
        "Share of respondents": [0.6, 0.4],
    }


def test_an_ordinal_scale_keeps_its_order(frame):
    chart = bar_chart(summarise(frame, SATISFACTION))
    assert categories(chart) == ["1", "2", "3", "4"]


def test_suppressed_bars_are_empty_and_labelled_below_k(frame):
    chart = bar_chart(suppress_summary(summarise(frame, HOBBIES), k=3), lang="en")
    assert sorted(b.get_width() for b in bars_of(chart)) == [0, 0, 75]
    assert bar_texts(chart).count("< 3") == 2
    assert "< 3" in chart.alt_text


def test_likert_chart_diverges_around_the_middle_of_the_scale(frame):
    chart = likert_chart([summarise(frame, SATISFACTION)], lang="en")
    bars = bars_of(chart)
    # Shares 20 20 20 40 %: the two low categories (40 %) left of zero, the two high right.
    assert [b.get_width() for b in bars] == pytest.approx([20, 20, 20, 40])
    assert [b.get_x() for b in bars] == pytest.approx([-40, -20, 0, 20])
    assert "60.0% in the top two" in chart.alt_text
    assert list(chart.data.columns[:5]) == ["Item", "1", "2", "3", "4"]


def test_histogram_has_one_bar_per_whole_value_bin(frame):
    chart = histogram_chart(frame, AGE, lang="en", bins=[10, 20, 30])
    assert [b.get_height() for b in bars_of(chart)] == [2, 3]  # 15, 17 | 20, 22, 30
    assert [b.get_width() for b in bars_of(chart)] == [10, 10]
    assert chart.alt_text.startswith("Histogram of “Age”, 5 answers: mean 20.8, median 20")
    assert chart.data["Number of respondents"].tolist() == [2, 3]


def test_crosstab_chart_groups_bars_by_row_category(frame):
    chart = crosstab_chart(crosstab(frame, GENDER, HOBBIES), lang="en")
    assert len(bars_of(chart)) == 2 * 3
    assert categories(chart) == ["Woman", "Man"]
    widths = sorted(round(b.get_width()) for b in bars_of(chart))
    assert widths == [0, 50, 50, 50, 50, 100]
    assert chart.data.loc["Woman"].tolist() == [0.5, 1.0, 0.0]
    assert "Chi-square test" in chart.alt_text
    legend = [t.get_text() for t in chart.figure.texts if t.get_gid() == "legend"]
    assert legend == ["Sport", "Music", "Reading"]


def test_waves_chart_has_one_bar_per_category_and_wave(frame):
    chart = waves_chart(compare_waves(frame, GENDER), lang="en")
    assert [b.get_width() for b in bars_of(chart)] == pytest.approx([60, 40])
    assert "across 1 waves (2013)" in chart.alt_text


def test_timeline_counts_responses_per_day(frame):
    chart = timeline_chart(frame, lang="en")
    assert [b.get_height() for b in bars_of(chart)] == [6]
    assert chart.data["Number of responses"].tolist() == [6]
    assert "6 responses" in chart.alt_text


def test_svg_keeps_text_as_text_and_is_small(frame):
    svg = to_svg(bar_chart(summarise(frame, GENDER), lang="fr")).decode()
    assert "Woman" in svg and "<text" in svg
    assert "font-face" not in svg and "glyph" not in svg
    assert len(svg) < 30_000


def test_png_is_a_png(frame):
    png = to_png(bar_chart(summarise(frame, GENDER)), dpi=50)
    assert png.startswith(b"\x89PNG")
    assert np.frombuffer(png, dtype=np.uint8).size > 1000


def test_svg_holds_every_bar_and_text_of_the_figure(frame):
    from xml.etree import ElementTree

    chart = crosstab_chart(crosstab(frame, GENDER, HOBBIES), lang="en")
    root = ElementTree.fromstring(to_svg(chart))
    ns = "{http://www.w3.org/2000/svg}"
    shown = {"".join(t.itertext()) for t in root.iter(f"{ns}text")}
    drawn = {t.get_text().replace("\n", "") for t in chart.figure.texts}
    assert drawn <= shown
    rects = list(root.iter(f"{ns}rect"))
    # the background, one per bar, one swatch per legend entry
    assert len(rects) == 1 + len(bars_of(chart)) + 3
    assert float(root.get("width")) == 750
