"""Matching the columns of foreign response files to questions (no database)."""

from surveys.limesurvey import import_lss
from surveys.problems import codes
from surveys.response_import import _answers, plan_columns
from tests.surveys.test_limesurvey import new_layout

DOCUMENT = import_lss(new_layout()).document


def test_a_limesurvey_responses_export_is_understood():
    header = ["id", "submitdate", "lastpage", "genre", "loisirs[SP]", "loisirs[MU]",
              "loisirs[other]", "age", "accord[bus]", "accord[info]", "pourquoi", "revenir"]  # fmt: skip
    plan = plan_columns(DOCUMENT, header, None)
    assert (plan.source_id, plan.submitted) == ("id", "submitdate")
    assert plan.targets["loisirs[SP]"] == ("loisirs", "SP")
    assert plan.targets["accord[bus]"] == ("accord", "bus")
    assert plan.ignored == ["lastpage"]
    row = {"genre": "F", "loisirs[SP]": "Y", "loisirs[MU]": "", "loisirs[other]": "Échecs",
           "age": "16", "accord[bus]": "A2", "accord[info]": "A1", "revenir": "Y"}  # fmt: skip
    answers, problems = _answers(DOCUMENT, plan, row, 2)
    assert problems == []
    assert answers["loisirs"] == ["SP", "other"] and answers["loisirs_other"] == "Échecs"
    assert answers["accord"] == {"bus": "A2", "info": "A1"}
    assert answers["age"] == 16 and answers["genre"] == "F"


def test_choices_by_label_and_a_wrong_value_reported_on_its_row():
    plan = plan_columns(DOCUMENT, ["Tu es ?", "Ton âge ?"], None)
    answers, problems = _answers(DOCUMENT, plan, {"Tu es ?": "garçon", "Ton âge ?": "17,5"}, 3)
    assert answers["genre"] == "G" and answers["age"] == 17.5
    _, problems = _answers(DOCUMENT, plan, {"Tu es ?": "chat", "Ton âge ?": "17"}, 4)
    assert codes(problems) == ["A_UNKNOWN_CHOICE"] and problems[0].params["row"] == 4
