"""XLSForm import and export. Forms are written here as pyxform-style markdown tables."""

import pytest

from surveys.document import Choice, Section
from surveys.library import load_template
from surveys.messages import render
from surveys.problems import codes
from surveys.validation import validate
from surveys.xlsform import import_xlsform
from surveys.xlsform_export import export_xlsform
from tests.surveys.helpers import L, doc, q, xls, xlsx

BASIC_SURVEY = """
| type                      | name       | label::French (fr) | label::English (en) | required | relevant               | constraint        |
| integer                   | age        | Âge                | Age                 | yes      |                        | . >= 14 and . <= 25 |
| select_one yn             | practises  | Pratiques-tu ?     | Do you practise?    | TRUE()   |                        |                   |
| select_multiple acts      | activities | Lesquelles ?       | Which?              |          | ${practises} = 'yes'   |                   |
| text                      | wish       | Envie ?            | Wish?               | no       | ${practises} = 'no'    |                   |
"""
BASIC_CHOICES = """
| list_name | name  | label::French (fr) | label::English (en) |
| yn        | yes   | Oui                | Yes                 |
| yn        | no    | Non                | No                  |
| acts      | sport | Sport              | Sport               |
| acts      | music | Musique            | Music               |
"""


def test_a_basic_form_imports():
    document, problems, warnings = import_xlsform(xlsx(survey=BASIC_SURVEY, choices=BASIC_CHOICES))
    assert problems == [] and warnings == []
    assert document.languages == ("fr", "en")
    assert [(q.name, q.type) for q in document.questions()] == [
        ("age", "integer"),
        ("practises", "yes_no"),
        ("activities", "multiple_choice"),
        ("wish", "text"),
    ]
    assert document.question("age").required and document.question("practises").required
    assert document.question("activities").relevant == "${practises} = 'yes'"
    assert validate(document) == []


def test_questions_outside_groups_go_in_a_default_section():
    document, _, _ = import_xlsform(xlsx(survey=BASIC_SURVEY, choices=BASIC_CHOICES))
    assert [s.name for s in document.sections] == ["section_1"]


def test_groups_become_sections_and_aliases_are_understood():
    survey = """
| Type                        | Name    | Label        | Appearance | Parameters           |
| begin_group                 | profile | Profil       | field-list |                      |
| int                         | age     | Âge          |            |                      |
| select one g or_other       | gender  | Genre        |            |                      |
| select_one sat              | sat     | Satisfait ?  | likert     |                      |
| end_group                   |         |              |            |                      |
|                             |         |              |            |                      |
| begin group                 | more    | Plus         |            |                      |
| range                       | mark    | Note         |            | start=0 end=10 step=1 |
| text                        | story   | Raconte      | multiline  |                      |
| acknowledge                 | ok      | D'accord     |            |                      |
| rank g                      | order   | Classe       |            |                      |
| end group                   |         |              |            |                      |
"""
    choices = """
| list_name | name | label |
| g         | f    | Fille |
| g         | m    | Garçon |
| sat       | 1    | Pas du tout |
| sat       | 2    | Tout à fait |
"""
    document, problems, warnings = import_xlsform(xlsx(survey=survey, choices=choices))
    assert problems == []
    assert codes(warnings) == ["W_ACKNOWLEDGE"]
    assert [s.name for s in document.sections] == ["profile", "more"]
    assert [(q.name, q.type) for q in document.questions()] == [
        ("age", "integer"),
        ("gender", "single_choice"),
        ("sat", "likert"),
        ("mark", "rating"),
        ("story", "long_text"),
        ("ok", "yes_no"),
        ("order", "ranking"),
    ]
    gender = document.question("gender")
    assert gender.other and gender.choice_values() == ["f", "m", "other"]
    assert (document.question("mark").min, document.question("mark").max) == (0, 10)
    assert document.languages == ("fr",)


@pytest.mark.parametrize(
    ("survey", "choices", "code", "where"),
    [
        (
            """
| type             | name | label |
| integer          | age  | Âge   |
| selct_one colors | col  | Couleur |
""",
            None,
            "X_PYXFORM",
            "survey row 3",
        ),
        (
            """
| type              | name | label |
| select_one colors | col  | Couleur |
""",
            """
| list_name | name | label |
| other     | a    | A     |
""",
            "X_PYXFORM",
            "survey row 2",
        ),
        (
            """
| type    | name | label |
| integer | age  | Âge   |
| text    | town | Ville |
| integer | age  | Âge encore |
""",
            None,
            "X_PYXFORM",
            "survey row 4",
        ),
        (
            """
| type    | name | label | relevant      |
| text    | town | Ville | ${ghost} = '' |
""",
            None,
            "X_PYXFORM",
            "survey row 2",
        ),
    ],
)
def test_what_pyxform_refuses_is_refused_with_its_row_and_message(survey, choices, code, where):
    sheets = {"survey": survey} | ({"choices": choices} if choices else {})
    document, problems, _ = import_xlsform(xlsx(**sheets))
    assert document is None
    assert codes(problems) == [code]
    assert problems[0].where == where
    row = problems[0].params["row"]
    assert f"row {row}" in render(problems[0], "en")
    assert f"ligne {row}" in render(problems[0], "fr")
    assert problems[0].params["message"] in render(problems[0], "fr")


def test_missing_label_translation_points_at_the_language_column():
    survey = """
| type | name | label::French (fr) | label::English (en) |
| text | town | Ville              | Town                |
| text | job  | Métier             |                     |
"""
    document, problems, warnings = import_xlsform(xlsx(survey=survey))
    assert problems == []
    assert codes(warnings) == ["W_MISSING_TRANSLATION"]
    assert document.question("job").label == {"fr": "Métier", "en": "Métier"}


def test_unsupported_rows_are_skipped_with_one_warning_each():
    survey = """
| type          | name     | label      | media::image | required_message | calculation |
| start         | start    |            |              |                  |             |
| deviceid      | deviceid |            |              |                  |             |
| geopoint      | where    | Où ?       |              |                  |             |
| image         | photo    | Photo      | x.png        |                  |             |
| calculate     | twice    |            |              |                  | 2 * 2       |
| begin repeat  | kids     | Enfants    |              |                  |             |
| text          | kid_name | Prénom     |              |                  |             |
| integer       | kid_age  | Âge        |              |                  |             |
| end repeat    |          |            |              |                  |             |
| text          | wish     | Envie      |              | Merci            |             |
"""
    document, problems, warnings = import_xlsform(xlsx(survey=survey, extra="| a |\n| 1 |"))
    assert problems == []
    assert [q.name for q in document.questions()] == ["wish"]
    assert document.question("wish").required_message == {"fr": "Merci"}
    assert sorted(codes(warnings)) == sorted(
        ["W_METADATA_SKIPPED"] * 2
        + ["W_UNSUPPORTED_TYPE"] * 2
        + ["W_CALCULATE_INLINED", "W_REPEAT_SKIPPED"]
    )
    repeat = next(w for w in warnings if w.code == "W_REPEAT_SKIPPED")
    assert repeat.params["count"] == 2 and repeat.params["row"] == 7


def test_a_form_with_everything_in_a_repeat_is_refused_not_imported_as_notes():
    survey = """
| type         | name     | label   |
| note         | hello    | Bonjour |
| begin repeat | kids     | Enfants |
| text         | kid_name | Prénom  |
| integer      | kid_age  | Âge     |
| end repeat   |          |         |
"""
    document, problems, warnings = import_xlsform(xlsx(survey=survey))
    assert document is None
    assert codes(problems) == ["X_NO_QUESTIONS"] and problems[0].params["skipped"] == 2
    assert codes(warnings) == ["W_REPEAT_SKIPPED"]


def test_not_a_workbook():
    assert codes(import_xlsform(b"hello").problems) == ["X_NOT_A_WORKBOOK"]
    assert codes(import_xlsform(b"PK\x03\x04broken").problems) == ["X_NOT_A_WORKBOOK"]


def test_no_survey_sheet():
    document, problems, _ = import_xlsform(xlsx(choices=BASIC_CHOICES))
    assert document is None and codes(problems) == ["X_PYXFORM"]
    assert "survey" in problems[0].params["message"]


def test_xls_files_import_too():
    document, problems, _ = import_xlsform(xls(survey=BASIC_SURVEY, choices=BASIC_CHOICES))
    assert problems == []
    assert [q.name for q in document.questions()] == ["age", "practises", "activities", "wish"]


# --- round trips ----------------------------------------------------------------------

EVERY_TYPE = doc(
    sections=[
        Section(
            "profile",
            L("Profil", "Profile"),
            L("Qui es-tu ?", "Who are you?"),
            questions=(
                q("intro", "note"),
                q("age", "integer", required=True, min=14, max=25, hint=L("En années", "In years")),
                q("height", "decimal", constraint=". > 0",
                  constraint_message=L("Positif", "Positive")),
                q("gender", "single_choice", choices=["f", "m", "other"], other=True,
                  appearance="minimal"),
                q("acts", "multiple_choice", min_picks=1, max_picks=2, other=True,
                  choices=(Choice("sport", L("Sport")), Choice("other", L("Autre", "Other")))),
            ),
        ),
        Section(
            "opinion",
            L("Avis", "Opinion"),
            relevant="${age} >= 16",
            questions=(
                q("sat", "likert", choices=["low", "mid", "high"]),
                q("mark", "rating"),
                q("stars", "rating", min=1, max=5),
                q("story", "long_text", relevant="${sat} = 'low'"),
                q("town", "text"),
                q("day", "date"),
                q("again", "yes_no"),
                q("top", "ranking", choices=["a", "b", "c"], max_picks=2),
                q("grid", "matrix", required=True, choices=["no", "yes"], rows=["r1", "r2"],
                  relevant="selected(${acts}, 'sport')"),
            ),
        ),
    ]
)  # fmt: skip


def test_round_trip_fixture_is_valid_and_covers_every_type():
    from surveys.types import REGISTRY

    assert validate(EVERY_TYPE) == []
    assert {q.type for q in EVERY_TYPE.questions()} == set(REGISTRY)


@pytest.mark.parametrize(
    "document",
    [EVERY_TYPE, load_template("youth_free_time"), load_template("partner_tool_evaluation")],
    ids=["every_type", "youth_free_time", "partner_tool_evaluation"],
)
def test_document_to_xlsform_to_document_is_identical(document):
    imported, problems, warnings = import_xlsform(export_xlsform(document))
    assert problems == [] and warnings == []
    assert imported == document


# --- a realistic KoboToolbox form -----------------------------------------------------


def kobo_form() -> bytes:
    """What a KoboToolbox export looks like: odd columns, blank rows, mixed-case headers,
    trailing spaces, metadata, translations, a table-list grid."""
    survey = [
        ["type", "$kuid", "name", "label::Français (fr)", "label::English (en)", "hint::Français (fr)",
         "Required", "relevant", "constraint", "constraint_message::Français (fr)",
         "constraint_message::English (en)", "appearance", "$autoname"],
        ["start", "a1", "start", None, None, None, None, None, None, None, None, None, "start"],
        ["end", "a2", "end", None, None, None, None, None, None, None, None, None, "end"],
        ["today", "a3", "today", None, None, None, None, None, None, None, None, None, "today"],
        ["begin_group ", "b1", "identite", "Identité", "Identity", None, None, None, None, None, None,
         "field-list", "identite"],
        ["integer", "b2", "age ", "Quel âge as-tu ?", "How old are you?", "En années", "true",
         None, ". >= 14 and . <= 30", "Entre 14 et 30 ans", "Between 14 and 30", None, "age"],
        ["select_one quartier", "b3", "quartier", "Ton quartier", "Your area", None, "false", None,
         None, None, None, "minimal", "quartier"],
        [None] * 13,
        ["select_multiple loisirs or_other", "b4", "loisirs", "Tes loisirs", "Your hobbies", None,
         None, None, "count-selected(.) <= 3", "3 au plus", "3 at most", None, "loisirs"],
        ["end_group", "b5", None, None, None, None, None, None, None, None, None, None, None],
        ["begin_group", "c1", "avis", "Ton avis", "Your opinion", None, None,
         "${age} >= 16", None, None, None, None, "avis"],
        ["begin_group", "c2", "accord", "Es-tu d'accord ?", "Do you agree?", None, None, None,
         None, None, None, "table-list", "accord"],
        ["select_one accord", "c3", "accord_bus", "Il y a assez de bus", "There are enough buses",
         None, "yes", None, None, None, None, None, "accord_bus"],
        ["select_one accord", "c4", "accord_infos", "Les infos sont claires", "Information is clear",
         None, "yes", None, None, None, None, None, "accord_infos"],
        ["end_group", "c5", None, None, None, None, None, None, None, None, None, None, None],
        ["select_one oui_non", "c6", "revenir", "Reviendrais-tu ?", "Would you come back?", None,
         None, None, None, None, None, None, "revenir"],
        ["text", "c7", "pourquoi", "Pourquoi ?", "Why?", None, None, "${revenir} = 'no'", None,
         None, None, "multiline", "pourquoi"],
        ["geopoint", "c8", "gps", "Position", "Position", None, None, None, None, None, None, None,
         "gps"],
        ["end_group", "c9", None, None, None, None, None, None, None, None, None, None, None],
        ["calculate", "d1", "score", None, None, None, None, None, None, None, None, None, "score"],
    ]  # fmt: skip
    # a calculation column, filled on the calculate row only (pyxform refuses an empty one)
    survey = [row + [None] for row in survey]
    survey[0][-1], survey[-1][-1] = "calculation", "${age} * 2"
    choices = [
        ["list_name", "name", "label::Français (fr)", "label::English (en)", "$autovalue"],
        ["quartier", "centre", "Centre-ville", "Town centre", "centre"],
        ["quartier", "guentrange", "Guentrange", "Guentrange", "guentrange"],
        ["quartier", "cote_des_roses", "Côte des Roses", "Côte des Roses", "cote_des_roses"],
        ["loisirs", "sport", "Sport", "Sport", "sport"],
        ["loisirs", "musique", "Musique", "Music", "musique"],
        ["accord", "non", "Pas d'accord", "Disagree", "non"],
        ["accord", "oui", "D'accord", "Agree", "oui"],
        ["oui_non", "yes", "Oui", "Yes", "yes"],
        ["oui_non", "no", "Non", "No", "no"],
        [None, None, None, None, None],
    ]
    settings = [
        ["form_title", "form_id", "version", "default_language", "style"],
        ["Temps libre", "temps_libre", "vGx7", "Français (fr)", "pages"],
    ]
    return xlsx(survey=survey, choices=choices, settings=settings)


def test_a_kobotoolbox_form_imports_with_warnings_not_errors():
    document, problems, warnings = import_xlsform(kobo_form())
    assert problems == []
    assert document.languages == ("fr", "en")
    assert document.name == "temps_libre" and document.title["fr"] == "Temps libre"
    assert [s.name for s in document.sections] == ["identite", "avis"]
    assert [(q.name, q.type) for q in document.questions()] == [
        ("age", "integer"),
        ("quartier", "single_choice"),
        ("loisirs", "multiple_choice"),
        ("accord", "matrix"),
        ("revenir", "yes_no"),
        ("pourquoi", "long_text"),
    ]
    grid = document.question("accord")
    assert [r.name for r in grid.rows] == ["bus", "infos"] and grid.required
    assert document.section("avis").relevant == "${age} >= 16"
    assert document.question("loisirs").choice_values() == ["sport", "musique", "other"]
    assert set(codes(warnings)) == {
        "W_CALCULATE_INLINED",
        "W_METADATA_SKIPPED",
        "W_UNSUPPORTED_TYPE",
        "W_MISSING_TRANSLATION",
    }
    assert validate(document) == []


def test_none_of_these_goes_to_xlsform_and_comes_back():
    """« Aucun de ceux-ci » (an exclusive choice) travels in a ``consult`` column of the
    choices sheet, as the other attributes ODK has no column for; pyxform still converts."""
    import io

    import openpyxl
    from pyxform.xls2xform import convert

    acts = q("acts", "multiple_choice", other=True, constraint="count-selected(.) <= 2", choices=(
        Choice("sport", L("Sport")), Choice("aucun", L("Aucun de ceux-ci", "None of these"),
                                            exclusive=True), Choice("other", L("Autre", "Other"))))  # fmt: skip
    document = doc(q("age", "integer", min=14), acts)
    assert validate(document) == []
    data = export_xlsform(document)
    sheet = openpyxl.load_workbook(io.BytesIO(data))["choices"]
    rows = [dict(zip([c.value for c in sheet[1]], [c.value for c in r], strict=True))
            for r in sheet.iter_rows(min_row=2)]  # fmt: skip
    assert [r["consult"] for r in rows] == [None, "exclusive=yes", None]
    # and ODK refuses it ticked with another, after the question's own constraint
    survey = openpyxl.load_workbook(io.BytesIO(data))["survey"]
    header = [c.value for c in survey[1]]
    row = next(r for r in survey.iter_rows(min_row=2, values_only=True) if r[1] == "acts")
    assert row[header.index("constraint")] == (
        "(count-selected(.) <= 2) and (not(selected(., 'aucun') and count-selected(.) > 1))"
    )
    assert "<h:html" in convert(xlsform=io.BytesIO(data), validate=False, file_type=".xlsx").xform
    imported, problems, warnings = import_xlsform(data)
    assert problems == [] and warnings == []
    assert imported == document
    assert [c.exclusive for c in imported.question("acts").choices] == [False, True, False]
