"""LimeSurvey .lss files, old (≤ 3: a language column on every row) and new (4+: *_l10ns)."""

import io

import pytest
from pyxform.xls2xform import convert

from surveys.conditions import is_true, parse
from surveys.limesurvey import import_lss
from surveys.problems import codes
from surveys.validation import validate
from surveys.xlsform import import_xlsform
from surveys.xlsform_export import export_xlsform


def cdata(value: str) -> str:
    return f"<![CDATA[{value}]]>" if value else ""


def table(name: str, rows: list[dict]) -> str:
    fields = sorted({k for r in rows for k in r})
    body = "".join(
        "<row>" + "".join(f"<{k}>{cdata(str(v))}</{k}>" for k, v in r.items()) + "</row>"
        for r in rows
    )
    names = "".join(f"<fieldname>{f}</fieldname>" for f in fields)
    return f"<{name}><fields>{names}</fields><rows>{body}</rows></{name}>"


QUESTIONS = [  # qid, type, code, gid, order, mandatory, other, relevance, fr, en
    ("1", "L", "genre", "10", 1, "Y", "N", "1", "Tu es ?", "You are?"),
    ("2", "M", "loisirs", "10", 2, "N", "Y", "", "Tes loisirs ?", "Your hobbies?"),
    ("3", "N", "age", "10", 3, "Y", "N", "", "Ton âge ?", "Your age?"),
    ("4", "F", "accord", "20", 1, "N", "N", 'genre.NAOK == "F" && !is_empty(age)', "D'accord ?", "Agree?"),
    ("5", "T", "pourquoi", "20", 2, "N", "N", 'loisirs_SP == "Y"', "Pourquoi ?", "Why?"),
    ("6", "|", "photo", "20", 3, "N", "N", "", "Photo", "Photo"),
    ("7", "S", "ville", "20", 4, "N", "N", "count(that.loisirs) > 2", "Ville", "Town"),
    ("8", "Y", "revenir", "20", 5, "N", "N", "", "Revenir ?", "Come back?"),
]  # fmt: skip
SUBQUESTIONS = [("11", "2", "SP", "Sport", "Sport"), ("12", "2", "MU", "Musique", "Music"),
                ("13", "4", "bus", "Bus", "Buses"), ("14", "4", "info", "Infos", "News")]  # fmt: skip
ANSWERS = [("21", "1", "F", "Fille", "Girl"), ("22", "1", "G", "Garçon", "Boy"),
           ("23", "4", "A1", "Non", "No"), ("24", "4", "A2", "Oui", "Yes")]  # fmt: skip
GROUPS = [("10", 1, "Profil", "Profile"), ("20", 2, "Avis", "Opinion")]


def head(langs=("fr", "en")) -> str:
    languages = "".join(f"<language>{lang}</language>" for lang in langs)
    settings = table("surveys_languagesettings", [
        {"surveyls_survey_id": "9", "surveyls_language": "fr", "surveyls_title": "Temps libre"},
        {"surveyls_survey_id": "9", "surveyls_language": "en", "surveyls_title": "Free time"},
    ])  # fmt: skip
    return (
        f"<LimeSurveyDocType>Survey</LimeSurveyDocType><languages>{languages}</languages>{settings}"
    )


def old_layout() -> bytes:
    """LimeSurvey ≤ 3 (DBVersion < 400): every text row repeated per language."""
    langs = (("fr", 8), ("en", 9))
    questions = [
        {"qid": q[0], "parent_qid": "0", "type": q[1], "title": q[2], "gid": q[3],
         "question_order": q[4], "mandatory": q[5], "other": q[6], "relevance": q[7],
         "question": q[i], "language": lang} for q in QUESTIONS for lang, i in langs
    ]  # fmt: skip
    subs = [{"qid": s[0], "parent_qid": s[1], "title": s[2], "question": s[i - 5],
             "question_order": n, "language": lang}
            for n, s in enumerate(SUBQUESTIONS) for lang, i in langs]  # fmt: skip
    answers = [{"qid": a[1], "code": a[2], "answer": a[i - 5], "sortorder": n, "language": lang}
               for n, a in enumerate(ANSWERS) for lang, i in langs]  # fmt: skip
    groups = [{"gid": g[0], "group_order": g[1], "group_name": g[2 + k], "language": lang}
              for g in GROUPS for k, lang in enumerate(("fr", "en"))]  # fmt: skip
    body = head() + table("groups", groups) + table("questions", questions)
    body += table("subquestions", subs) + table("answers", answers)
    return f'<?xml version="1.0" encoding="UTF-8"?><document><DBVersion>359</DBVersion>{body}</document>'.encode()


def new_layout() -> bytes:
    """LimeSurvey 4 to 6: structure rows, and their texts in *_l10ns tables."""
    questions = [{"qid": q[0], "parent_qid": "0", "type": q[1], "title": q[2], "gid": q[3],
                  "question_order": q[4], "mandatory": q[5], "other": q[6], "relevance": q[7]}
                 for q in QUESTIONS]  # fmt: skip
    subs = [{"qid": s[0], "parent_qid": s[1], "title": s[2], "question_order": n}
            for n, s in enumerate(SUBQUESTIONS)]  # fmt: skip
    l10n = [{"qid": q[0], "question": q[i], "language": lang}
            for q in QUESTIONS for lang, i in (("fr", 8), ("en", 9))]  # fmt: skip
    l10n += [{"qid": s[0], "question": s[i], "language": lang}
             for s in SUBQUESTIONS for lang, i in (("fr", 3), ("en", 4))]  # fmt: skip
    answers = [
        {"aid": a[0], "qid": a[1], "code": a[2], "sortorder": n} for n, a in enumerate(ANSWERS)
    ]
    answer_l10ns = [{"aid": a[0], "answer": a[i], "language": lang}
                    for a in ANSWERS for lang, i in (("fr", 3), ("en", 4))]  # fmt: skip
    groups = [{"gid": g[0], "group_order": g[1]} for g in GROUPS]
    group_l10ns = [{"gid": g[0], "group_name": g[2 + k], "language": lang}
                   for g in GROUPS for k, lang in enumerate(("fr", "en"))]  # fmt: skip
    body = head() + table("groups", groups) + table("group_l10ns", group_l10ns)
    body += table("questions", questions) + table("subquestions", subs)
    body += table("question_l10ns", l10n) + table("answers", answers)
    body += table("answer_l10ns", answer_l10ns)
    return f'<?xml version="1.0" encoding="UTF-8"?><document><DBVersion>614</DBVersion>{body}</document>'.encode()


@pytest.mark.parametrize("data", [old_layout(), new_layout()], ids=["ls3", "ls6"])
def test_both_layouts_give_the_same_questionnaire(data):
    document, problems, warnings = import_lss(data)
    assert problems == []
    assert document.languages == ("fr", "en") and document.title == {
        "fr": "Temps libre",
        "en": "Free time",
    }
    assert [s.name for s in document.sections] == ["g10", "g20"]
    assert [(q.name, q.type) for q in document.questions()] == [
        ("genre", "single_choice"), ("loisirs", "multiple_choice"), ("age", "decimal"),
        ("accord", "matrix"), ("pourquoi", "long_text"), ("ville", "text"), ("revenir", "yes_no"),
    ]  # fmt: skip
    genre = document.question("genre")
    assert genre.required and genre.choice_values() == ["F", "G"]
    assert genre.choices[1].label == {"fr": "Garçon", "en": "Boy"}
    loisirs = document.question("loisirs")
    assert loisirs.other and loisirs.choice_values() == ["SP", "MU", "other"]
    accord = document.question("accord")
    assert [r.name for r in accord.rows] == ["bus", "info"] and accord.choice_values() == [
        "A1",
        "A2",
    ]
    relevant = parse(accord.relevant)
    assert is_true(relevant, {"genre": "F", "age": 17}) and not is_true(
        relevant, {"genre": "G", "age": 17}
    )
    assert document.question("pourquoi").relevant == "selected(${loisirs}, 'SP')"
    assert document.question("ville").relevant is None
    assert sorted(codes(warnings)) == ["W_CONDITION_DROPPED", "W_LS_UNSUPPORTED_TYPE"]
    assert validate(document) == []


def test_a_file_that_is_not_a_limesurvey_survey_is_refused():
    for data in (b"hello", b"<document><LimeSurveyDocType>Group</LimeSurveyDocType></document>"):
        assert codes(import_lss(data).problems) == ["L_NOT_LSS"]


def test_no_external_entities_are_read():
    data = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><document>&x;</document>'
    assert codes(import_lss(data).problems) in (["L_NOT_LSS"], ["X_NOTHING_TO_ASK"])


# Real exports (LimeSurvey 4-6 layout) shipped with citric, a LimeSurvey client (MIT):
# name -> title, questions (name, type), warnings
REAL = {
    "survey.lss": ("Test Survey", [("G01Q01", "long_text"), ("G01Q02", "likert"),
                                   ("G02Q04", "yes_no")], ["W_LS_UNSUPPORTED_TYPE"]),
    "answers.lss": ("Survey with Question Answers", [("Q01", "multiple_choice"),
                                                     ("Q02", "matrix")], []),
    "limesurvey_survey_432535.lss": ("Example Survey", [("G01Q01", "likert"),
                                                        ("G01Q02", "long_text")], []),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(REAL))
def test_a_real_limesurvey_export_imports(name):
    from tests.third_party import fixture

    title, questions, warned = REAL[name]
    document, problems, warnings = import_lss(fixture("limesurvey", name).read_bytes())
    assert problems == []
    assert document.title == {"en": title}
    assert [(q.name, q.type) for q in document.questions()] == questions
    assert codes(warnings) == warned
    assert validate(document) == []
    # and it can go on to ODK/Kobo: pyxform converts its export, which reads back the same
    data = export_xlsform(document)
    assert "<h:html" in convert(xlsform=io.BytesIO(data), validate=False, file_type=".xlsx").xform
    assert import_xlsform(data).document == document


def test_what_the_real_exports_say_in_html_and_attributes_is_kept():
    from tests.third_party import fixture

    def read(name):
        return import_lss(fixture("limesurvey", name).read_bytes()).document

    survey = read("survey.lss")
    first = survey.question("G01Q01")
    assert first.label == {"en": "Text for **first question**"}  # <strong>: our Markdown
    assert first.hint == {"en": "This is a question help text."}
    assert survey.question("G01Q02").required
    example = read("limesurvey_survey_432535.lss")
    assert example.description == {"en": "This is an example survey"}
    assert example.question("G01Q02").constraint == "string-length(.) <= 255"  # maximum_chars
    assert example.question("G01Q01").choice_values() == ["1", "2", "3", "4", "5"]
    grid = read("answers.lss").question("Q02")
    assert [r.name for r in grid.rows] == ["SQ001", "SQ002", "SQ003", "SQ004", "SQ005"]
    assert grid.choice_values() == ["AO01", "AO02", "AO03", "AO04", "AO05"]
    assert grid.rows[0].label == {"en": "Color"}
