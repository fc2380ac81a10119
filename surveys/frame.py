"""The bridge to analysis: stored responses -> a responses frame and its codebook.

Follows the contract of ``analysis.codebook``. Built chunk by chunk and column by column, never
cell by cell, since it runs on whole campaigns (a million responses must fit in well under a
gigabyte): each chunk's stored answers (JSON text) are parsed by Arrow's JSON reader into one
typed column per question, then turned into the frame's compact columns (category codes,
indicators, floats, Arrow strings) by vectorised kernels and written in place.

A value of an unexpected type (answers edited by hand or imported) makes Arrow refuse the
chunk; that chunk is then read row by row, keeping each value only if it has the type its
question expects, which is what the analysis would have made of it anyway.
"""

import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pa_json

from analysis.codebook import Codebook, Variable, asked_column_for, multi_column
from surveys.answers import compiled, relevance
from surveys.conditions import references
from surveys.document import Document, Question, text
from surveys.types import OTHER_LABELS, REGISTRY, effective_choices

META = ("response_id", "campaign", "submitted_at", "channel")
LIST = pa.list_(pa.string())

# A column of one chunk -> the pieces it adds to frame columns (name -> piece).
Extract = Callable[[pa.ChunkedArray], dict[str, Any]]


# --- frame columns, filled chunk by chunk ------------------------------------------------


class _Filled:
    """A numpy array written chunk by chunk at its final place: joining chunks at the end
    would hold every column twice, and a million responses must stay well under 1 GB."""

    def __init__(self, dtype: Any, capacity: int) -> None:
        self.array = np.empty(capacity, dtype=dtype)
        self.size = 0

    def add(self, piece: np.ndarray) -> None:
        end = self.size + len(piece)
        if end > len(self.array):  # more rows than announced
            grown = np.empty(max(end, 2 * len(self.array)), dtype=self.array.dtype)
            grown[: self.size] = self.array[: self.size]
            self.array = grown
        self.array[self.size : end] = piece
        self.size = end

    def values(self) -> np.ndarray:
        return self.array[: self.size]


class _Column:
    def __init__(self, dtype: Any, capacity: int, finish: Callable = lambda values: values):
        self.store = _Filled(dtype, capacity)
        self.finish = finish

    def add(self, piece: np.ndarray) -> None:
        self.store.add(piece)

    def result(self) -> Any:
        return self.finish(self.store.values())


class _Flags:
    """A nullable boolean column: the picks, and where the question went unanswered."""

    def __init__(self, capacity: int) -> None:
        self.picked = _Filled(bool, capacity)
        self.missing = _Filled(bool, capacity)

    def add(self, piece: tuple[np.ndarray, np.ndarray]) -> None:
        self.picked.add(piece[0])
        self.missing.add(piece[1])

    def result(self) -> pd.arrays.BooleanArray:
        return pd.arrays.BooleanArray(self.picked.values(), self.missing.values())


class _Strings:
    """Arrow strings stay in their chunks: pandas' string dtype reads them as they are."""

    def __init__(self, capacity: int) -> None:
        self.chunks: list[pa.Array] = []

    def add(self, piece: pa.Array) -> None:
        self.chunks.append(piece)

    def result(self) -> Any:
        return pd.array(pa.chunked_array(self.chunks, pa.string()), dtype="string")


def _numbers(dtype: Any) -> Callable[[int], _Column]:
    return lambda capacity: _Column(dtype, capacity)


def _categories(categories: tuple[str, ...]) -> Callable[[int], _Column]:
    def finish(codes: np.ndarray) -> pd.Categorical:
        return pd.Categorical.from_codes(codes, categories=list(categories))

    return lambda capacity: _Column(_code_dtype(categories), capacity, finish)


def _code_dtype(categories: Sequence[str]) -> type:
    return np.int8 if len(categories) < 127 else np.int32


# --- one column per question: how it is typed and read -----------------------------------


def _codes(array: pa.ChunkedArray | pa.Array, categories: pa.Array) -> np.ndarray:
    """Positions in ``categories`` (-1 for anything else or missing), as small integers."""
    found = pc.fill_null(pc.index_in(array, value_set=categories), -1)
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=_code_dtype(categories))


def _flat(array: pa.ChunkedArray) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """A list column's items, the row of each item, and its position in its list (from 1)."""
    lists = array.combine_chunks()
    items = pc.list_flatten(lists)
    rows = np.asarray(pc.list_parent_indices(lists).to_numpy(), dtype=np.int64)
    lengths = pc.fill_null(pc.list_value_length(lists), 0).to_numpy(zero_copy_only=False)
    starts = np.concatenate(([0], np.cumsum(lengths)))
    positions = np.arange(len(rows)) - starts[rows] + 1
    return items, rows, positions


def _strings(name: str) -> Extract:
    return lambda array: {name: array.combine_chunks()}


@dataclass(frozen=True)
class _Part:
    """What one question adds: its variables, the answer field it reads, how its frame
    columns are extracted from that field, and each column's kind (capacity -> column)."""

    variables: list[Variable]
    field: pa.Field
    extract: Extract
    columns: dict[str, Callable[[int], Any]]


def _labels(question: Question, lang: str, fallback: str) -> tuple[tuple[str, ...], dict[str, str]]:
    choices = effective_choices(question)
    values = tuple(c.value for c in choices)
    return values, {c.value: text(c.label, lang, fallback) for c in choices}


def _categorical(kind: str):
    def build(q: Question, common: dict, lang: str, fallback: str) -> _Part:
        categories, labels = _labels(q, lang, fallback)
        values = pa.array(categories, pa.string())
        variable = Variable(q.name, kind, categories=categories, category_labels=labels, **common)
        return _Part(
            [variable],
            pa.field(q.name, pa.string()),
            lambda array: {q.name: _codes(array, values)},
            {q.name: _categories(categories)},
        )

    return build


def _multi(q: Question, common: dict, lang: str, fallback: str) -> _Part:
    categories, labels = _labels(q, lang, fallback)
    values = pa.array(categories, pa.string())
    columns = [multi_column(q.name, c) for c in categories]

    def extract(array: pa.ChunkedArray) -> dict[str, Any]:
        items, rows, _ = _flat(array)
        codes = _codes(items, values)
        picked = np.zeros((len(array), len(categories) + 1), dtype=bool)
        picked[rows, codes] = True  # code -1 (not a choice) lands in the last, unused column
        unanswered = array.is_null().to_numpy(zero_copy_only=False)
        return {c: (picked[:, i].copy(), unanswered) for i, c in enumerate(columns)}

    variable = Variable(q.name, "multi", categories=categories, category_labels=labels, **common)
    return _Part([variable], pa.field(q.name, LIST), extract, dict.fromkeys(columns, _Flags))


def _numeric(q: Question, common: dict, lang: str, fallback: str) -> _Part:
    return _Part(
        [Variable(q.name, "numeric", **common)],
        pa.field(q.name, pa.float64()),
        lambda array: {q.name: array.to_numpy()},
        {q.name: _numbers(np.float64)},
    )


def _text(q: Question, common: dict, lang: str, fallback: str) -> _Part:
    return _Part(
        [Variable(q.name, "text", **common)],
        pa.field(q.name, pa.string()),
        _strings(q.name),
        {q.name: _Strings},
    )


def _dates(array: pa.ChunkedArray) -> np.ndarray:
    raw = pd.Series(pd.array(array, dtype="string"))
    return pd.to_datetime(raw, format="%Y-%m-%d", errors="coerce").to_numpy()


def _date(q: Question, common: dict, lang: str, fallback: str) -> _Part:
    return _Part(
        [Variable(q.name, "date", **common)],
        pa.field(q.name, pa.string()),
        lambda array: {q.name: _dates(array)},
        {q.name: _numbers("datetime64[us]")},
    )


def _part_label(q: Question, part: str, lang: str, fallback: str) -> str:
    return f"{text(q.label, lang, fallback)} — {part}"


def _matrix(q: Question, common: dict, lang: str, fallback: str) -> _Part:
    categories, labels = _labels(q, lang, fallback)
    values = pa.array(categories, pa.string())
    names = {row.name: f"{q.name}/{row.name}" for row in q.rows}
    variables = [
        Variable(
            names[row.name],
            "ordinal",
            categories=categories,
            category_labels=labels,
            **(common | {"label": _part_label(q, text(row.label, lang, fallback), lang, fallback)}),
        )
        for row in q.rows
    ]

    def extract(array: pa.ChunkedArray) -> dict[str, Any]:
        grid = array.combine_chunks()
        return {name: _codes(pc.struct_field(grid, row), values) for row, name in names.items()}

    field = pa.field(q.name, pa.struct([(row, pa.string()) for row in names]))
    columns = dict.fromkeys(names.values(), _categories(categories))
    return _Part(variables, field, extract, columns)


def _ranking(q: Question, common: dict, lang: str, fallback: str) -> _Part:
    values = pa.array([c.value for c in q.choices], pa.string())
    names = [f"{q.name}/{choice.value}" for choice in q.choices]
    variables = [
        Variable(
            name,
            "numeric",
            **(common | {"label": _part_label(q, text(c.label, lang, fallback), lang, fallback)}),
        )
        for name, c in zip(names, q.choices, strict=True)
    ]

    def extract(array: pa.ChunkedArray) -> dict[str, Any]:
        items, rows, positions = _flat(array)
        codes = _codes(items, values)
        out = {}
        for i, name in enumerate(names):
            column = np.full(len(array), np.nan)
            chosen = codes == i
            # An item listed twice keeps its last place, as a dict built from the list would.
            column[rows[chosen]] = positions[chosen]
            out[name] = column
        return out

    return _Part(
        variables, pa.field(q.name, LIST), extract, dict.fromkeys(names, _numbers(np.float64))
    )


# analysis kind of a question type -> how its variables and columns are built
BUILDERS: dict[str, Callable[..., _Part]] = {
    "single": _categorical("single"),
    "ordinal": _categorical("ordinal"),
    "multi": _multi,
    "numeric": _numeric,
    "text": _text,
    "date": _date,
    "matrix": _matrix,
    "ranking": _ranking,
}


# --- reading answers row by row, when Arrow refuses a chunk -----------------------------


def _clean(value: Any, kind: pa.DataType) -> Any:
    """The value if it has the type its question expects (None otherwise); list items and
    matrix cells likewise, items keeping their places."""
    if pa.types.is_string(kind):
        return value if isinstance(value, str) else None
    if pa.types.is_floating(kind):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return float(value) if ok else None
    if pa.types.is_list(kind):
        return [v if isinstance(v, str) else None for v in value] if type(value) is list else None
    if isinstance(value, dict):  # a matrix: row -> choice
        return {f.name: _clean(value.get(f.name), f.type) for f in kind}
    return None


def _cleaned(answers: Sequence[Mapping[str, Any]], schema: pa.Schema) -> pa.Table:
    columns = {
        f.name: pa.array([_clean(a.get(f.name), f.type) for a in answers], f.type) for f in schema
    }
    return pa.table(columns, schema=schema)


def _as_answers(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


# --- relevance: who was asked what -------------------------------------------------------


def _frozen(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    return value


class _Asked:
    """Which questions each response was asked, evaluated once per distinct combination.

    Relevance only reads the answers its conditions name (and a named question's own
    relevance only reads names of the same set), so responses that agree on those answers
    share one result: a campaign has a handful of combinations, not one per response.
    """

    def __init__(self, document: Document, fields: Iterable[str]) -> None:
        self.document = document
        expressions = [s.relevant for s in document.sections if s.relevant]
        expressions += [q.relevant for q in document.questions() if q.relevant]
        names = sorted(set().union(*(references(compiled(e)) for e in expressions)))
        self.keys = [k for name in names for k in (name, f"{name}_other")]
        parsed = set(fields)
        self.grouped = [k for k in self.keys if k in parsed]
        self.seen: dict[tuple, dict[str, bool]] = {}

    def state(self, answers: Mapping[str, Any]) -> dict[str, bool]:
        key = tuple(_frozen(answers.get(k)) for k in self.keys)
        found = self.seen.get(key)
        if found is None:
            subset = {k: answers[k] for k in self.keys if k in answers}
            found = self.seen[key] = relevance(self.document, subset).questions
        return found

    def of_rows(self, answers: Sequence[Mapping[str, Any]]) -> list[dict[str, bool]]:
        return [self.state(a) for a in answers]

    def of_table(self, table: pa.Table, raw: Callable[[int], Mapping[str, Any]]) -> tuple:
        """(the distinct states, the index of each row's state), grouping rows by the parsed
        values of the named answers; each group is evaluated on one row's stored answers."""
        combined = np.zeros(table.num_rows, dtype=np.int64)
        for name in self.grouped:
            codes, size = _group_codes(table[name])
            combined = combined * (size + 1) + codes + 1
            combined, _ = pd.factorize(combined)  # keeps the numbers small
        groups, first = np.unique(combined, return_index=True)
        return [self.state(raw(int(i))) for i in first], np.searchsorted(groups, combined)


def _group_codes(array: pa.ChunkedArray) -> tuple[np.ndarray, int]:
    if pa.types.is_nested(array.type):
        codes, uniques = pd.factorize(pd.Series([_frozen(v) for v in array.to_pylist()]))
        return codes.astype(np.int64), len(uniques)
    encoded = pc.dictionary_encode(array.combine_chunks())
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
    return codes.astype(np.int64), len(encoded.dictionary)


Plan = tuple[list[tuple[Question, str | None, _Part]], list[Variable], dict[str, pa.Field]]


def _plan(document: Document, lang: str) -> Plan:
    """Each analysed question with its asked column and part, the variables in codebook
    order, and the answer fields to parse."""
    fallback = document.default_language
    parts = []
    variables: list[Variable] = []
    fields: dict[str, pa.Field] = {}
    for section in document.sections:
        for question in section.questions:
            kind = REGISTRY[question.type].analysis_kind
            if kind is None:
                continue
            conditional = question.relevant or section.relevant
            asked = asked_column_for(question.name) if conditional else None
            common = {
                "label": text(question.label, lang, fallback),
                "asked_column": asked,
                "section": section.name,
                "question": question.name,
            }
            part = BUILDERS[kind](question, common, lang, fallback)
            variables += part.variables
            fields.setdefault(part.field.name, part.field)
            parts.append((question, asked, part))
            if question.other:
                label = OTHER_LABELS.get(lang, OTHER_LABELS["en"])
                other = common | {"label": _part_label(question, label, lang, fallback)}
                variables.append(Variable(question.other_name, "text", **other))
                fields.setdefault(question.other_name, pa.field(question.other_name, pa.string()))
    return parts, variables, fields


# --- the builder -------------------------------------------------------------------------


class FrameBuilder:
    """Collects chunks of responses and builds the frame and codebook of a document.

    Each chunk gives its meta columns (``response_id``, ``campaign``, ``submitted_at``,
    ``channel``, as a small DataFrame) and its answers, either as stored JSON texts
    (:meth:`add_json`) or as parsed dicts (:meth:`add_answers`). ``expected_rows`` sizes
    the columns once (they grow if more rows come).
    """

    def __init__(self, document: Document, lang: str | None = None, expected_rows: int = 0):
        self.document = document
        self.parts, variables, fields = _plan(document, lang or document.default_language)
        self.codebook = Codebook(tuple(variables))
        self.schema = pa.schema(list(fields.values()))
        has_condition = any(s.relevant for s in document.sections) or any(
            q.relevant for q in document.questions()
        )
        self.asked = _Asked(document, fields) if has_condition else None
        self.meta: list[pd.DataFrame] = []
        kinds: dict[str, Callable[[int], Any]] = {}
        for question, asked, part in self.parts:
            if asked:
                kinds[asked] = _numbers(bool)
            kinds.update(part.columns)
            if question.other:
                kinds[question.other_name] = _Strings
        self.columns = {name: make(expected_rows) for name, make in kinds.items()}

    def add_json(self, meta: pd.DataFrame, texts: Sequence[bytes | str]) -> None:
        """Add a chunk whose answers are stored JSON objects (bytes or str), one per row."""
        table = _parse(texts, self.schema)
        if table is None:
            self.add_answers(meta, [_as_answers(orjson.loads(t)) for t in texts])
            return
        self._add(meta, table, lambda i: _as_answers(orjson.loads(texts[i])), None)

    def add_answers(self, meta: pd.DataFrame, answers: Sequence[Mapping[str, Any]]) -> None:
        """Add a chunk whose answers are already parsed (one mapping per row)."""
        answers = [a or {} for a in answers]
        self._add(meta, _cleaned(answers, self.schema), None, answers)

    def _add(self, meta, table: pa.Table, raw, answers) -> None:
        self.meta.append(meta)
        states, index = None, None
        if self.asked is not None:
            if answers is not None:
                rows = self.asked.of_rows(answers)
                states, index = rows, np.arange(len(rows))
            else:
                states, index = self.asked.of_table(table, raw)
        for question, asked, part in self.parts:
            if asked:
                flags = np.array([s[question.name] for s in states], dtype=bool)
                self.columns[asked].add(flags[index])
            for column, piece in part.extract(table[part.field.name]).items():
                self.columns[column].add(piece)
            if question.other:
                self.columns[question.other_name].add(table[question.other_name].combine_chunks())

    def result(self) -> tuple[pd.DataFrame, Codebook]:
        if not self.meta:
            self.add_answers(_empty_meta(), [])
        meta = pd.concat(self.meta, ignore_index=True) if len(self.meta) > 1 else self.meta[0]
        data: dict[str, Any] = {column: meta[column] for column in META}
        self.meta = []
        for name in list(self.columns):
            data[name] = self.columns.pop(name).result()
        return pd.DataFrame(data, columns=list(data), copy=False), self.codebook


def _parse(texts: Sequence[bytes | str], schema: pa.Schema) -> pa.Table | None:
    """The answers of a chunk parsed by Arrow, or None when some value has another type
    than its question's (or a text is not one JSON object on one line)."""
    if not texts:
        return schema.empty_table()
    first = texts[0]
    blob = b"\n".join(texts) if isinstance(first, bytes) else "\n".join(texts).encode()
    options = pa_json.ParseOptions(explicit_schema=schema, unexpected_field_behavior="ignore")
    try:
        table = pa_json.read_json(io.BytesIO(blob), parse_options=options)
    except pa.ArrowInvalid:
        return None
    return table if table.num_rows == len(texts) else None


def _empty_meta() -> pd.DataFrame:
    return meta_frame(np.array([], dtype=np.int64), [], pd.to_datetime([], utc=True), [])


def meta_frame(
    response_ids: Sequence[Any],
    campaigns: Sequence[str] | pa.Array,
    submitted_at: Any,
    channels: Sequence[str | None],
) -> pd.DataFrame:
    """The meta columns of a chunk, in the frame's dtypes."""
    return pd.DataFrame(
        {
            "response_id": response_ids,
            "campaign": pd.array(campaigns, dtype="string"),
            "submitted_at": submitted_at,
            "channel": pd.array(channels, dtype="string"),
        }
    )


def responses_frame(
    document: Document, rows: Iterable[Mapping[str, Any]], lang: str | None = None
) -> tuple[pd.DataFrame, Codebook]:
    """One row per response: meta columns, then the columns of each variable of the codebook.

    ``rows`` are dicts with ``response_id``, ``campaign``, ``submitted_at``, ``channel`` and
    ``answers`` (canonical answers). Labels are in ``lang`` (default: the document's first).
    Whole campaigns go through :class:`FrameBuilder` in chunks instead.
    """
    rows = list(rows)
    submitted = pd.Series([r.get("submitted_at") for r in rows], dtype=object)
    meta = meta_frame(
        [r.get("response_id") for r in rows],
        [r.get("campaign") for r in rows],
        pd.to_datetime(submitted, format="ISO8601") if rows else pd.to_datetime([], utc=True),
        [r.get("channel") for r in rows],
    )
    builder = FrameBuilder(document, lang)
    builder.add_answers(meta, [r.get("answers") or {} for r in rows])
    return builder.result()
