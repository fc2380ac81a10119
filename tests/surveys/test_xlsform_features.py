"""What real Kobo/ODK forms use, through pyxform: each becomes a question or a row warning."""

import io

import pytest
from pyxform.xls2xform import convert

from surveys.answers import check_answers
from surveys.choice_filter import offered
from surveys.conditions import is_true, parse
from surveys.library import load_template, template_keys
from surveys.problems import codes
from surveys.validation import validate
from surveys.xlsform import import_xlsform
from surveys.xlsform_export import export_xlsform
from tests.surveys.helpers import xlsx
from tests.surveys.test_xlsform import EVERY_TYPE


def imported(survey: str, choices: str | None = None, **sheets: str):
    extra = {"choices": choices} if choices else {}
    document, problems, warnings = import_xlsform(xlsx(survey=survey, **extra, **sheets))
    assert problems == [], problems
    assert validate(document) == []
    return document, warnings


def test_list_names_are_case_sensitive():
    document, warnings = imported(
        """
| type                | name | label |
| select_one Camp_Rnd | camp | Camp  |
| select_one camp_rnd | zone | Zone  |
""",
        """
| list_name | name | label |
| Camp_Rnd  | a    | A     |
| camp_rnd  | b    | B     |
""",
    )
    assert document.question("camp").choice_values() == ["a"]
    assert document.question("zone").choice_values() == ["b"]


def test_a_calculation_used_in_a_condition_is_computed_in_place():
    document, warnings = imported("""
| type      | name  | label | calculation                          | relevant         |
| integer   | age   | Âge   |                                      |                  |
| calculate | adult |       | if(${age} >= 18, 'yes', 'no')        |                  |
| text      | job   | Job   |                                      | ${adult} = 'yes' |
""")
    assert codes(warnings) == ["W_CALCULATE_INLINED"]
    relevant = parse(document.question("job").relevant)
    assert is_true(relevant, {"age": 20}) and not is_true(relevant, {"age": 15})


def test_regex_in_a_constraint_is_checked_when_answering():
    document, warnings = imported("""
| type | name     | label       | constraint                 |
| text | postcode | Code postal | regex(., '^[0-9]{5}$')     |
""")
    assert warnings == []
    assert check_answers(document, {"postcode": "57100"}).problems == ()
    assert codes(check_answers(document, {"postcode": "571"}).problems) == ["A_CONSTRAINT"]


def test_a_condition_naming_a_missing_choice_is_a_warning_and_the_form_imports():
    document, warnings = imported(
        """
| type          | name   | label  | relevant            |
| select_one sc | school | École  |                     |
| text          | which  | Lequel | ${school} = 'lycee' |
""",
        """
| list_name | name  | label  |
| sc        | lycée | Lycée  |
| sc        | autre | Autre  |
""",
    )
    assert codes(warnings) == ["W_CONDITION_DROPPED"]
    assert warnings[0].params["reason"] == "C_UNKNOWN_CHOICE"
    assert warnings[0].params["row"] == 3 and warnings[0].params["column"] == "relevant"
    assert document.question("which").relevant is None


def test_old_syntax_names_with_dashes_and_bind_relevant():
    document, warnings = imported(
        """
| type                | name     | label | bind:relevant       |
| select one from yn  | go-out   | Sors ? |                    |
| text                | where    | Où ?   | ${go-out} = 'yes'  |
""",
        """
| list_name | name | label |
| yn        | yes  | Oui   |
| yn        | no   | Non   |
""",
    )
    assert codes(warnings) == ["W_NAME_CHANGED"]
    assert [q.name for q in document.questions()] == ["go_out", "where"]
    assert document.question("go_out").type == "yes_no"
    assert document.question("where").relevant == "${go_out} = 'yes'"


def test_or_other_choice_filter_range_step_and_required_message():
    document, warnings = imported(
        """
| type                       | name   | label  | choice_filter | parameters             | required | required_message::French (fr) | required_message::English (en) | label::English (en) |
| select_one town or_other   | town   | Ville  |               |                        | yes      | Dis-nous ta ville             | Tell us your town              | Town                |
| select_one area            | area   | Quartier | town=${town} |                       |          |                               |                                | Area                |
| range                      | effort | Effort |               | start=0 end=10 step=2  |          |                               |                                | Effort              |
""",
        """
| list_name | name    | label    | town    | label::English (en) |
| town      | thion   | Thionville |       | Thionville |
| town      | metz    | Metz     |         | Metz     |
| area      | centre  | Centre   | thion   | Centre   |
| area      | gare    | Gare     | metz    | Station  |
""",
    )
    town = document.question("town")
    assert town.other and town.choice_values() == ["thion", "metz", "other"]
    assert town.required_message == {"fr": "Dis-nous ta ville", "en": "Tell us your town"}
    area = document.question("area")
    assert area.choice_filter == "town=${town}"
    effort = document.question("effort")
    assert (effort.type, effort.min, effort.max) == ("integer", 0, 10)
    assert check_answers(document, {"town": "metz", "effort": 4}).problems == ()
    assert codes(check_answers(document, {"town": "metz", "effort": 3}).problems) == [
        "A_CONSTRAINT"
    ]
    assert "W_RANGE_STEP" in codes(warnings) and "W_CHOICE_FILTER" not in codes(warnings)
    assert [c.value for c in offered(area, {"town": "metz"})] == ["gare"]  # applied
    missing = check_answers(document, {"effort": 4}).problems
    assert codes(missing) == ["A_REQUIRED"]
    assert missing[0].params["custom_message"] == {
        "fr": "Dis-nous ta ville",
        "en": "Tell us your town",
    }


def test_html_in_labels_is_stripped_and_markdown_kept():
    document, _ = imported("""
| type | name | label                                          |
| note | info | <span style="color:red">**Âge/Sexe**</span><br>*Merci* |
| text | town | Ville                                          |
""")
    assert document.question("info").label == {"fr": "**Âge/Sexe**\n*Merci*"}


def test_a_condition_consult_cannot_run_is_dropped_with_a_row_warning():
    document, warnings = imported("""
| type    | name | label | relevant            |
| integer | age  | Âge   |                     |
| text    | town | Ville | ${age} >> 3         |
| text    | when | Quand | once(today()) != '' |
""")
    assert [(w.code, w.params["row"], w.params["reason"]) for w in warnings] == [
        ("W_CONDITION_DROPPED", 3, "C_SYNTAX"),
        ("W_CONDITION_DROPPED", 4, "C_UNKNOWN_FUNCTION"),
    ]


TEMPLATES = sorted(template_keys())


@pytest.mark.parametrize(
    "document",
    [EVERY_TYPE, *(load_template(key) for key in TEMPLATES)],
    ids=["every_type", *TEMPLATES],
)
def test_every_export_converts_with_pyxform_and_imports_back_unchanged(document):
    data = export_xlsform(document)
    result = convert(xlsform=io.BytesIO(data), validate=False, file_type=".xlsx")
    assert "<h:html" in result.xform
    again, problems, warnings = import_xlsform(data)
    assert problems == [] and warnings == []
    assert again == document


def test_the_rarer_things_real_forms_hold():
    document, warnings = imported(
        """
| type                 | name   | label   | constraint                  |
| uri:deviceid         | device |         |                             |
| rank top or_other    | order  | Classe  |                             |
| integer              | a      | A       |                             |
| integer              | b      | B       | . >= min(${a}, 10)          |
""",
        """
| list_name | name   | label  |
| top       | bus    | Bus    |
| top       | velo   | Vélo   |
""",
    )
    assert [q.name for q in document.questions()] == ["order", "a", "b"]
    assert not document.question("order").other
    assert document.question("order").choice_values() == ["bus", "velo"]
    assert {"W_METADATA_SKIPPED", "W_OTHER_IGNORED"} <= set(codes(warnings))
    assert check_answers(document, {"a": 3, "b": 3}).problems == ()
    assert codes(check_answers(document, {"a": 3, "b": 2}).problems) == ["A_CONSTRAINT"]
