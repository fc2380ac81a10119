"""Hypothesis over what respondents, paper entry and imports send in: form values read by the
type registry, pages read by the respondent flow and paper entry, whole responses checked,
conditions and JSON documents. Bad input may only ever give coded problems (rendered in
French and English), never another exception, and what is read back is read the same again."""

import json
import string

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from surveys.answers import check_answers, parse_question, parse_section, relevance, to_form
from surveys.conditions import ConditionError, evaluate, parse, to_text
from surveys.document import Document, Question, Row, Section, from_dict, from_json, to_json
from surveys.library import load_template, template_keys
from surveys.messages import MESSAGES, render
from surveys.problems import Problem, ProblemsError
from surveys.types import OTHER, REGISTRY, effective_choices
from surveys.validation import validate
from tests.surveys.helpers import L, choices

FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# A whole questionnaire per example: fewer, each one covers many questions.
WHOLE = settings(FAST, max_examples=60)
LIBRARY = {key: load_template(key) for key in template_keys()}
CHOICE_VALUES = ("a", "b", "c", OTHER)
ANSWER_KEYS = {"zz"} | {
    key for doc in LIBRARY.values() for q in doc.questions() for key in (q.name, q.other_name)
}

# What a browser, a script or a hurried typist may send for one field.
raw_values = st.one_of(
    st.sampled_from([*CHOICE_VALUES, "yes", "no", "", " ", "1", "0", "-3", "2,5", "1e400"]),
    st.from_regex(r"\A[+-]?\d{1,20}([.,]\d{0,5})?\Z"),
    st.from_regex(r"\A\d{1,2}/\d{1,2}/\d{3,5}\Z"),
    st.dates().map(str),
    st.text(max_size=30),
    st.text(alphabet=string.ascii_letters, min_size=1001, max_size=1100),
)
value_lists = st.lists(raw_values, max_size=4)
plain_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=10,
)


def assert_renders(problems) -> None:
    for problem in problems:
        assert isinstance(problem, Problem)
        assert problem.code in MESSAGES, problem
        for lang in ("fr", "en"):
            assert render(problem, lang)


def form_fields(question: Question) -> dict[str, st.SearchStrategy[list[str]]]:
    """Every key a page may post for the question, with values it may carry: its own
    choices and ranks as well as anything else."""
    own = question.choice_values() or ["x"]
    values = st.lists(st.one_of(raw_values, st.sampled_from(own)), max_size=3)
    ranks = st.lists(st.sampled_from(["1", "2", "3", "0", "9", "x"]), max_size=2)
    fields = {question.name: values, question.other_name: value_lists}
    fields |= {f"{question.name}/{row.name}": values for row in question.rows}
    fields |= {f"{question.name}/{value}": ranks for value in question.choice_values()}
    return fields


@st.composite
def plausible(draw, question: Question) -> dict[str, list[str]]:
    """What a careful respondent would post for the question."""
    kind, values = question.type, question.choice_values()
    if kind in ("single_choice", "likert", "yes_no"):
        picked = [draw(st.sampled_from(values))]
    elif kind == "multiple_choice":
        picked = draw(st.lists(st.sampled_from(values), min_size=1, unique=True))
    elif kind == "ranking":
        picked = draw(st.permutations(values))[: draw(st.integers(1, len(values)))]
    elif kind == "matrix":
        choice = st.sampled_from(values)
        return {f"{question.name}/{row.name}": [draw(choice)] for row in question.rows}
    elif kind in ("rating", "integer", "decimal"):
        low = question.min if question.min is not None else 0
        high = question.max if question.max is not None else (10 if kind == "rating" else 999)
        picked = [str(draw(st.integers(int(low), int(high))))]
    elif kind == "date":
        picked = [draw(st.dates()).isoformat()]
    elif kind in ("text", "long_text"):
        picked = [draw(st.text(string.ascii_letters + " éà'", min_size=1, max_size=40))]
    else:
        return {}
    form = {question.name: picked}
    if question.other and OTHER in picked:
        form[question.other_name] = ["ailleurs"]
    return form


@st.composite
def forms_for(draw, questions) -> dict[str, list[str]]:
    form: dict[str, list[str]] = {}
    for question in questions:
        fields = form_fields(question)
        way = draw(st.sampled_from(["skip", "plausible", "plausible", "any"]))
        if way == "plausible":
            form |= draw(plausible(question))
        elif way == "any":
            keys = draw(st.lists(st.sampled_from(sorted(fields)), unique=True, max_size=3))
            form |= {key: draw(fields[key]) for key in keys}
    if draw(st.booleans()):
        form["unknown"] = draw(value_lists)
    return form


@st.composite
def questions(draw) -> Question:
    kind = draw(st.sampled_from(sorted(REGISTRY)))
    entry = REGISTRY[kind]
    fields = {}
    if entry.needs_choices or (kind == "yes_no" and draw(st.booleans())):
        values = ("yes", "no") if kind == "yes_no" else CHOICE_VALUES
        fields["choices"] = choices(*values)
    if entry.needs_rows:
        fields["rows"] = (Row("r1", L("Un")), Row("r2", L("Deux")))
    if "other" in entry.fields:
        fields["other"] = draw(st.booleans())
    if "min" in entry.fields:
        low = draw(st.none() | st.integers(-5, 5))
        high = draw(st.none() | st.integers(5, 50))
        fields.update(min=low, max=high)
    if "min_picks" in entry.fields:
        fields.update(
            min_picks=draw(st.none() | st.integers(0, 2)),
            max_picks=draw(st.none() | st.integers(2, 4)),
        )
    return Question(name="q", type=kind, label=L("Q"), **fields)


@FAST
@given(data=st.data(), question=questions())
def test_every_type_reads_any_form_values_into_answers_or_problems(data, question):
    form = data.draw(forms_for([question]))
    parsed = parse_question(question, form)
    assert_renders(parsed.problems)
    assert set(parsed.entries) <= {question.name, question.other_name}
    if parsed.entries and not parsed.problems:
        # a saved draft is written back into the inputs: it must read back the same
        again = parse_question(question, REGISTRY[question.type].to_form(question, parsed.entries))
        assert again.entries == parsed.entries and not again.problems
        # and what a page accepted, the submit check accepts
        document = Document(L("T"), ("fr", "en"), (Section("s", L("S"), questions=(question,)),))
        assert check_answers(document, parsed.entries).answers == parsed.entries


@FAST
@given(question=questions())
def test_choice_values_read_back_as_themselves(question):
    for choice in effective_choices(question):
        if question.type in ("single_choice", "likert", "yes_no") and choice.value != OTHER:
            assert parse_question(question, {"q": [choice.value]}).entries == {"q": choice.value}


def paper_form(document: Document):
    """A form over every page: each page's fields drawn on their own, so that every page gets
    a fair share of answers."""

    def merge(forms) -> dict[str, list[str]]:
        return {key: value for form in forms for key, value in form.items()}

    return st.tuples(*(forms_for(section.questions) for section in document.sections)).map(merge)


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_pages_and_paper_entry_read_any_form(name):
    """The respondent flow (one page at a time) and paper entry (every page, then the whole
    check) on the library's questionnaires, with skip logic and constraints."""
    document = LIBRARY[name]

    @WHOLE
    @given(form=paper_form(document), section=st.sampled_from(document.sections))
    def check(form, section):
        page = parse_section(document, section, form, {})
        assert_renders(page.problems)
        own = {k for q in section.questions for k in (q.name, q.other_name)}
        assert set(page.answers) <= own
        # what a page kept (even beside problems) refills its inputs and reads back the same
        refill = to_form(document, page.answers)
        assert parse_section(document, section, refill, {}).answers == page.answers
        answers: dict = {}
        problems: list = []
        for each in document.sections:  # what capture.record_paper does before storing
            checked = parse_section(document, each, form, answers)
            answers.update(checked.answers)
            problems.extend(checked.problems)
        whole = check_answers(document, answers)
        assert_renders(whole.problems)
        # pages only ever keep well-formed answers: the whole check never finds a bad shape
        assert not {"A_BAD_VALUE", "A_UNKNOWN_QUESTION"} & {p.code for p in whole.problems}
        if not problems:
            # a stored response written back into the form reads back the same
            refill = to_form(document, whole.answers)
            again: dict = {}
            for each in document.sections:
                again.update(parse_section(document, each, refill, again).answers)
            assert relevance(document, again).answers == whole.answers

    check()


@WHOLE
@given(answers=st.dictionaries(st.sampled_from(sorted(ANSWER_KEYS)), plain_json, max_size=8))
def test_a_whole_response_of_any_shape_is_checked_without_crashing(answers):
    for document in LIBRARY.values():
        checked = check_answers(document, answers)
        assert_renders(checked.problems)
        assert set(checked.answers) <= set(answers)


# --- conditions -------------------------------------------------------------------------

atoms = st.one_of(
    st.sampled_from(["${a}", "${b}", ".", "'x'", '"y"', "''"]),
    st.integers(-(10**400), 10**400).map(str),
    st.from_regex(r"\A\d{1,400}\.\d{0,3}\Z"),
)
expressions = st.recursive(
    atoms,
    lambda inner: st.one_of(
        st.tuples(
            inner,
            st.sampled_from(["or", "and", "=", "!=", "<", ">=", "+", "-", "*", "div", "mod"]),
            inner,
        ).map(" ".join),
        inner.map(lambda e: f"-({e})"),
        inner.map(lambda e: f"not({e})"),
        inner.map(lambda e: f"count-selected({e})"),
        st.tuples(inner, inner).map(lambda p: f"selected({p[0]}, {p[1]})"),
    ),
    max_leaves=8,
)


@FAST
@given(
    expression=expressions,
    answers=st.dictionaries(st.sampled_from(["a", "b"]), plain_json),
    current=plain_json,
)
@example(expression="${a} + " + "9" * 400, answers={}, current=None)  # once an OverflowError
def test_conditions_parse_write_and_evaluate_without_crashing(expression, answers, current):
    try:
        node = parse(expression)
    except ConditionError as exc:
        assert_renders(exc.problems)
        return
    assert parse(to_text(node)) == node
    evaluate(node, answers, current)


# --- JSON documents ---------------------------------------------------------------------


@FAST
@given(text=st.one_of(st.text(max_size=50), st.binary(max_size=50), plain_json.map(json.dumps)))
@example(text=b'{"title": "\xe9t\xe9"}')  # Latin-1 upload: once a UnicodeDecodeError
@example(text="[" * 100_000)  # once a RecursionError
def test_any_text_is_a_document_or_coded_problems(text):
    try:
        from_json(text)
    except ProblemsError as exc:
        assert_renders(exc.problems)


def _mutations(document: Document):
    data = json.loads(to_json(document))
    paths = st.sampled_from(["title", "languages", "sections", "name"])
    return st.tuples(paths, plain_json).map(lambda change: {**data, change[0]: change[1]})


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_documents_round_trip_and_damaged_ones_give_coded_problems(name):
    document = LIBRARY[name]
    assert to_json(from_json(to_json(document))) == to_json(document)
    assert from_json(to_json(document)) == document

    @FAST
    @given(data=_mutations(document))
    def check(data):
        try:
            damaged = from_dict(data)
        except ProblemsError as exc:
            assert_renders(exc.problems)
            return
        assert_renders(validate(damaged))
        assert to_json(from_json(to_json(damaged))) == to_json(damaged)

    check()


@FAST
@given(name=st.text(max_size=8), values=st.lists(st.text(max_size=6), max_size=4))
def test_any_question_fields_validate_into_coded_problems(name, values):
    assume(len(set(values)) == len(values))
    question = Question(name=name, type="single_choice", label=L("Q"), choices=choices(*values))
    document = Document(L("T"), ("fr", "en"), (Section("s", L("S"), questions=(question,)),))
    assert_renders(validate(document))
