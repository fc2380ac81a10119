"""Live polls of the room: create, answer once per phone, moderate, reveal, close.

Functions of ``(session, plain values)``; no web framework. The results shown on the screen
are always computed here from the stored votes (:func:`poll_results`), and only when the poll
is revealed do they carry any count.
"""

import math
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from analysis.disclosure import K, suppress_counts
from analysis.text import count_words
from consult.accounts.services import CurrentUser
from consult.network.models import Commission, Plenary
from surveys.models import LivePoll, LiveVote
from surveys.problems import Problem

KINDS = ("single", "multiple", "scale", "text")
SCALES = {"1-5": (1, 5), "0-10": (0, 10)}
# No 0/O, 1/I/L, 2/Z, 5/S, 8/B, 6/G: easy to read off a projector and to type on a phone.
CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY3479"
CODE_LENGTH = 5
MAX_QUESTION = 300
MAX_CHOICES = 12
MAX_TEXT = 200
CLOUD_WORDS = 40
CLOUD_SIZES = 5


@dataclass(frozen=True)
class PollInput:
    commission_id: int | None
    kind: str
    question: str
    choices_text: str = ""
    scale: str = "1-5"
    plenary_id: int | None = None
    hidden: bool = True


@dataclass(frozen=True)
class Bar:
    label: str
    count: int | None  # None: hidden, fewer than k (or hidden so that no other can be solved)
    percent: int | None  # of the people counted, rounded


@dataclass(frozen=True)
class Word:
    word: str
    count: int
    size: int  # 1 (rare) .. CLOUD_SIZES (most frequent)


@dataclass(frozen=True)
class PollResults:
    """What the screen may show. ``bars``/``words``/``mean`` are empty unless revealed."""

    total: int
    revealed: bool
    closed: bool
    bars: tuple[Bar, ...] = ()
    words: tuple[Word, ...] = ()
    mean: float | None = None
    pending: int = 0  # free-text answers waiting for approval
    shown_texts: int = 0
    k: int = K
    counted: int = 0  # the votes the bars count: the first floor(total / k) * k
    withheld: bool = False  # revealed, but fewer than k votes are counted yet


@dataclass
class Created:
    poll: LivePoll | None
    problems: list[Problem] = field(default_factory=list)


def _choices(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def check_poll(session: Session, data: PollInput, user: CurrentUser) -> list[Problem]:
    problems = []
    question = data.question.strip()
    if not question:
        problems.append(Problem("POLL_QUESTION_REQUIRED", "question"))
    elif len(question) > MAX_QUESTION:
        problems.append(Problem("POLL_QUESTION_TOO_LONG", "question", limit=MAX_QUESTION))
    if data.kind not in KINDS:
        problems.append(Problem("POLL_BAD_KIND", "kind"))
    if data.kind in ("single", "multiple"):
        choices = _choices(data.choices_text)
        if len(choices) < 2:
            problems.append(Problem("POLL_TOO_FEW_CHOICES", "choices"))
        elif len(choices) > MAX_CHOICES:
            problems.append(Problem("POLL_TOO_MANY_CHOICES", "choices", limit=MAX_CHOICES))
        seen = set()
        for choice in choices:
            if choice.casefold() in seen:
                problems.append(Problem("POLL_DUPLICATE_CHOICE", "choices", value=choice))
                break
            seen.add(choice.casefold())
    if data.kind == "scale" and data.scale not in SCALES:
        problems.append(Problem("POLL_BAD_SCALE", "scale"))
    if (
        data.commission_id is None
        or session.get(Commission, data.commission_id) is None
        or not user.sees_commission(data.commission_id)
    ):
        problems.append(Problem("POLL_BAD_COMMISSION", "commission_id"))
    if data.plenary_id is not None and session.get(Plenary, data.plenary_id) is None:
        problems.append(Problem("POLL_BAD_PLENARY", "plenary_id"))
    return problems


def _new_code(session: Session) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if session.exec(select(LivePoll.id).where(LivePoll.code == code)).first() is None:
            return code


def create_poll(session: Session, data: PollInput, user: CurrentUser) -> Created:
    problems = check_poll(session, data, user)
    if problems:
        return Created(None, problems)
    low, high = SCALES.get(data.scale, (1, 5))
    poll = LivePoll(
        code=_new_code(session),
        commission_id=data.commission_id,
        plenary_id=data.plenary_id,
        kind=data.kind,
        question=data.question.strip(),
        choices=_choices(data.choices_text) if data.kind in ("single", "multiple") else [],
        scale_min=low,
        scale_max=high,
        revealed=not data.hidden,
        created_by=user.id,
    )
    session.add(poll)
    session.commit()
    return Created(poll)


def normalise_code(code: str) -> str:
    return code.strip().upper()


def find_poll(session: Session, code: str) -> LivePoll | None:
    return session.exec(select(LivePoll).where(LivePoll.code == normalise_code(code))).first()


def scale_values(poll: LivePoll) -> list[str]:
    return [str(v) for v in range(poll.scale_min, poll.scale_max + 1)]


def options_of(poll: LivePoll) -> list[str]:
    """The values a phone may send (choices, or the points of the scale)."""
    return scale_values(poll) if poll.kind == "scale" else list(poll.choices)


def new_voter_token() -> str:
    return secrets.token_urlsafe(24)


def has_voted(session: Session, poll_id: int, voter: str | None) -> bool:
    if not voter:
        return False
    query = select(LiveVote.id).where(LiveVote.poll_id == poll_id, LiveVote.voter == voter)
    return session.exec(query).first() is not None


def check_vote(poll: LivePoll, values: list[str], text: str) -> list[Problem]:
    if poll.closed_at is not None:
        return [Problem("VOTE_CLOSED", "answer")]
    if poll.kind == "text":
        text = text.strip()
        if not text:
            return [Problem("VOTE_TEXT_REQUIRED", "answer")]
        if len(text) > MAX_TEXT:
            return [Problem("VOTE_TEXT_TOO_LONG", "answer", limit=MAX_TEXT)]
        return []
    values = [v for v in values if v != ""]
    if not values:
        code = "VOTE_CHOOSE_AT_LEAST_ONE" if poll.kind == "multiple" else "VOTE_CHOOSE_ONE"
        return [Problem(code, "answer")]
    if poll.kind != "multiple" and len(values) > 1:
        return [Problem("VOTE_CHOOSE_ONE", "answer")]
    allowed = set(options_of(poll))
    if any(v not in allowed for v in values):
        return [Problem("VOTE_BAD_CHOICE", "answer")]
    return []


def record_vote(
    session: Session, poll: LivePoll, voter: str, values: list[str], text: str = ""
) -> list[Problem]:
    """Store one phone's answer; a second answer from the same voter token is refused (the
    unique constraint decides, so two simultaneous requests cannot both get in)."""
    problems = check_vote(poll, values, text)
    if problems:
        return problems
    if has_voted(session, poll.id, voter):
        return [Problem("VOTE_ALREADY_ANSWERED", "answer")]
    ordered = [v for v in options_of(poll) if v in set(values)]
    session.add(
        LiveVote(
            poll_id=poll.id,
            voter=voter,
            choices=[] if poll.kind == "text" else ordered,
            text=text.strip() if poll.kind == "text" else "",
        )
    )
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return [Problem("VOTE_ALREADY_ANSWERED", "answer")]
    return []


def _cloud(texts: list[str]) -> tuple[Word, ...]:
    counts = count_words(texts, limit=CLOUD_WORDS)
    if counts.empty:
        return ()
    top = int(counts["count"].max())
    words = [
        Word(str(w), int(n), 1 + round((CLOUD_SIZES - 1) * math.log(n) / math.log(top)))
        if top > 1
        else Word(str(w), int(n), 1)
        for w, n in zip(counts["word"], counts["count"], strict=True)
    ]
    return tuple(sorted(words, key=lambda w: w.word.casefold()))


def poll_results(session: Session, poll: LivePoll, k: int = K) -> PollResults:
    """Re-read from the database each time; no count leaves here unless revealed."""
    total = session.exec(select(func.count(LiveVote.id)).where(LiveVote.poll_id == poll.id)).one()
    closed = poll.closed_at is not None
    if poll.kind == "text":
        pending = session.exec(
            select(func.count(LiveVote.id)).where(
                LiveVote.poll_id == poll.id, col(LiveVote.approved).is_(None)
            )
        ).one()
        if not poll.revealed:
            return PollResults(total, False, closed, pending=pending)
        texts = session.exec(
            select(LiveVote.text).where(
                LiveVote.poll_id == poll.id, col(LiveVote.approved).is_(True)
            )
        ).all()
        return PollResults(
            total, True, closed, words=_cloud(list(texts)), pending=pending, shown_texts=len(texts)
        )
    if not poll.revealed:
        return PollResults(total, False, closed, k=k)
    # A room sees the bars move: they count the votes in steps of k (a new vote shows only
    # with k - 1 others), through disclosure control (small bars hidden, the mean only when
    # no bar is).
    chosen = session.exec(
        select(LiveVote.choices).where(LiveVote.poll_id == poll.id).order_by(LiveVote.id)
    ).all()
    counted = len(chosen) // k * k
    if counted < k:
        return PollResults(total, True, closed, k=k, withheld=True)
    counts = dict.fromkeys(options_of(poll), 0)
    for values in chosen[:counted]:
        for value in values or ():
            if value in counts:
                counts[value] += 1
    disclosed = suppress_counts(pd.Series(counts), k, total=poll.kind != "multiple")
    hidden = disclosed.hidden.iloc[: len(counts)].to_numpy(dtype=bool)
    bars = tuple(
        Bar(label, None, None) if h else Bar(label, n, round(100 * n / counted))
        for (label, n), h in zip(counts.items(), hidden, strict=True)
    )
    mean = None
    if poll.kind == "scale" and not hidden.any():
        mean = round(sum(int(v) * n for v, n in counts.items()) / counted, 1)
    return PollResults(
        total, True, closed, bars=bars, mean=mean, k=k, counted=counted, withheld=disclosed.withheld
    )


def set_revealed(session: Session, poll: LivePoll, revealed: bool) -> None:
    poll.revealed = revealed
    session.add(poll)
    session.commit()


def close_poll(session: Session, poll: LivePoll) -> None:
    """No answer is taken after this, nor any approval changed: the results are frozen."""
    if poll.closed_at is None:
        poll.closed_at = datetime.now(UTC)
        session.add(poll)
        session.commit()


def pending_answers(session: Session, poll: LivePoll) -> list[LiveVote]:
    """Free-text answers to moderate (pending first, then the decided ones), oldest first."""
    return list(
        session.exec(
            select(LiveVote)
            .where(LiveVote.poll_id == poll.id)
            .order_by(col(LiveVote.approved).is_not(None), LiveVote.id)
        ).all()
    )


def moderate(session: Session, poll: LivePoll, vote_id: int, approve: bool) -> bool:
    """Approve or reject one free-text answer; False when it is not this poll's or closed."""
    vote = session.get(LiveVote, vote_id)
    if vote is None or vote.poll_id != poll.id or poll.closed_at is not None:
        return False
    vote.approved = approve
    session.add(vote)
    session.commit()
    return True


def list_polls(
    session: Session, user: CurrentUser, plenary_id: int | None = None
) -> list[LivePoll]:
    query = select(LivePoll).order_by(col(LivePoll.created_at).desc(), col(LivePoll.id).desc())
    if not user.is_coordinator:
        query = query.where(col(LivePoll.commission_id).in_(user.commission_ids))
    if plenary_id is not None:
        query = query.where(LivePoll.plenary_id == plenary_id)
    return list(session.exec(query).all())


def polls_of_plenary(session: Session, plenary_id: int) -> list[LivePoll]:
    """The polls asked at a plenary, oldest first (for the plenary's page)."""
    return list(
        session.exec(
            select(LivePoll).where(LivePoll.plenary_id == plenary_id).order_by(LivePoll.id)
        ).all()
    )


def plenary_choices(session: Session) -> list[tuple[int, str]]:
    rows = session.exec(select(Plenary).order_by(col(Plenary.held_on).desc())).all()
    return [(p.id, f"{p.held_on.isoformat()} — {p.title}") for p in rows]
