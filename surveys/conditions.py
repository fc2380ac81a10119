"""The condition language: a safe subset of XLSForm (XPath 1.0) expressions.

Used for ``relevant`` (skip logic) and ``constraint``. Text is tokenised and parsed into a
small tree by our own Pratt parser and evaluated by our own code — never ``eval`` — so a
questionnaire imported from anywhere cannot run anything.

XPath semantics kept on purpose, because forms written for ODK/Kobo must behave the same:
an unanswered question is the empty string; ``=`` compares numerically as soon as one side
is a number; a multiple choice is its space-separated values. One extension: ``<`` and
friends compare two non-empty strings as strings, so ISO dates order correctly.
"""

import datetime as dt
import functools
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from surveys.problems import Problem, ProblemsError

MAX_LENGTH = 4000
MAX_DEPTH = 60
# Beyond this a literal no longer converts to a float (XPath numbers are doubles).
MAX_NUMBER = 10**300

# --- tree -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Literal:
    value: str | int | float


@dataclass(frozen=True)
class Ref:
    name: str


@dataclass(frozen=True)
class Current:
    """``.``: the value being checked by a constraint."""


@dataclass(frozen=True)
class Unary:
    op: str
    operand: "Node"


@dataclass(frozen=True)
class Binary:
    op: str
    left: "Node"
    right: "Node"


@dataclass(frozen=True)
class Call:
    function: str
    args: tuple["Node", ...]


Node = Literal | Ref | Current | Unary | Binary | Call


class ConditionError(ProblemsError):
    """A condition that cannot be parsed; ``problems`` holds one coded problem."""

    @property
    def problem(self) -> Problem:
        return self.problems[0]


# --- values (XPath 1.0 conversions) ---------------------------------------------------

_NUMBER_TEXT = re.compile(r"\s*-?(\d+(\.\d*)?|\.\d+)\s*")


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def to_number(value: Any) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if is_number(value):
        return float(value)
    text = to_string(value)
    return float(text) if _NUMBER_TEXT.fullmatch(text) else math.nan


def to_string(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value):
        return _number_text(float(value))
    if isinstance(value, list | tuple):
        return " ".join(to_string(v) for v in value)
    if isinstance(value, dict):
        return " ".join(to_string(v) for v in value.values())
    return str(value)


def to_boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if is_number(value):
        return not (value == 0 or math.isnan(value))
    if isinstance(value, list | tuple | dict):
        return len(value) > 0
    return bool(to_string(value))


def _number_text(x: float) -> str:
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == int(x) and abs(x) < 1e16:
        return str(int(x))
    return format(Decimal(repr(x)), "f")


def _items(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        return [to_string(v) for v in value]
    return to_string(value).split()


# --- functions: one table, arity and implementation ----------------------------------


@dataclass(frozen=True)
class Function:
    arity: int
    apply: Callable[..., Any]
    most: int | None = -1  # -1: exactly ``arity``; None: any number from ``arity`` on

    def accepts(self, count: int) -> bool:
        if self.most == -1:
            return count == self.arity
        return count >= self.arity and (self.most is None or count <= self.most)


_EPOCH = dt.date(1970, 1, 1)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A pattern whose quantified group holds a quantifier can backtrack for ever (ReDoS).
_NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*[+*{?]")
REGEX_MAX_LENGTH = 200
REGEX_INPUT_MAX = 2000


def regex_problem(pattern: str) -> str | None:
    """Why a ``regex()`` pattern is refused (too long, nested quantifiers, invalid), or None."""
    if len(pattern) > REGEX_MAX_LENGTH or _NESTED_QUANTIFIER.search(pattern):
        return "unsafe"
    try:
        re.compile(pattern)
    except re.error:
        return "invalid"
    return None


@functools.lru_cache(maxsize=256)
def _compiled_regex(pattern: str) -> re.Pattern[str] | None:
    return None if regex_problem(pattern) else re.compile(pattern)


def _regex(value: Any, pattern: Any) -> bool:
    compiled = _compiled_regex(to_string(pattern))
    text = to_string(value)
    return bool(compiled and len(text) <= REGEX_INPUT_MAX and compiled.search(text))


def _days(value: Any) -> float:
    """A date as XPath numbers see it: days since 1970-01-01."""
    text = to_string(value)[:10]
    if _ISO_DATE.fullmatch(text):
        try:
            return float((dt.date.fromisoformat(text) - _EPOCH).days)
        except ValueError:
            return math.nan
    return to_number(value)


def _date(value: Any) -> str:
    if is_number(value):
        days = float(value)
        if math.isnan(days) or abs(days) > 3_000_000:
            return ""
        return (_EPOCH + dt.timedelta(days=math.floor(days))).isoformat()
    text = to_string(value)[:10]
    return text if _ISO_DATE.fullmatch(text) else ""


def _extreme(pick: Callable[..., float]) -> Callable[..., float]:
    def apply(*values: Any) -> float:
        numbers = [to_number(v) for value in values for v in _items(value) or [value]]
        return math.nan if not numbers or any(math.isnan(n) for n in numbers) else pick(numbers)

    return apply


def _round(value: Any, places: Any = 0) -> float:
    x, n = to_number(value), to_number(places)
    if math.isnan(x) or math.isinf(x) or math.isnan(n):
        return x
    return float(Decimal(repr(x)).quantize(Decimal(1).scaleb(-int(n)), rounding="ROUND_HALF_UP"))


def _int(value: Any) -> float:
    x = to_number(value)
    return x if math.isnan(x) or math.isinf(x) else float(math.trunc(x))


FUNCTIONS: dict[str, Function] = {
    "not": Function(1, lambda x: not to_boolean(x)),
    "selected": Function(2, lambda x, v: to_string(v) in _items(x)),
    "count-selected": Function(1, lambda x: float(len(_items(x)))),
    "string-length": Function(1, lambda x: float(len(to_string(x)))),
    # what XLSForm calculations and constraints use (ODK XPath functions)
    "if": Function(3, lambda c, a, b: a if to_boolean(c) else b),
    "coalesce": Function(2, lambda a, b: a if to_string(a) else b),
    "concat": Function(1, lambda *xs: "".join(to_string(x) for x in xs), None),
    "regex": Function(2, _regex),
    "min": Function(1, _extreme(min), None),
    "max": Function(1, _extreme(max), None),
    "int": Function(1, _int),
    "round": Function(1, _round, 2),
    "number": Function(1, lambda x: _days(x)),
    "string": Function(1, to_string),
    "boolean": Function(1, to_boolean),
    "true": Function(0, lambda: True),
    "false": Function(0, lambda: False),
    "today": Function(0, lambda: dt.date.today().isoformat()),
    "date": Function(1, _date),
    "decimal-date-time": Function(1, _days),
    "contains": Function(2, lambda a, b: to_string(b) in to_string(a)),
    "starts-with": Function(2, lambda a, b: to_string(a).startswith(to_string(b))),
    "abs": Function(1, lambda x: abs(to_number(x))),
}

# --- tokenizer ------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<ref>\$\{(?P<refname>[^}]*)\})
  | (?P<num>\d+(\.\d*)?|\.\d+)
  | (?P<str>'[^']*'|"[^"]*")
  | (?P<op>!=|<=|>=|[=<>+\-*(),])
  | (?P<dot>\.)
  | (?P<name>[A-Za-z_][\w\-:]*)
    """,
    re.VERBOSE,
)
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_WORD_OPERATORS = {"and", "or", "div", "mod"}


@dataclass(frozen=True)
class _Token:
    kind: str  # num str ref dot op word end
    text: str
    pos: int  # 0-based offset in the expression


def _fail(code: str, expression: str, pos: int, **params: Any) -> ConditionError:
    return ConditionError([Problem(code, "", expression=expression, position=pos + 1, **params)])


def _tokenize(expression: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(expression):
        m = _TOKEN.match(expression, pos)
        if m is None:
            ch = expression[pos]
            if ch in "'\"":
                raise _fail("C_UNTERMINATED_STRING", expression, pos)
            if expression.startswith("${", pos):
                raise _fail("C_BAD_REFERENCE", expression, pos, name=expression[pos + 2 :])
            raise _fail("C_SYNTAX", expression, pos, found=ch)
        kind = next(k for k in ("space", "ref", "num", "str", "op", "dot", "name") if m.group(k))
        if kind == "ref":
            name = m.group("refname").strip()
            if not _IDENTIFIER.fullmatch(name):
                raise _fail("C_BAD_REFERENCE", expression, pos, name=name)
            tokens.append(_Token("ref", name, pos))
        elif kind == "name":
            word = m.group()
            tokens.append(_Token("op" if word in _WORD_OPERATORS else "word", word, pos))
        elif kind != "space":
            tokens.append(_Token(kind, m.group(), pos))
        pos = m.end()
    tokens.append(_Token("end", "", len(expression)))
    return tokens


# --- parser (Pratt) -------------------------------------------------------------------

# XPath 1.0 precedence, loosest first; unary minus binds tighter than `*`.
BINDING = {
    "or": 1,
    "and": 2,
    "=": 3,
    "!=": 3,
    "<": 4,
    "<=": 4,
    ">": 4,
    ">=": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "div": 6,
    "mod": 6,
}
UNARY_BINDING = 7


class _Parser:
    def __init__(self, expression: str) -> None:
        self.expression = expression
        self.tokens = _tokenize(expression)
        self.i = 0
        self.depth = 0

    @property
    def token(self) -> _Token:
        return self.tokens[self.i]

    def advance(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def error(self, token: _Token) -> ConditionError:
        if token.kind == "end":
            return _fail("C_UNEXPECTED_END", self.expression, token.pos)
        found = "${" + token.text + "}" if token.kind == "ref" else token.text
        return _fail("C_SYNTAX", self.expression, token.pos, found=found)

    def expect(self, text: str) -> None:
        if self.token.kind != "op" or self.token.text != text:
            raise self.error(self.token)
        self.advance()

    def parse(self) -> Node:
        if self.token.kind == "end":
            raise _fail("C_EMPTY", self.expression, 0)
        node = self.expression_(0)
        if self.token.kind != "end":
            raise self.error(self.token)
        return node

    def expression_(self, rbp: int) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _fail("C_TOO_COMPLEX", self.expression, self.token.pos)
        left = self.prefix(self.advance())
        while self.token.kind == "op" and BINDING.get(self.token.text, 0) > rbp:
            op = self.advance().text
            left = Binary(op, left, self.expression_(BINDING[op]))
        self.depth -= 1
        return left

    def prefix(self, token: _Token) -> Node:
        if token.kind == "num":
            value = float(token.text) if "." in token.text else int(token.text)
            if abs(value) > MAX_NUMBER:
                raise _fail("C_NUMBER_TOO_LARGE", self.expression, token.pos)
            return Literal(value)
        if token.kind == "str":
            return Literal(token.text[1:-1])
        if token.kind == "ref":
            return Ref(token.text)
        if token.kind == "dot":
            return Current()
        if token.kind == "op" and token.text == "-":
            operand = self.expression_(UNARY_BINDING - 1)
            if isinstance(operand, Literal) and is_number(operand.value):
                return Literal(-operand.value)  # `-1` is one literal, as to_text writes it
            return Unary("-", operand)
        if token.kind == "op" and token.text == "(":
            node = self.expression_(0)
            self.expect(")")
            return node
        if token.kind == "word":
            return self.call(token)
        raise self.error(token)

    def call(self, token: _Token) -> Node:
        function = FUNCTIONS.get(token.text)
        if function is None:
            raise _fail("C_UNKNOWN_FUNCTION", self.expression, token.pos, function=token.text)
        self.expect("(")
        args: list[Node] = []
        if not (self.token.kind == "op" and self.token.text == ")"):
            args.append(self.expression_(0))
            while self.token.kind == "op" and self.token.text == ",":
                self.advance()
                args.append(self.expression_(0))
        self.expect(")")
        if token.text == "regex" and len(args) == 2 and isinstance(args[1], Literal):
            reason = regex_problem(str(args[1].value))
            if reason:
                raise _fail("C_BAD_REGEX", self.expression, token.pos, reason=reason)
        if not function.accepts(len(args)):
            raise _fail(
                "C_ARGUMENT_COUNT",
                self.expression,
                token.pos,
                function=token.text,
                expected=function.arity,
                found=len(args),
            )
        return Call(token.text, tuple(args))


def parse(expression: str) -> Node:
    """Parse a condition; raise ConditionError (one coded problem, with its position)."""
    if not isinstance(expression, str):
        raise _fail("C_SYNTAX", str(expression), 0, found=str(expression))
    if len(expression) > MAX_LENGTH:
        raise _fail("C_TOO_COMPLEX", expression[:40] + "…", MAX_LENGTH)
    return _Parser(expression).parse()


def check_syntax(expression: str) -> Problem | None:
    try:
        parse(expression)
    except ConditionError as exc:
        return exc.problem
    return None


# --- evaluation -----------------------------------------------------------------------


def _compare(op: str, a: Any, b: Any) -> bool:
    if op in ("=", "!="):
        if isinstance(a, bool) or isinstance(b, bool):
            same = to_boolean(a) == to_boolean(b)
        elif is_number(a) or is_number(b):
            same = to_number(a) == to_number(b)
        else:
            same = to_string(a) == to_string(b)
        return same if op == "=" else not same
    if not (is_number(a) or is_number(b) or isinstance(a, bool) or isinstance(b, bool)):
        x, y = to_string(a), to_string(b)
        if not x or not y:
            return False
        if not (_NUMBER_TEXT.fullmatch(x) and _NUMBER_TEXT.fullmatch(y)):
            return _ORDER[op](x, y)
    return _ORDER[op](to_number(a), to_number(b))


_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "<": lambda x, y: x < y,
    "<=": lambda x, y: x <= y,
    ">": lambda x, y: x > y,
    ">=": lambda x, y: x >= y,
}


def _divide(x: float, y: float) -> float:
    if y == 0:
        if x == 0 or math.isnan(x):
            return math.nan
        return math.copysign(math.inf, x) * math.copysign(1, y)
    return x / y


def _modulo(x: float, y: float) -> float:
    if y == 0 or math.isinf(x) or math.isnan(x) or math.isnan(y):
        return math.nan
    return math.fmod(x, y)


_ARITHMETIC: dict[str, Callable[[float, float], float]] = {
    "+": lambda x, y: x + y,
    "-": lambda x, y: x - y,
    "*": lambda x, y: x * y,
    "div": _divide,
    "mod": _modulo,
}


def evaluate(node: Node, answers: Mapping[str, Any], current: Any = None) -> Any:
    """The value of a condition over canonical answers; ``current`` is what ``.`` means."""
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Ref):
        return answers.get(node.name, "")
    if isinstance(node, Current):
        return "" if current is None else current
    if isinstance(node, Unary):
        return -to_number(evaluate(node.operand, answers, current))
    if isinstance(node, Call):
        args = [evaluate(arg, answers, current) for arg in node.args]
        return FUNCTIONS[node.function].apply(*args)
    if node.op == "or":
        return to_boolean(evaluate(node.left, answers, current)) or to_boolean(
            evaluate(node.right, answers, current)
        )
    if node.op == "and":
        return to_boolean(evaluate(node.left, answers, current)) and to_boolean(
            evaluate(node.right, answers, current)
        )
    left = evaluate(node.left, answers, current)
    right = evaluate(node.right, answers, current)
    if node.op in _ARITHMETIC:
        return _ARITHMETIC[node.op](_days(left), _days(right))
    return _compare(node.op, left, right)


def is_true(node: Node, answers: Mapping[str, Any], current: Any = None) -> bool:
    return to_boolean(evaluate(node, answers, current))


# --- inspection -----------------------------------------------------------------------


def walk(node: Node) -> Iterator[Node]:
    yield node
    if isinstance(node, Unary):
        yield from walk(node.operand)
    elif isinstance(node, Binary):
        yield from walk(node.left)
        yield from walk(node.right)
    elif isinstance(node, Call):
        for arg in node.args:
            yield from walk(arg)


def references(node: Node) -> set[str]:
    return {n.name for n in walk(node) if isinstance(n, Ref)}


def uses_current(node: Node) -> bool:
    return any(isinstance(n, Current) for n in walk(node))


# --- writer ---------------------------------------------------------------------------


def _literal_text(value: str | int | float) -> str:
    if isinstance(value, str):
        if "'" not in value:
            return f"'{value}'"
        if '"' not in value:
            return f'"{value}"'
        raise ValueError("XPath 1.0 cannot write a string holding both kinds of quote")
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise ValueError("no literal for NaN or infinity")
        text = format(Decimal(repr(value)), "f")
        return text if "." in text else text + ".0"
    return str(value)


def _precedence(node: Node) -> int:
    if isinstance(node, Binary):
        return BINDING[node.op]
    if isinstance(node, Unary) or (isinstance(node, Literal) and _is_negative(node)):
        return UNARY_BINDING
    return 100


def _is_negative(node: Literal) -> bool:
    return is_number(node.value) and (node.value < 0 or math.copysign(1, node.value) < 0)


def to_text(node: Node) -> str:
    """Canonical text: single spaces around operators, parentheses only where needed."""
    if isinstance(node, Literal):
        return _literal_text(node.value)
    if isinstance(node, Ref):
        return "${" + node.name + "}"
    if isinstance(node, Current):
        return "."
    if isinstance(node, Call):
        return f"{node.function}({', '.join(to_text(a) for a in node.args)})"
    if isinstance(node, Unary):
        inner = to_text(node.operand)
        if _precedence(node.operand) < 100:
            inner = f"({inner})"
        return f"-{inner}"
    mine = BINDING[node.op]
    left, right = to_text(node.left), to_text(node.right)
    if _precedence(node.left) < mine:
        left = f"({left})"
    if _precedence(node.right) <= mine:
        right = f"({right})"
    return f"{left} {node.op} {right}"
