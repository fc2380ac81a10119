"""Choices typed one per line, preset scales, « Autre » and an exclusive « Aucun » in one tick."""

from surveys import editing
from surveys.document import Choice, Document, Question, Section, from_dict, to_dict
from surveys.validation import validate


def doc(question: Question, languages=("fr",)) -> Document:
    title = {lang: "T" for lang in languages}
    return Document(title, languages, (Section("s", title, questions=(question,)),))


def edit(document: Document, **form: str) -> Question:
    return editing.question_from_form(document, "q", form)


def test_one_choice_per_line_makes_values_from_the_labels():
    document = doc(Question("q", "single_choice", {"fr": "Q"}), ("fr", "en"))
    question = edit(
        document,
        choices_text_fr="Plutôt d’accord\n\nPas du tout\nPlutôt d’accord\n",
        choices_text_en="Rather agree\n\nNot at all\nRather agree again",
    )
    assert [(c.value, c.label) for c in question.choices] == [
        ("plutot_d_accord", {"fr": "Plutôt d’accord", "en": "Rather agree"}),
        ("pas_du_tout", {"fr": "Pas du tout", "en": "Not at all"}),
        ("plutot_d_accord_2", {"fr": "Plutôt d’accord", "en": "Rather agree again"}),
    ]


def test_values_stay_when_labels_are_edited_reordered_or_added():
    choices = (Choice("foot", {"fr": "Football"}), Choice("danse", {"fr": "Danse"}))
    document = doc(Question("q", "single_choice", {"fr": "Q"}, choices=choices))
    edited = edit(document, choices_text_fr="Football américain\nDanse\nThéâtre")
    assert [c.value for c in edited.choices] == ["foot", "danse", "theatre"]
    reordered = edit(document, choices_text_fr="Danse\nFootball")
    assert [c.value for c in reordered.choices] == ["danse", "foot"]


def test_a_preset_scale_fills_the_choices_in_every_language():
    document = doc(Question("q", "likert", {"fr": "Q", "en": "Q"}), ("fr", "en"))
    question = edit(document, preset="agreement_5", choices_text_fr="", choices_text_en="")
    assert len(question.choices) == 5
    assert question.choices[0].label == {"fr": "Pas du tout d’accord", "en": "Strongly disagree"}
    assert validate(doc(question, ("fr", "en"))) == []
    rating = edit(doc(Question("q", "single_choice", {"fr": "Q"})), preset="zero_to_ten")
    assert [c.value for c in rating.choices] == [str(n) for n in range(11)]
    for preset in ("agreement_4", "satisfaction", "frequency", "yes_no_dont_know"):
        assert edit(document, preset=preset).choices


def test_other_is_one_tick_and_needs_no_choice_typed_by_hand():
    document = doc(Question("q", "single_choice", {"fr": "Q"}))
    question = edit(document, choices_text_fr="Oui\nNon", has_other="1", other="1")
    assert question.other and [c.value for c in question.choices] == ["oui", "non", "other"]
    assert validate(doc(question)) == []
    untick = edit(doc(question), choices_text_fr="Oui\nNon", has_other="1")
    assert not untick.other and [c.value for c in untick.choices] == ["oui", "non"]


def test_none_of_these_is_an_exclusive_choice_stored_in_the_document():
    document = doc(Question("q", "multiple_choice", {"fr": "Q"}, max_picks=2))
    question = edit(
        document,
        choices_text_fr="Sport\nMusique",
        has_other="1",
        other="1",
        has_none_of_these="1",
        none_of_these="1",
    )
    assert [(c.value, c.exclusive) for c in question.choices] == [
        ("sport", False),
        ("musique", False),
        ("none", True),
        ("other", False),
    ]
    assert question.choices[2].label == {"fr": "Aucun de ceux-ci"}
    data = to_dict(doc(question))
    stored = data["sections"][0]["questions"][0]["choices"]
    assert stored[2] == {"value": "none", "label": {"fr": "Aucun de ceux-ci"}, "exclusive": True}
    assert "exclusive" not in stored[0]
    assert from_dict(data) == doc(question)
    assert validate(doc(question)) == []
    # the text keeps only the choices typed by hand; saving it again keeps the ticks' choices
    assert editing.choices_as_text(question, "fr") == "Sport\nMusique"
    again = edit(doc(question), choices_text_fr="Sport\nMusique\nNone")
    assert [c.value for c in again.choices] == ["sport", "musique", "none_2", "none", "other"]
    assert [c.value for c in again.choices if c.exclusive] == ["none"]
    untick = edit(doc(question), has_none_of_these="1")
    assert not any(c.exclusive for c in untick.choices)
