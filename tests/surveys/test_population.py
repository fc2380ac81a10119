"""Population margins: read from CSV in either layout, checked against the questionnaire,
compared with the respondents, and raked to; the CLI imports and shows them."""

import pytest
from sqlmodel import Session, select

from analysis.weights import weighted_shares
from consult.cli import main
from consult.db import make_engine
from surveys import population
from surveys import results as service
from surveys.messages import render
from surveys.models import PopulationMargins
from surveys.problems import codes

LONG = b"""variable,category,share
genre,fille,0.49
genre,garcon,0.51
age,14-17,0.33
age,18-21,0.35
age,22-25,0.32
"""
WIDE_COUNTS = b"""genre;count
fille;4900
garcon;5100

quartier;count
elange;100
centre_ville;300
"""


def test_long_csv_gives_shares_per_variable():
    margins, problems = population.parse_margins_csv(LONG)
    assert problems == []
    assert margins["genre"] == {"fille": 0.49, "garcon": 0.51}
    assert sum(margins["age"].values()) == pytest.approx(1)


def test_wide_blocks_of_counts_become_shares():
    margins, problems = population.parse_margins_csv(WIDE_COUNTS)
    assert problems == []
    assert margins["genre"]["fille"] == pytest.approx(0.49)
    assert margins["quartier"] == {"elange": 0.25, "centre_ville": 0.75}


@pytest.mark.parametrize(
    ("content", "code", "row"),
    [
        (b"variable,category,share\ngenre,fille,0.6\ngenre,garcon,0.6\n", "P_SUM", None),
        (b"variable,category,share\ngenre,fille,beaucoup\n", "P_NOT_A_NUMBER", 2),
        (b"variable,category,share\ngenre,fille,0.5\ngenre,fille,0.5\n", "P_DUPLICATE", 3),
        (b"variable,category,ratio\n", "P_BAD_HEADER", 1),
        (b"", "P_EMPTY", None),
        ("variable,category,share\n".encode("utf-16"), "P_NOT_UTF8", None),
    ],
)
def test_bad_files_say_what_and_where(content, code, row):
    _margins, problems = population.parse_margins_csv(content)
    assert code in codes(problems)
    if row:
        assert any(p.params.get("row") == row for p in problems)


def load(url: str, slug: str = "temps-libre-2013"):
    engine = make_engine(url)
    with Session(engine) as session:
        data = service.load_results(session, [service.find_campaign(session, slug)], "fr")
    engine.dispose()
    return data


def test_categories_by_label_bands_and_crossings_are_understood(sqlite_demo_url):
    data = load(sqlite_demo_url)
    margins = {
        "genre": {"Une fille": 0.49, "Un garçon": 0.51},  # labels, as in a census table
        "age*genre": {
            "14-21*fille": 0.34,
            "14-21*garcon": 0.34,
            "22+*fille": 0.16,
            "22+*garcon": 0.16,
        },
    }
    columns, renamed, problems = population.margin_columns(data.frame, data.codebook, margins)
    assert problems == []
    assert renamed["genre"] == {"fille": 0.49, "garcon": 0.51}
    girls_14_21 = (data.frame.genre == "fille") & data.frame.age.between(14, 21)
    assert (columns["age*genre"] == "14-21*fille").sum() == girls_14_21.sum()


def test_unknown_questions_and_choices_are_named(sqlite_demo_url):
    data = load(sqlite_demo_url)
    margins = {"pointure": {"40": 1.0}, "genre": {"fille": 0.5, "licorne": 0.5}}
    _columns, _renamed, problems = population.margin_columns(data.frame, data.codebook, margins)
    assert {(p.code, p.params.get("value")) for p in problems} == {
        ("P_UNKNOWN_QUESTION", None),
        ("P_UNKNOWN_CATEGORY", "licorne"),
    }


def test_demo_monitor_flags_the_under_represented_and_weights_fix_it(sqlite_demo_url):
    engine = make_engine(sqlite_demo_url)
    with Session(engine) as session:
        campaign = service.find_campaign(session, "temps-libre-2013")
        margins = population.population_of(session, campaign.id)
    engine.dispose()
    assert margins is not None and margins.illustrative
    data = load(sqlite_demo_url)
    table, by_channel, problems = population.monitor(data.frame, data.codebook, margins)
    assert problems == []
    flagged = set(table[table.under].category)
    assert {"22-25", "elange"} <= flagged
    assert "centre_ville" not in flagged
    assert set(by_channel.columns) >= {"variable", "category", "web"}
    raking, problems = population.weights_for(data.frame, data.codebook, margins)
    assert problems == [] and raking.converged
    columns, renamed, _ = population.margin_columns(data.frame, data.codebook, margins.margins)
    for variable, targets in renamed.items():
        covered = columns[variable].where(columns[variable].isin(list(targets)))
        shares = weighted_shares(covered, raking.weights)
        for category, share in targets.items():
            assert shares[category] == pytest.approx(share, abs=1e-6)


@pytest.fixture
def env(sqlite_demo_url, tmp_path, monkeypatch):
    monkeypatch.setenv("CONSULT_DATABASE_URL", sqlite_demo_url)
    monkeypatch.setenv("CONSULT_VAR_DIR", str(tmp_path))
    return sqlite_demo_url


def test_cli_imports_then_shows_margins(env, tmp_path, capsys):
    path = tmp_path / "margins.csv"
    path.write_bytes(LONG)
    assert main(["population", "import", "temps-libre-2012", str(path), "--source", "INSEE"]) == 0
    assert "2 margins saved for 1 campaign(s)" in capsys.readouterr().out
    assert main(["population", "show", "temps-libre-2012"]) == 0
    out = capsys.readouterr().out
    assert "source: INSEE" in out and "22-25" in out and "under" in out


def test_cli_refuses_a_bad_file_and_keeps_the_old_margins(env, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"variable,category,share\ngenre,fille,0.9\ngenre,licorne,0.1\n")
    assert main(["population", "import", "temps-libre-2012", str(path)]) == 2
    err = capsys.readouterr().err
    assert "licorne" in err and "n’est ni un choix" in err
    assert main(["population", "show", "temps-libre-2012"]) == 0
    assert "Chiffres illustratifs" in capsys.readouterr().out


def test_cli_weighted_export_adds_weights_that_meet_the_margins(env, tmp_path):
    import pandas as pd

    out = tmp_path / "weighted.csv"
    assert (
        main(
            [
                "results",
                "export",
                "temps-libre-2013",
                "--format",
                "csv",
                "--weighted",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    frame = pd.read_csv(out)
    assert "weight" in frame.columns and (frame["weight"] > 0).all()
    girls = frame["genre"] == "fille"
    covered = frame["genre"].isin(["fille", "garcon"])
    share = frame.loc[girls, "weight"].sum() / frame.loc[covered, "weight"].sum()
    assert share == pytest.approx(0.49, abs=1e-6)


def test_cli_weighted_export_without_margins_says_so(env, tmp_path, capsys):
    engine = make_engine(env)
    with Session(engine) as session:
        for row in session.exec(select(PopulationMargins)).all():
            session.delete(row)
        session.commit()
    engine.dispose()
    out = tmp_path / "w.csv"
    assert main(["results", "export", "temps-libre-2013", "--weighted", "-o", str(out)]) == 2
    assert "pas encore de marges" in capsys.readouterr().err
    assert not out.exists()


# --- bands of a number that overlap or leave a gap ------------------------------------------

OVERLAPPING = b"""variable,category,share
age,14-17,0.3
age,17-21,0.4
age,22+,0.3
"""


def band_check(url: str, content: bytes):
    data = load(url)
    lines: dict = {}
    margins, problems = population.parse_margins_csv(content, lines)
    assert problems == []
    return population.margin_columns(data.frame, data.codebook, margins, lines)[2]


def test_overlapping_bands_are_refused_naming_both_and_the_row(sqlite_demo_url):
    """14-17 then 17-21: a 17-year-old was silently counted in the later band only."""
    problems = band_check(sqlite_demo_url, OVERLAPPING)
    assert codes(problems) == ["P_OVERLAPPING_BANDS"]
    assert problems[0].params == {
        "variable": "age",
        "first": "14-17",
        "value": "17-21",
        "shared": "17",
        "row": 3,
    }
    assert render(problems[0], "fr") == (
        "Ligne 3 : les tranches « 14-17 » et « 17-21 » de « age » se chevauchent (toutes deux "
        "comprennent 17) ; chaque répondant doit tomber dans une seule tranche."
    )
    assert render(problems[0], "en").startswith(
        "Row 3: the bands “14-17” and “17-21” of “age” overlap (both hold 17)"
    )


@pytest.mark.parametrize(
    ("content", "code", "params"),
    [
        # a gap: nobody aged 18 would be in a band
        (
            b"variable,category,share\nage,14-17,0.3\nage,19-21,0.4\nage,22+,0.3\n",
            "P_GAP_BETWEEN_BANDS",
            {"first": "14-17", "value": "19-21", "missing": "18", "row": 3},
        ),
        # an open band swallowing the next one, written before it
        (
            b"variable,category,share\nage,20+,0.3\nage,14-19,0.4\nage,21-25,0.3\n",
            "P_OVERLAPPING_BANDS",
            {"first": "20+", "value": "21-25", "shared": "21", "row": 4},
        ),
        # crossed with another question: the band's first row is named
        (
            b"variable,category,share\nage*genre,14-17*fille,0.2\nage*genre,14-17*garcon,0.2\n"
            b"age*genre,16-25*fille,0.3\nage*genre,16-25*garcon,0.3\n",
            "P_OVERLAPPING_BANDS",
            {"first": "14-17", "value": "16-25", "shared": "16", "row": 4},
        ),
        # the same in the wide layout
        (
            b"age;share\n14-17;0.3\n18-22;0.4\n21-25;0.3\n",
            "P_OVERLAPPING_BANDS",
            {"first": "18-22", "value": "21-25", "shared": "21", "row": 4},
        ),
    ],
)
def test_bad_bands_are_named_with_their_row(sqlite_demo_url, content, code, params):
    problems = band_check(sqlite_demo_url, content)
    assert codes(problems) == [code]
    assert {k: v for k, v in problems[0].params.items() if k != "variable"} == params
    assert render(problems[0], "fr").startswith(f"Ligne {params['row']} : ")


def test_bands_that_follow_on_are_accepted(sqlite_demo_url):
    content = b"variable,category,share\nage,14-17,0.33\nage,18-21,0.35\nage,22+,0.32\n"
    assert band_check(sqlite_demo_url, content) == []


def test_saved_margins_with_overlapping_bands_are_not_raked_on(sqlite_demo_url):
    """Margins saved before bands were checked: the weights refuse them, naming the row of
    the margins as the page shows them."""
    data = load(sqlite_demo_url)
    margins, _ = population.parse_margins_csv(OVERLAPPING)
    raking, problems = population.weights_for(
        data.frame, data.codebook, population.Population(margins)
    )
    assert raking is None
    assert codes(problems) == ["P_OVERLAPPING_BANDS"] and problems[0].params["row"] == 3


def test_cli_refuses_overlapping_bands_and_keeps_the_old_margins(env, tmp_path, capsys):
    path = tmp_path / "bands.csv"
    path.write_bytes(OVERLAPPING)
    assert main(["population", "import", "temps-libre-2012", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Ligne 3" in err and "« 17-21 »" in err and "se chevauchent" in err
    assert main(["population", "show", "temps-libre-2012"]) == 0
    assert "Chiffres illustratifs" in capsys.readouterr().out


def test_public_figures_are_never_weighted(sqlite_demo_url):
    """Suppression hides small cells on respondents; a weighted share computed after it
    would show the hidden cells again: the two are refused together."""
    import pandas as pd

    data = load(sqlite_demo_url)
    weights = pd.Series(1.0, index=data.frame.index, name="w-test")
    public = service.public_results(data, 5)
    with pytest.raises(ValueError, match="never weighted"):
        service.summaries_of(data, public, 5, weights)
    with pytest.raises(ValueError, match="never weighted"):
        service.waves_of(data, public, "quartier", 5, weights)
