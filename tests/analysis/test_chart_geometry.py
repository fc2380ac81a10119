"""Every chart kind, drawn with long French labels and many categories, keeps all its text
inside the figure and no two texts on top of each other — on a page (SCREEN) and on a
1920×1080 slide (PROJECTOR, type of at least 24 px). Checked with matplotlib's own renderer
on the figure as it is saved."""

import random
from datetime import date, timedelta

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from analysis.charts import (
    PRINT,
    PRINT_HALF,
    PROJECTOR,
    SCREEN,
    bar_chart,
    crosstab_chart,
    histogram_chart,
    likert_chart,
    timeline_chart,
    to_svg,
    waves_chart,
)
from analysis.codebook import Codebook, Variable
from analysis.crosstab import crosstab
from analysis.frames import frame_from_records
from analysis.summaries import summarise
from analysis.suppression import suppress_crosstab, suppress_summary
from analysis.waves import compare_waves

STEM = (
    "Es-tu d'accord avec ces phrases sur les loisirs, les sorties et la vie des jeunes "
    "dans ton quartier et à Thionville ?"
)
STATEMENTS = [
    "Il y a assez d'activités de loisirs pour les jeunes de mon âge dans mon quartier",
    "Les tarifs des activités sportives et culturelles sont trop élevés pour moi",
    "Je suis bien informé·e de ce qui se passe en ville le week-end",
    "Les transports en commun me permettent de rentrer le soir sans problème",
    "J'aimerais participer à l'organisation d'événements pour les jeunes",
    "Les équipements (salles, terrains, skatepark) sont en bon état",
    "On se sent en sécurité dans les lieux publics le soir",
    "Mes parents m'encouragent à pratiquer une activité en dehors de l'école",
]
SCALE = {
    "1": "Pas du tout d'accord",
    "2": "Plutôt pas d'accord",
    "3": "Ni d'accord ni pas d'accord",
    "4": "Plutôt d'accord",
    "5": "Tout à fait d'accord",
}
QUARTERS = {
    f"q{i}": name
    for i, name in enumerate(
        [
            "Centre-ville",
            "Côte des Roses",
            "Guentrange",
            "Veymerange",
            "Garche",
            "Koeking",
            "Œutrange",
            "Élange",
            "Beauregard",
            "Volkrange",
            "Hors de Thionville (communes voisines de l'agglomération)",
            "Je préfère ne pas répondre à cette question",
        ]
    )
}
ACTIVITIES = {
    f"a{i}": name
    for i, name in enumerate(
        [
            "Sport en club (football, basket, handball, judo…)",
            "Musique, chant, pratique d'un instrument",
            "Jeux vidéo en ligne avec des amis",
            "Sorties au cinéma, au théâtre ou à des concerts",
            "Bénévolat dans une association du quartier",
            "Lecture, écriture, dessin",
            "Aucune activité régulière pour le moment",
            "Autre activité (précisez) : escalade, couture, échecs, 5$ ou 10$ par mois",
            "Anticonstitutionnellementparlant-une-très-longue-réponse-sans-espace",
            "Danse (hip-hop, classique, contemporaine)",
            "Skate, trottinette, roller",
            "Cuisine et pâtisserie",
            "Théâtre d'improvisation",
            "Photographie et vidéo",
        ]
    )
}

QUARTER = Variable(
    "quartier", "single", "Dans quel quartier de Thionville habites-tu actuellement ?",
    tuple(QUARTERS), QUARTERS,
)  # fmt: skip
ACTIVITY = Variable(
    "activites", "multi",
    "Quelles activités pratiques-tu au moins une fois par mois en dehors de l'école ou du travail ?",
    tuple(ACTIVITIES), ACTIVITIES,
)  # fmt: skip
SATISFACTION = Variable(
    "satisfaction", "ordinal",
    "Es-tu satisfait·e de l'offre de loisirs proposée aux jeunes à Thionville ?",
    tuple(SCALE), SCALE,
)  # fmt: skip
AGE = Variable("age", "numeric", "Quel âge as-tu ? (en années révolues, au jour de l'enquête)")
OPINIONS = [
    Variable(f"avis/{i}", "ordinal", f"{STEM} — {s}", tuple(SCALE), SCALE, question="avis")
    for i, s in enumerate(STATEMENTS)
]
CODEBOOK = Codebook((QUARTER, ACTIVITY, SATISFACTION, AGE, *OPINIONS))


@pytest.fixture(scope="module")
def survey():
    return make_survey()


def make_survey():
    rng = random.Random(14)
    start = date(2013, 3, 1)
    rows = []
    for i in range(400):
        row = {
            "response_id": i,
            "campaign": rng.choice(["2012", "2013", "2026"]),
            "submitted_at": str(start + timedelta(days=rng.choice([0, 1, 2, 9, 30, 31, 60]))),
            "channel": "link",
            "quartier": rng.choice(list(QUARTERS)),
            "activites": rng.sample(list(ACTIVITIES), rng.randint(0, 5)),
            "satisfaction": rng.choice(list(SCALE)),
            "age": rng.randint(14, 25),
        }
        for v in OPINIONS:
            row[v.name] = rng.choice(list(SCALE))
        rows.append(row)
    return frame_from_records(rows, CODEBOOK)


def all_charts(frame):
    return {
        "bars": bar_chart(summarise(frame, QUARTER)),
        "bars-multi": bar_chart(summarise(frame, ACTIVITY)),
        "bars-suppressed": bar_chart(suppress_summary(summarise(frame, ACTIVITY), k=40)),
        "bars-ordinal": bar_chart(summarise(frame, SATISFACTION)),
        "grid": likert_chart([summarise(frame, v) for v in OPINIONS], title=STEM),
        "likert-one": likert_chart([summarise(frame, SATISFACTION)]),
        "crosstab-stacked": crosstab_chart(crosstab(frame, QUARTER, SATISFACTION)),
        "crosstab-grouped": crosstab_chart(crosstab(frame, SATISFACTION, ACTIVITY)),
        "crosstab-suppressed": crosstab_chart(
            suppress_crosstab(crosstab(frame, QUARTER, SATISFACTION), 10)
        ),
        "crosstab-columns": crosstab_chart(crosstab(frame, QUARTER, SATISFACTION), shares="column"),
        "waves": waves_chart(compare_waves(frame, QUARTER, ["2012", "2013", "2026"])),
        "waves-mean": waves_chart(compare_waves(frame, AGE, ["2012", "2013", "2026"])),
        "histogram": histogram_chart(frame, AGE, k=25),
        "timeline-day": timeline_chart(frame, by="day"),
        "timeline-week": timeline_chart(frame, by="week"),
    }


def texts_of(figure):
    return [
        t
        for t in figure.findobj(Text)
        if t.get_visible() and t.get_text().strip() and t.get_figure(root=True) is figure
    ]


def text_boxes(figure):
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    return [(t, t.get_window_extent(renderer)) for t in texts_of(figure)], renderer


def overlaps(a, b) -> bool:
    # A pixel of tolerance: antialiased edges of neighbouring texts may touch.
    return a.x0 < b.x1 - 1 and b.x0 < a.x1 - 1 and a.y0 < b.y1 - 1 and b.y0 < a.y1 - 1


def check_geometry(figure):
    boxes, _renderer = text_boxes(figure)
    width, height = figure.bbox.width, figure.bbox.height
    problems = []
    for text, box in boxes:
        if box.x0 < -0.5 or box.y0 < -0.5 or box.x1 > width + 0.5 or box.y1 > height + 0.5:
            problems.append(f"outside the figure: {text.get_text()!r} {box}")
    for i, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[i + 1 :]:
            if overlaps(box_a, box_b):
                problems.append(f"overlap: {a.get_text()!r} and {b.get_text()!r}")
    return problems, boxes


@pytest.mark.parametrize("style", [SCREEN, PROJECTOR, PRINT, PRINT_HALF], ids=lambda s: s.name)
def test_no_text_leaves_the_figure_and_no_two_texts_overlap(survey, style):
    problems = {}
    for kind, chart in all_charts(survey).items():
        found, boxes = check_geometry(chart.figure_for(style))
        assert boxes, kind
        if found:
            problems[kind] = found
    assert problems == {}


def test_long_labels_are_wrapped_never_cut(survey):
    chart = all_charts(survey)["bars"]
    ticks = [t.get_text() for t in chart.figure.texts if t.get_gid() == "category"]
    joined = {" ".join(t.replace("-\n", "").split()) for t in ticks}
    assert "Hors de Thionville (communes voisines de l'agglomération)" in joined
    assert any("\n" in t for t in ticks)
    assert not any("…" in t or "..." in t for t in ticks)


def test_a_grid_is_labelled_by_its_statements_and_says_its_stem_once(survey):
    chart = all_charts(survey)["grid"]
    figure = chart.figure
    ticks = [" ".join(t.get_text().split()) for t in figure.texts if t.get_gid() == "category"]
    assert ticks == STATEMENTS
    title = [t for t in figure.texts if t.get_gid() == "title"]
    assert [" ".join(t.get_text().split()) for t in title] == [STEM]
    assert sum(STEM[:20] in t.get_text() for t in texts_of(figure)) == 1
    assert list(chart.data.iloc[:, 0]) == STATEMENTS


def test_legends_are_inside_the_canvas(survey):
    for kind in ("grid", "crosstab-stacked", "crosstab-grouped", "waves"):
        figure = all_charts(survey)[kind].figure
        assert figure.legends == [] and figure.axes == []  # nothing placed by matplotlib
        legend = [t for t in figure.texts if t.get_gid() == "legend"]
        assert legend, kind
        boxes, _ = text_boxes(figure)
        for text, box in boxes:
            if text.get_gid() == "legend":
                assert box.x0 >= 0 and box.x1 <= figure.bbox.width
                assert box.y0 >= 0 and box.y1 <= figure.bbox.height


def test_chart_heights_are_bounded(survey):
    for kind, chart in all_charts(survey).items():
        assert chart.figure.get_size_inches()[1] <= SCREEN.max_height + 1e-6, kind
        width, height = chart.figure_for(PROJECTOR).get_size_inches() * 100
        assert (width, height) == pytest.approx((1728, 780)), kind


def test_the_cross_tab_of_twelve_groups_stays_under_a_screen(survey):
    figure = all_charts(survey)["crosstab-stacked"].figure
    assert figure.get_size_inches()[1] * 100 <= 900


def test_value_labels_are_in_the_data_table_even_when_left_off_the_chart(survey):
    chart = all_charts(survey)["grid"]
    values = [t for t in chart.figure.texts if t.get_gid() == "value"]
    assert 0 < len(values) <= len(STATEMENTS) * len(SCALE)
    assert chart.data.shape[0] == len(STATEMENTS)
    assert set(SCALE.values()) <= set(chart.data.columns)


def test_projector_type_is_at_least_24_px_on_a_1080p_slide(survey):
    for kind, chart in all_charts(survey).items():
        figure = chart.figure_for(PROJECTOR)
        for text in texts_of(figure):
            pixels = text.get_fontsize() * figure.dpi / 72
            assert pixels >= 24, (kind, text.get_text(), pixels)


def test_dollars_are_text_not_mathematics(survey):
    svg = to_svg(all_charts(survey)["bars-multi"]).decode()
    assert "5$ ou 10$" in svg or "5$ ou 10$".replace(" ", "\u00a0") in svg
    # drawing needs no mathtext parser: a lone dollar would have raised
    figure = bar_chart(
        summarise(
            frame_from_records(
                [{"response_id": 1, "campaign": "x", "submitted_at": "2013-01-01",
                  "channel": "link", "prix": "a"}],
                Codebook((Variable("prix", "single", "Prix", ("a",), {"a": "5$ seulement"}),)),
            ),
            Variable("prix", "single", "Prix", ("a",), {"a": "5$ seulement"}),
        )
    ).figure  # fmt: skip
    assert check_geometry(figure)[0] == []


def test_a_page_that_needs_only_the_alt_text_draws_nothing(survey):
    chart = bar_chart(summarise(survey, QUARTER))
    assert "figure" not in chart.__dict__
    assert chart.alt_text and len(chart.data) == len(QUARTERS)
    assert np.isclose(chart.data.iloc[:, 2].sum(), 1)


def test_percent_ticks_fall_on_whole_percents(survey):
    chart = all_charts(survey)["waves"]
    ticks = [t.get_text() for t in chart.figure.texts if t.get_gid() == "tick"]
    values = [float(t.replace("\u00a0%", "").replace(",", ".")) for t in ticks]
    assert len(values) >= 3
    steps = {round(b - a, 6) for a, b in zip(values[:-1], values[1:], strict=True)}
    assert len(steps) == 1  # evenly spaced: no "2 %, 5 %, 8 %" from ticks at 2.5 % steps


def test_french_punctuation_stays_with_its_word_when_a_title_wraps():
    """French puts a space before ? ! : ; » and after «: a line broke there, and a cross-tab's
    title on a slide ended with a lone « ? » on a line of its own."""
    from analysis.charts.measure import text_size, wrap

    title = "Qu'aimes-tu faire pendant ton temps libre ? × Dans quel quartier habites-tu ?"
    for width in range(60, 700, 7):
        lines = wrap(title, 24, width, bold=True).split("\n")
        for line in lines:
            assert line.strip() not in {"?", "!", ":", ";", "»", "«"}, (width, lines)
            assert not line.startswith(("? ", "! ", ": ", "; ", "» ")), (width, lines)
            assert not line.endswith(" «"), (width, lines)
    assert wrap("« Bien » vivre ?", 24, text_size("« Bien »", 24)[0] + 1) == "« Bien »\nvivre ?"
