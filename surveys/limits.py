"""How much one questionnaire or one uploaded file may hold: bounds on what a single request
can make the server build, checked wherever questions are created (import, designer, copy)."""

import re
from typing import Any

from surveys.problems import Problem

MAX_QUESTIONS = 500  # default of CONSULT_MAX_QUESTIONS
MAX_JSON_DEPTH = 64  # a questionnaire nests 6 levels; 64 leaves room and stays far from recursion


def question_count(document: Any) -> int:
    """Questions of a ``surveys.document.Document`` (not imported: it imports this module)."""
    return sum(len(section.questions) for section in document.sections)


def size_problems(document: Any, max_questions: int | None) -> list[Problem]:
    """Q_TOO_MANY_QUESTIONS when the document holds more than ``max_questions`` (None: no limit)."""
    count = question_count(document)
    if max_questions is None or count <= max_questions:
        return []
    return [Problem("Q_TOO_MANY_QUESTIONS", "", count=count, max=max_questions)]


def json_depth(text: str | bytes, stop_at: int = MAX_JSON_DEPTH) -> int:
    """How deep arrays and objects nest in a *valid* JSON text (brackets inside strings do not
    count); past ``stop_at`` it answers ``stop_at + 1``. Linear, in C: the strings are cut out,
    then innermost pairs of brackets removed, ``stop_at`` times at most."""
    data = text.encode() if isinstance(text, str) else text
    brackets = _STRING.sub(b"", data).translate(_SAME_BRACKET, _NOT_A_BRACKET)
    for depth in range(stop_at + 1):
        if not brackets:
            return depth
        brackets = brackets.replace(b"[]", b"")
    return stop_at + 1


_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_SAME_BRACKET = bytes.maketrans(b"{}", b"[]")
_NOT_A_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
