"""LimeSurvey survey files (``.lss``), both layouts: texts on every row with a ``language``
column (LimeSurvey ≤ 3) and texts in ``*_l10ns`` tables (LimeSurvey 4 and later).

Groups become sections, question types map onto ours (arrays become matrices), relevance
equations that say what our conditions say are translated, every language becomes a
translation. Anything else is left out with one warning per item; the file is refused only
when it is not a LimeSurvey survey or nothing in it can be asked.
"""

import re
from collections import defaultdict
from dataclasses import replace
from typing import Any

from surveys.document import Choice, Document, Labels, Question, Row, Section
from surveys.problems import Problem
from surveys.validation import validate
from surveys.xlsform import ImportResult, clean_text

LANGUAGE = re.compile(r"[a-z]{2,3}")
# LimeSurvey type code -> our type; arrays are matrices
TYPES = {
    "L": "single_choice", "!": "single_choice", "O": "single_choice", "M": "multiple_choice",
    "P": "multiple_choice", "F": "matrix", "A": "matrix", "B": "matrix", "C": "matrix",
    "E": "matrix", "H": "matrix", "N": "decimal", "S": "text", "T": "long_text",
    "U": "long_text", "D": "date", "R": "ranking", "Y": "yes_no", "G": "single_choice",
    "5": "likert", "X": "note",
}  # fmt: skip
FIXED = {  # scales LimeSurvey draws itself
    "A": [(str(i), {"en": str(i)}) for i in range(1, 6)],
    "B": [(str(i), {"en": str(i)}) for i in range(1, 11)],
    "5": [(str(i), {"en": str(i)}) for i in range(1, 6)],
    "C": [("Y", {"fr": "Oui", "en": "Yes"}), ("U", {"fr": "Incertain", "en": "Uncertain"}),
          ("N", {"fr": "Non", "en": "No"})],
    "E": [("I", {"fr": "Augmente", "en": "Increase"}), ("S", {"fr": "Pareil", "en": "Same"}),
          ("D", {"fr": "Diminue", "en": "Decrease"})],
    "G": [("F", {"fr": "Femme", "en": "Female"}), ("M", {"fr": "Homme", "en": "Male"})],
}  # fmt: skip
_SAFE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _table(root: Any, name: str) -> list[dict[str, str]]:
    node = root.find(name)
    if node is None or node.find("rows") is None:
        return []
    return [{c.tag: (c.text or "") for c in row} for row in node.find("rows")]


_STRONG = re.compile(r"(?is)<(strong|b)\b[^>]*>\s*(.*?)\s*</\1\s*>")
_EM = re.compile(r"(?is)<(em|i)\b[^>]*>\s*(.*?)\s*</\1\s*>")
_A = re.compile(
    r"""(?is)<a\b[^>]*?href\s*=\s*["']((?:https?://|mailto:)[^"'\s]+)["'][^>]*>(.*?)</a\s*>"""
)


def text_of(html_text: str) -> str:
    """LimeSurvey's texts are HTML from its editor: bold, italic and links become the
    Markdown subset of our labels (surveys.markdown), every other tag goes."""
    out = _A.sub(lambda m: f"[{m[2]}]({m[1]})" if m[2].strip() else "", html_text)
    out = _STRONG.sub(lambda m: f"**{m[2]}**" if m[2] else "", out)
    out = _EM.sub(lambda m: f"*{m[2]}*" if m[2] else "", out)
    return clean_text(out)


def _texts(rows: list[dict], key: str, *fields: str) -> dict[str, dict[str, Labels]]:
    """id -> field -> {lang: text}, from rows that carry a ``language`` column."""
    out: dict[str, dict[str, Labels]] = defaultdict(lambda: defaultdict(dict))
    for row in rows:
        lang = row.get("language", "")
        for f in fields:
            if row.get(f):
                out[row[key]][f][lang] = text_of(row[f])
    return out


class _Reader:
    def __init__(self, root: Any) -> None:
        self.root = root
        self.warnings: list[Problem] = []
        self.languages = self._declared() or ["fr"]
        questions = _table(root, "questions")
        subquestions = _table(root, "subquestions")
        l10n = bool(_table(root, "question_l10ns"))
        if l10n:  # LimeSurvey 4+: texts apart
            self.qtext = _texts(_table(root, "question_l10ns"), "qid", "question", "help")
            self.gtext = _texts(_table(root, "group_l10ns"), "gid", "group_name", "description")
            texts = _texts(_table(root, "answer_l10ns"), "aid", "answer")
            self.answers = defaultdict(list)
            for a in _table(root, "answers"):
                self.answers[a["qid"]].append((a, texts[a.get("aid", "")]["answer"]))
        else:  # LimeSurvey ≤ 3: one row per language
            self.qtext = _texts(questions + subquestions, "qid", "question", "help")
            self.gtext = _texts(_table(root, "groups"), "gid", "group_name", "description")
            answers = _table(root, "answers")
            texts = _texts([{**a, "key": f"{a['qid']}:{a['code']}:{a.get('scale_id', '0')}"}
                            for a in answers], "key", "answer")  # fmt: skip
            self.answers = defaultdict(list)
            seen = set()
            for a in answers:
                key = f"{a['qid']}:{a['code']}:{a.get('scale_id', '0')}"
                if key not in seen:
                    seen.add(key)
                    self.answers[a["qid"]].append((a, texts[key]["answer"]))
        self.questions = _unique(questions, "qid")
        self.subquestions = defaultdict(list)
        children = subquestions or [q for q in questions if q.get("parent_qid", "0") != "0"]
        for sq in _unique(children, "qid"):
            self.subquestions[sq["parent_qid"]].append(sq)
        self.groups = _unique(_table(root, "groups"), "gid")
        self.attributes = defaultdict(dict)
        for a in _table(root, "question_attributes"):
            self.attributes[a.get("qid", "")][a.get("attribute", "")] = a.get("value", "")

    def _declared(self) -> list[str]:
        codes = []
        for node in self.root.findall("languages/language"):
            code = (node.text or "").split("-")[0].lower()
            if LANGUAGE.fullmatch(code) and code not in codes:
                codes.append(code)
        return codes

    def labels(self, by_lang: Labels) -> Labels:
        by_lang = {k.split("-")[0].lower(): v for k, v in by_lang.items() if v}
        if not by_lang:
            return {}
        fallback = by_lang.get(self.languages[0]) or next(iter(by_lang.values()))
        return {lang: by_lang.get(lang, fallback) for lang in self.languages}

    def warn(self, code: str, name: str, **params: Any) -> None:
        self.warnings.append(Problem(code, f"question {name}", name=name, **params))

    # the document ---------------------------------------------------------------------
    def document(self) -> Document:
        settings = _table(self.root, "surveys_languagesettings")
        title = self.labels({r.get("surveyls_language", ""): clean_text(r.get("surveyls_title", ""))
                             for r in settings})  # fmt: skip
        description = self.labels({r.get("surveyls_language", ""):
                                   text_of(r.get("surveyls_description", "")) for r in settings})  # fmt: skip
        sections = []
        groups = sorted(self.groups, key=lambda g: int(g.get("group_order") or 0))
        for group in groups:
            gid = group["gid"]
            members = [q for q in self.questions if q.get("gid") == gid
                       and q.get("parent_qid", "0") == "0"]  # fmt: skip
            members.sort(key=lambda q: int(q.get("question_order") or 0))
            questions = tuple(q for q in (self.question(m) for m in members) if q is not None)
            if not questions:
                continue
            texts = self.gtext[gid]
            relevant = self.relevance(group.get("grelevance", ""), f"group {gid}")
            sections.append(Section(
                name=f"g{gid}", title=self.labels(texts["group_name"]),
                description=self.labels(texts["description"]), relevant=relevant,
                questions=questions,
            ))  # fmt: skip
        return Document(
            title=title or dict.fromkeys(self.languages, "LimeSurvey"),
            description=description,
            languages=tuple(self.languages),
            sections=tuple(sections),
            name=(self.root.findtext("surveys/rows/row/sid") or ""),
        )

    def question(self, row: dict[str, str]) -> Question | None:
        code, name, qid = row.get("type", ""), row.get("title", ""), row["qid"]
        kind = TYPES.get(code)
        if kind is None:
            self.warn("W_LS_UNSUPPORTED_TYPE", name, type=code)
            return None
        if not _SAFE.fullmatch(name):
            new = re.sub(r"\W", "_", name) or f"q{qid}"
            self.warn("W_NAME_CHANGED", name, new=new)
            name = new
        texts = self.qtext[qid]
        fields: dict[str, Any] = {}
        subs = sorted(
            self.subquestions.get(qid, []), key=lambda s: int(s.get("question_order") or 0)
        )
        answers = sorted(self.answers.get(qid, []), key=lambda a: int(a[0].get("sortorder") or 0))
        own = [Choice(a["code"], self.labels(t) or dict.fromkeys(self.languages, a["code"]))
               for a, t in answers if a.get("scale_id", "0") == "0"]  # fmt: skip
        fixed = [Choice(v, self.labels(lab)) for v, lab in FIXED.get(code, [])]
        if kind == "matrix":
            fields["rows"] = tuple(Row(s["title"], self.labels(self.qtext[s["qid"]]["question"]))
                                   for s in subs if s.get("scale_id", "0") == "0")  # fmt: skip
            fields["choices"] = tuple(own or fixed)
        elif kind == "multiple_choice" or (kind == "ranking" and not own):
            # a multiple choice's boxes, and (LimeSurvey 3+) a ranking's items, are subquestions
            fields["choices"] = tuple(
                Choice(s["title"], self.labels(self.qtext[s["qid"]]["question"])) for s in subs
            )
        elif kind in ("single_choice", "ranking", "likert"):
            fields["choices"] = tuple(own or fixed)
        if code in ("O", "P"):
            self.warn("W_LS_COMMENT_IGNORED", name)
        if code == "!":
            fields["appearance"] = "minimal"
        if row.get("other") == "Y" and kind in ("single_choice", "multiple_choice"):
            fields["other"] = True
            fields["choices"] = (*fields["choices"], Choice("other", self.labels(
                {"fr": "Autre", "en": "Other"})))  # fmt: skip
        if kind == "decimal" and self.attributes[qid].get("num_value_int_only") == "1":
            kind = "integer"
        longest = self.attributes[qid].get("maximum_chars", "")
        if kind in ("text", "long_text") and longest.isdigit() and int(longest) > 0:
            fields["constraint"] = f"string-length(.) <= {int(longest)}"
        label = self.labels(texts["question"]) or dict.fromkeys(self.languages, name)
        return Question(
            name=name, type=kind, label=label, hint=self.labels(texts["help"]),
            required=row.get("mandatory") == "Y" and kind != "note",
            relevant=self.relevance(row.get("relevance", ""), name), **fields,
        )  # fmt: skip

    def relevance(self, equation: str, owner: str) -> str | None:
        text = (equation or "").strip()
        if text in ("", "1"):
            return None
        translated = _expression(text)
        if translated is None:
            self.warn("W_CONDITION_DROPPED", owner, reason="LS_EXPRESSION", expression=text)
        return translated


def _unique(rows: list[dict], key: str) -> list[dict]:
    seen, out = set(), []
    for row in rows:
        if row.get(key) not in seen:
            seen.add(row.get(key))
            out.append(row)
    return out


_TOKEN = re.compile(
    r"\s+|(?P<str>\"[^\"]*\"|'[^']*')|(?P<num>\d+(\.\d+)?)|(?P<op>==|!=|<=|>=|&&|\|\||[<>()!])"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*(\.NAOK)?)"
)


def _expression(text: str) -> str | None:
    """The subset of ExpressionScript our conditions can say: comparisons of question codes
    with literals, is_empty(), and/or/not; None for anything else."""
    out, pos = [], 0
    text = re.sub(r"\{|\}", "", text)
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            return None
        pos = m.end()
        if m["str"]:
            out.append("'" + m["str"][1:-1].replace("'", "") + "'")
        elif m["num"]:
            out.append(m["num"])
        elif m["op"]:
            out.append({"==": "=", "&&": "and", "||": "or", "!": "not"}.get(m["op"], m["op"]))
        elif m["name"]:
            word = m["name"].removesuffix(".NAOK")
            if word.lower() in ("and", "or"):
                out.append(word.lower())
            elif word == "is_empty":
                out.append("@empty")
            else:
                out.append("${" + word + "}")
    joined = " ".join(out)
    joined = re.sub(r"not \( @empty \( (\$\{\w+\}) \) \)|not @empty \( (\$\{\w+\}) \)",
                    lambda m: f"{m[1] or m[2]} != ''", joined)  # fmt: skip
    joined = re.sub(r"@empty \( (\$\{\w+\}) \)", r"\1 = ''", joined)
    if "@empty" in joined or re.search(r"\bnot\b(?! \()", joined):
        return None
    return re.sub(r"\bnot \(", "not(", joined).replace("( ", "(").replace(" )", ")")


def _subquestion_refs(document: Document, expression: str) -> str:
    """``${Q_SQ} = 'Y'`` (a ticked box of a multiple choice) -> ``selected(${Q}, 'SQ')``."""
    multi = {q.name for q in document.questions() if q.type == "multiple_choice"}

    def swap(m: re.Match) -> str:
        owner, _, value = m[1].rpartition("_")
        if owner in multi:
            test = f"selected(${{{owner}}}, '{value}')"
            return test if m[2] == "=" else f"not({test})"
        return m[0]

    return re.sub(r"\$\{(\w+)\} (=|!=) 'Y'", swap, expression)


def import_lss(data: bytes) -> ImportResult:
    from lxml import etree

    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError):
        return ImportResult(None, [Problem("L_NOT_LSS", "file")], [])
    if root.tag != "document" or (root.findtext("LimeSurveyDocType") or "Survey") != "Survey":
        return ImportResult(None, [Problem("L_NOT_LSS", "file")], [])
    reader = _Reader(root)
    document = reader.document()
    if not any(q.type != "note" for q in document.questions()):
        return ImportResult(None, [Problem("X_NOTHING_TO_ASK", "file", skipped=0)], reader.warnings)
    document = _settle(document, reader)
    problems = validate(document)
    return ImportResult(None if problems else document, problems, reader.warnings)


def _settle(document: Document, reader: _Reader) -> Document:
    """Conditions our validator refuses (unknown codes, later questions...) are dropped."""

    def fix(target, field):
        value = getattr(target, field)
        return _subquestion_refs(document, value) if value else value

    document = replace(document, sections=tuple(
        replace(s, relevant=fix(s, "relevant"), questions=tuple(
            replace(q, relevant=fix(q, "relevant")) for q in s.questions))
        for s in document.sections))  # fmt: skip
    for _ in range(10):
        bad = {(p.params.get("question") or p.params.get("section")): p for p in validate(document)
               if p.code.startswith("C_")}  # fmt: skip
        if not bad:
            break
        for owner, problem in bad.items():
            reader.warn("W_CONDITION_DROPPED", owner or "", reason=problem.code,
                        expression=problem.params.get("expression", ""))  # fmt: skip
        document = replace(document, sections=tuple(
            replace(s, relevant=None if s.name in bad else s.relevant, questions=tuple(
                replace(q, relevant=None) if q.name in bad else q for q in s.questions))
            for s in document.sections))  # fmt: skip
    return document
