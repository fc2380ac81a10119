import contextlib
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from surveys.conditions import (
    Binary,
    Call,
    ConditionError,
    Current,
    Literal,
    Ref,
    evaluate,
    is_true,
    parse,
    references,
    to_text,
)


def value(expression, answers=None, current=None):
    return evaluate(parse(expression), answers or {}, current)


def code_of(expression):
    with pytest.raises(ConditionError) as caught:
        parse(expression)
    return caught.value.problem.code


def test_reference_equals_choice_value():
    assert value("${x} = 'yes'", {"x": "yes"}) is True
    assert value("${x} = 'yes'", {"x": "no"}) is False


def test_unanswered_compares_like_the_empty_string():
    assert value("${x} = ''", {}) is True
    assert value("${x} != ''", {}) is False
    assert value("${age} > 14", {}) is False


def test_numbers_compare_numerically():
    assert value("${age} >= 14 and ${age} <= 25", {"age": 17}) is True
    assert value("${age} = '17'", {"age": 17}) is True
    assert value("${t} < 9", {"t": "10"}) is False  # not lexically


def test_dates_compare_as_iso_strings():
    assert value("${d} >= '2024-01-01'", {"d": "2024-03-02"}) is True
    assert value("${d} >= '2024-01-01'", {}) is False


def test_current_value_in_a_constraint():
    assert value(". >= 14 and . <= 25", current=30) is False
    assert value(". >= 14 and . <= 25", current=18) is True


def test_selected_and_count_selected_on_lists():
    answers = {"a": ["sport", "music"]}
    assert value("selected(${a}, 'music')", answers) is True
    assert value("selected(${a}, 'dance')", answers) is False
    assert value("count-selected(${a}) = 2", answers) is True
    assert (
        value("not(selected(., 'none') and count-selected(.) > 1)", current=["none", "x"]) is False
    )


def test_string_length():
    assert value("string-length(${t}) > 3", {"t": "bonjour"}) is True
    assert value("string-length(${t})", {}) == 0


def test_arithmetic_with_div_mod_and_unary_minus():
    assert value("7 div 2") == 3.5
    assert value("7 mod 3") == 1
    assert value("-${a} + 10 * 2", {"a": 5}) == 15
    assert value("(1 + 2) * 3") == 9
    assert math.isinf(value("1 div 0"))


def test_precedence_follows_xpath():
    assert parse("1 + 2 * 3") == Binary("+", Literal(1), Binary("*", Literal(2), Literal(3)))
    assert parse("${a} = 1 or ${b} = 2 and ${c} = 3") == Binary(
        "or",
        Binary("=", Ref("a"), Literal(1)),
        Binary("and", Binary("=", Ref("b"), Literal(2)), Binary("=", Ref("c"), Literal(3))),
    )


def test_references_lists_every_name():
    assert references(parse("selected(${a}, 'x') or ${b} > ${a}")) == {"a", "b"}


def test_to_text_writes_canonical_text():
    assert to_text(parse("${a}='x'  and(${b}>1)")) == "${a} = 'x' and ${b} > 1"
    assert to_text(parse("(1 - 2) - 3")) == "1 - 2 - 3"
    assert to_text(parse("1 - (2 - 3)")) == "1 - (2 - 3)"
    assert to_text(Call("not", (Current(),))) == "not(.)"


@pytest.mark.parametrize(
    ("expression", "code"),
    [
        ("", "C_EMPTY"),
        ("${a} = ", "C_UNEXPECTED_END"),
        ("${a} == 1", "C_SYNTAX"),
        ("'open", "C_UNTERMINATED_STRING"),
        ("${1a} = 1", "C_BAD_REFERENCE"),
        ("uuid() > 1", "C_UNKNOWN_FUNCTION"),
        ("selected(${a})", "C_ARGUMENT_COUNT"),
        ("(" * 500 + "1" + ")" * 500, "C_TOO_COMPLEX"),
        ("eval('1')", "C_UNKNOWN_FUNCTION"),
        ("__import__('os')", "C_UNKNOWN_FUNCTION"),
    ],
)
def test_syntax_errors_are_coded_problems(expression, code):
    assert code_of(expression) == code


def test_syntax_error_gives_the_position():
    with pytest.raises(ConditionError) as caught:
        parse("${a} = 1 1")
    assert caught.value.problem.params["position"] == 10


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("${}()'\". ,=<>!+-*abcdiovnmselt_019 ")), max_size=40))
def test_parser_never_crashes_on_arbitrary_text(expression):
    try:
        node = parse(expression)
    except ConditionError as exc:
        assert exc.problem.code.startswith("C_")
        return
    assert parse(to_text(node)) == node


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60))
def test_parser_never_crashes_on_any_unicode(expression):
    with contextlib.suppress(ConditionError):
        parse(expression)


# --- evaluation against an independent reference --------------------------------------
# Trees are tuples built here; the reference evaluates them with plain Python numbers and
# booleans, the engine evaluates the text we render from them.

ANSWERS = {"n": 4, "m": -3, "picks": ["a", "c"], "word": "salut"}

numbers = st.recursive(
    st.one_of(
        st.integers(-20, 20).map(lambda i: ("lit", i)),
        st.sampled_from([("ref", "n"), ("ref", "m")]),
        st.just(("count", "picks")),
        st.just(("length", "word")),
    ),
    lambda inner: st.one_of(
        st.tuples(st.sampled_from(["+", "-", "*"]), inner, inner),
        st.tuples(st.just("neg"), inner),
    ),
    max_leaves=8,
)
booleans = st.recursive(
    st.one_of(
        st.tuples(st.sampled_from(["=", "!=", "<", "<=", ">", ">="]), numbers, numbers),
        st.sampled_from(["a", "b", "c"]).map(lambda v: ("selected", v)),
    ),
    lambda inner: st.one_of(
        st.tuples(st.sampled_from(["and", "or"]), inner, inner),
        st.tuples(st.just("not"), inner),
    ),
    max_leaves=6,
)

COMPARE = {
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def reference(tree):
    op = tree[0]
    if op == "lit":
        return tree[1]
    if op == "ref":
        return ANSWERS[tree[1]]
    if op == "count":
        return len(ANSWERS[tree[1]])
    if op == "length":
        return len(ANSWERS[tree[1]])
    if op == "neg":
        return -reference(tree[1])
    if op == "selected":
        return tree[1] in ANSWERS["picks"]
    if op == "not":
        return not reference(tree[1])
    if op == "and":
        return reference(tree[1]) and reference(tree[2])
    if op == "or":
        return reference(tree[1]) or reference(tree[2])
    if op in COMPARE:
        return COMPARE[op](reference(tree[1]), reference(tree[2]))
    return {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b}[op](
        reference(tree[1]), reference(tree[2])
    )


def render(tree):
    """Fully parenthesised, independently of the engine's writer."""
    op = tree[0]
    if op == "lit":
        return str(tree[1])
    if op == "ref":
        return "${" + tree[1] + "}"
    if op == "count":
        return "count-selected(${picks})"
    if op == "length":
        return "string-length(${word})"
    if op == "neg":
        return f"-({render(tree[1])})"
    if op == "selected":
        return f"selected(${{picks}}, '{tree[1]}')"
    if op == "not":
        return f"not({render(tree[1])})"
    return f"({render(tree[1])}) {op} ({render(tree[2])})"


@settings(max_examples=200, deadline=None)
@given(numbers)
def test_arithmetic_agrees_with_python(tree):
    assert evaluate(parse(render(tree)), ANSWERS) == reference(tree)


@settings(max_examples=200, deadline=None)
@given(booleans)
def test_logic_agrees_with_python(tree):
    node = parse(render(tree))
    assert is_true(node, ANSWERS) == reference(tree)
    assert is_true(parse(to_text(node)), ANSWERS) == reference(tree)
