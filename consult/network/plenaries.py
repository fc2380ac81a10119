"""Plenaries: the whole network meets twice a year. No web framework here."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, delete, select

from consult.network.models import AgendaItem, Attendance, Partner, Plenary, Project
from surveys.models import Campaign
from surveys.problems import Problem, ProblemsError


@dataclass(frozen=True)
class PlenaryCalendar:
    upcoming: list[Plenary]  # soonest first
    past: list[Plenary]  # latest first

    @property
    def next(self) -> Plenary | None:
        return self.upcoming[0] if self.upcoming else None

    @property
    def last(self) -> Plenary | None:
        return self.past[0] if self.past else None


@dataclass(frozen=True)
class AgendaLine:
    position: int
    title: str
    campaign_id: int | None
    campaign_slug: str
    campaign_name: str
    project_id: int | None
    project_title: str
    project_commission_id: int | None


@dataclass(frozen=True)
class PlenaryPage:
    plenary: Plenary
    agenda: list[AgendaLine]
    attendees: list[Partner]


@dataclass
class AgendaInput:
    title: str = ""
    campaign_id: int | None = None
    project_id: int | None = None
    position: str = ""


@dataclass
class PlenaryInput:
    held_on: str = ""
    title: str = ""
    place: str = ""
    minutes: str = ""
    agenda: list[AgendaInput] = field(default_factory=list)
    attendee_ids: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, page: PlenaryPage) -> "PlenaryInput":
        p = page.plenary
        return cls(
            held_on=p.held_on.isoformat(),
            title=p.title,
            place=p.place,
            minutes=p.minutes,
            agenda=[
                AgendaInput(a.title, a.campaign_id, a.project_id, str(a.position))
                for a in page.agenda
            ],
            attendee_ids=[a.id for a in page.attendees],
        )


def plenary_calendar(session: Session, today: date) -> PlenaryCalendar:
    plenaries = session.exec(select(Plenary).order_by(Plenary.held_on)).all()
    return PlenaryCalendar(
        upcoming=[p for p in plenaries if p.held_on >= today],
        past=[p for p in reversed(plenaries) if p.held_on < today],
    )


def plenary_page(session: Session, plenary_id: int) -> PlenaryPage | None:
    plenary = session.get(Plenary, plenary_id)
    if plenary is None:
        return None
    rows = session.exec(
        select(AgendaItem, Campaign.slug, Campaign.name, Project.title, Project.commission_id)
        .outerjoin(Campaign, Campaign.id == AgendaItem.campaign_id)
        .outerjoin(Project, Project.id == AgendaItem.project_id)
        .where(AgendaItem.plenary_id == plenary_id)
        .order_by(AgendaItem.position, AgendaItem.id)
    ).all()
    agenda = [
        AgendaLine(
            item.position,
            item.title,
            item.campaign_id,
            slug or "",
            name or "",
            item.project_id,
            project or "",
            commission,
        )
        for item, slug, name, project, commission in rows
    ]
    attendees = session.exec(
        select(Partner)
        .join(Attendance, Attendance.partner_id == Partner.id)
        .where(Attendance.plenary_id == plenary_id)
        .order_by(func.lower(Partner.name))
    ).all()
    return PlenaryPage(plenary, agenda, list(attendees))


def agenda_choices(session: Session) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(id, label) of every campaign and every project, for the agenda's selects."""
    campaigns = session.exec(select(Campaign.id, Campaign.name).order_by(Campaign.name)).all()
    projects = session.exec(
        select(Project.id, Project.year, Project.title).order_by(
            col(Project.year).desc(), Project.title
        )
    ).all()
    return list(campaigns), [(i, f"{y} · {t}") for i, y, t in projects]


def _check(session: Session, data: PlenaryInput) -> tuple[date | None, list[Problem]]:
    problems, held_on = [], None
    try:
        held_on = date.fromisoformat(data.held_on.strip())
    except ValueError:
        problems.append(
            Problem(
                "BAD_DATE" if data.held_on.strip() else "REQUIRED", "held_on", value=data.held_on
            )
        )
    if not data.title.strip():
        problems.append(Problem("REQUIRED", "title"))
    for name, limit in (("title", 200), ("place", 300)):
        if len(getattr(data, name)) > limit:
            problems.append(Problem("TOO_LONG", name, limit=limit))
    campaigns = set(session.exec(select(Campaign.id)).all())
    projects = set(session.exec(select(Project.id)).all())
    for index, item in enumerate(data.agenda):
        if item.campaign_id is not None and item.campaign_id not in campaigns:
            problems.append(Problem("BAD_CHOICE", f"agenda-{index}-campaign"))
        if item.project_id is not None and item.project_id not in projects:
            problems.append(Problem("BAD_CHOICE", f"agenda-{index}-project"))
        linked = item.campaign_id is not None or item.project_id is not None
        if linked and not item.title.strip():
            problems.append(Problem("REQUIRED", f"agenda-{index}-title"))
    return held_on, problems


def save_plenary(session: Session, data: PlenaryInput, plenary_id: int | None = None) -> Plenary:
    """Create or update a plenary, its ordered agenda and attendance; commits.

    Agenda rows without a title nor a link are dropped; rows are ordered by their position
    (then by their order in the form). Raises ProblemsError and writes nothing on bad input.
    """
    held_on, problems = _check(session, data)
    plenary = session.get(Plenary, plenary_id) if plenary_id else None
    if problems:
        raise ProblemsError(problems)
    plenary = plenary or Plenary(held_on=held_on, title=data.title)
    plenary.held_on, plenary.title = held_on, data.title.strip()
    plenary.place, plenary.minutes = data.place.strip(), data.minutes.strip()
    session.add(plenary)
    session.flush()
    session.exec(delete(AgendaItem).where(AgendaItem.plenary_id == plenary.id))
    session.exec(delete(Attendance).where(Attendance.plenary_id == plenary.id))
    rows = [(i, a) for i, a in enumerate(data.agenda) if a.title.strip()]
    rows.sort(key=lambda r: (int(r[1].position) if r[1].position.strip().isdigit() else 999, r[0]))
    for position, (_, item) in enumerate(rows, start=1):
        session.add(
            AgendaItem(
                plenary_id=plenary.id,
                position=position,
                title=item.title.strip(),
                campaign_id=item.campaign_id,
                project_id=item.project_id,
            )
        )
    known = set(session.exec(select(Partner.id)).all())
    session.add_all(
        Attendance(plenary_id=plenary.id, partner_id=p) for p in set(data.attendee_ids) & known
    )
    session.commit()
    return plenary
