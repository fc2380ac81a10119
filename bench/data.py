"""Generated campaigns for the benchmarks: a 30-question questionnaire and N complete
responses, inserted in bulk (COPY on PostgreSQL) so that loading is not what gets measured."""

import uuid
from datetime import UTC, datetime, timedelta

import numpy as np
import orjson
from sqlmodel import Session, select

from consult.db import make_engine
from consult.network.models import Commission
from surveys.models import Campaign, Questionnaire, QuestionnaireVersion

CHOICES = [f"c{i}" for i in range(5)]
SCALE = ["tres_insatisfait", "insatisfait", "neutre", "satisfait", "tres_satisfait"]


def _labels(text: str) -> dict:
    return {"fr": text, "en": text}


def _choices(values: list[str]) -> list[dict]:
    return [{"value": v, "label": _labels(v.replace("_", " ").capitalize())} for v in values]


def bench_document(questions: int = 30, per_page: int = 10) -> dict:
    """10 single, 5 Likert, 5 multiple, 5 numeric, 3 text, 2 date (30 in all)."""
    plan = (
        [("single_choice", f"s{i}") for i in range(10)]
        + [("likert", f"l{i}") for i in range(5)]
        + [("multiple_choice", f"m{i}") for i in range(5)]
        + [("integer", f"n{i}") for i in range(3)]
        + [("rating", f"r{i}") for i in range(2)]
        + [("text", f"t{i}") for i in range(3)]
        + [("date", f"d{i}") for i in range(2)]
    )[:questions]
    items = []
    for kind, name in plan:
        question = {"name": name, "type": kind, "label": _labels(f"Question {name}")}
        if kind in ("single_choice", "multiple_choice"):
            question["choices"] = _choices(CHOICES)
        if kind == "likert":
            question["choices"] = _choices(SCALE)
        if kind == "rating":
            question.update(min=0, max=10)
        items.append(question)
    # One relevance condition, so that "not asked" is exercised too.
    if len(items) > 10:
        items[10]["relevant"] = "${s0} != 'c4'"
    sections = [
        {
            "name": f"page{p}",
            "title": _labels(f"Page {p + 1}"),
            "questions": items[p * per_page : (p + 1) * per_page],
        }
        for p in range((len(items) + per_page - 1) // per_page)
    ]
    return {
        "schema": 1,
        "name": "bench",
        "version": "1",
        "title": _labels("Benchmark"),
        "languages": ["fr", "en"],
        "sections": sections,
    }


WORDS = np.array(
    [
        "bus",
        "soir",
        "tarif",
        "sport",
        "musique",
        "lieu",
        "jeunes",
        "information",
        "horaires",
        "concert",
        "salle",
        "gratuit",
        "week-end",
        "quartier",
        "club",
        "piscine",
        "cinéma",
        "transport",
        "activité",
        "sortie",
    ]
)


def generate_answers(n: int, seed: int = 1) -> list[bytes]:
    """N answer sets as JSON bytes, drawn column-wise with numpy (fast enough for 1M)."""
    rng = np.random.default_rng(seed)
    columns: dict[str, list] = {}
    for i in range(10):
        columns[f"s{i}"] = np.array(CHOICES)[rng.integers(0, 5, n)].tolist()
    for i in range(5):
        columns[f"l{i}"] = np.array(SCALE)[rng.binomial(4, 0.55, n)].tolist()
    picks = rng.random((5, n, 5)) < 0.35
    for i in range(5):
        columns[f"m{i}"] = [
            [CHOICES[j] for j in range(5) if row[j]] or [CHOICES[0]] for row in picks[i]
        ]
    for i in range(3):
        columns[f"n{i}"] = rng.integers(14, 26, n).tolist()
    for i in range(2):
        columns[f"r{i}"] = rng.integers(0, 11, n).tolist()
    for i in range(3):
        idx = rng.integers(0, len(WORDS), (n, 4))
        columns[f"t{i}"] = [" ".join(WORDS[row]) for row in idx]
    start = np.datetime64("2026-01-01")
    for i in range(2):
        columns[f"d{i}"] = (
            (start + rng.integers(0, 300, n).astype("timedelta64[D]")).astype(str).tolist()
        )
    skip_l0 = [v == "c4" for v in columns["s0"]]
    answers = []
    names = list(columns)
    for row in range(n):
        record = {name: columns[name][row] for name in names}
        if skip_l0[row]:
            del record["l0"]
        answers.append(orjson.dumps(record))
    return answers


def create_campaign(
    url: str, slug: str, questions: int = 30, per_page: int = 10, consent: str = ""
) -> tuple[int, int]:
    engine = make_engine(url)
    with Session(engine) as session:
        commission = session.exec(select(Commission).where(Commission.slug == "bench")).first()
        if commission is None:
            commission = Commission(slug="bench", name="Bench", theme="")
            session.add(commission)
            session.flush()
        questionnaire = Questionnaire(commission_id=commission.id, title="Benchmark")
        session.add(questionnaire)
        session.flush()
        version = QuestionnaireVersion(
            questionnaire_id=questionnaire.id,
            number=1,
            document=bench_document(questions, per_page),
            published_at=datetime.now(UTC),
        )
        session.add(version)
        session.flush()
        campaign = Campaign(
            slug=slug,
            name=f"Bench {slug}",
            version_id=version.id,
            opens_at=datetime.now(UTC) - timedelta(days=1),
            consent_text=consent,
        )
        session.add(campaign)
        session.commit()
        ids = campaign.id, version.id
    engine.dispose()
    return ids


def insert_responses(url: str, campaign_id: int, version_id: int, answers: list[bytes]) -> None:
    engine = make_engine(url, "NORMAL")
    base = datetime(2026, 1, 1, tzinfo=UTC)
    if engine.dialect.name == "postgresql":
        _copy_postgres(engine, campaign_id, version_id, answers, base)
        # What autovacuum does to a live table after a while: statistics and the visibility
        # map that lets counts read the campaign index alone.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE response")
    else:
        _insert_sqlite(engine, campaign_id, version_id, answers, base)
    engine.dispose()


def _insert_sqlite(engine, campaign_id, version_id, answers, base) -> None:
    """Straight through the driver: the answers are already JSON text, and a million rows
    through the ORM's JSON type would parse and serialise each one again."""

    def stamp(seconds: int) -> str:  # SQLAlchemy's own DateTime format on SQLite
        return (base + timedelta(seconds=seconds)).strftime("%Y-%m-%d %H:%M:%S.%f")

    raw = engine.raw_connection()
    try:
        raw.executemany(
            "INSERT INTO response (campaign_id, version_id, token, channel, answers, completed,"
            " started_at, submitted_at, page) VALUES (?, ?, ?, 'web', ?, 1, ?, ?, '')",
            (
                (campaign_id, version_id, uuid.uuid4().hex, a.decode(), stamp(i), stamp(i + 300))
                for i, a in enumerate(answers)
            ),
        )
        raw.commit()
    finally:
        raw.close()


def _copy_postgres(engine, campaign_id, version_id, answers, base) -> None:
    raw = engine.raw_connection()
    try:
        with (
            raw.cursor() as cur,
            cur.copy(
                "COPY response (campaign_id, version_id, token, channel, answers, completed,"
                " started_at, submitted_at, page) FROM STDIN"
            ) as copy,
        ):
            for i, a in enumerate(answers):
                when = base + timedelta(seconds=i)
                copy.write_row(
                    (
                        campaign_id,
                        version_id,
                        uuid.uuid4().hex,
                        "web",
                        a.decode(),
                        True,
                        when,
                        when + timedelta(seconds=300),
                        "",
                    )
                )
        raw.commit()
    finally:
        raw.close()


__all__ = ["bench_document", "create_campaign", "generate_answers", "insert_responses"]
