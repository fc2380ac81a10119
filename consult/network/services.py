"""Commissions, projects and "you said / we did" findings. No web framework here.

``findings_for_campaign`` is what the public results page shows under a campaign.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, col, delete, select

from consult.accounts.models import Membership, User
from consult.accounts.services import CurrentUser
from consult.network.models import (
    AgendaItem,
    Commission,
    CommissionPartner,
    Finding,
    FindingProject,
    Partner,
    Plenary,
    Project,
    ProjectPartner,
)
from consult.network.themes import PROJECT_STATUSES
from surveys.campaigns import CampaignSummary, summarise_campaigns
from surveys.models import Campaign, Questionnaire, QuestionnaireVersion
from surveys.problems import Problem, ProblemsError

YEARS = (1990, 2100)


@dataclass(frozen=True)
class CommissionCard:
    commission: Commission
    pilot_name: str
    partners: int
    projects: int


@dataclass(frozen=True)
class LinkedProject:
    id: int
    year: int
    title: str
    status: str
    outcome: str


@dataclass(frozen=True)
class FindingView:
    """One "you said / we did" line: what the answers said and what was done about it."""

    id: int
    campaign_id: int
    question_name: str
    text: str
    decision: str
    commission_name: str
    projects: list[LinkedProject] = field(default_factory=list)


@dataclass(frozen=True)
class CommissionPage:
    commission: Commission
    pilot: User | None
    partners: list[Partner]
    users: list[User]
    sees_work: bool
    questionnaires: list[Questionnaire]
    campaigns: list[CampaignSummary]
    projects_by_year: list[tuple[int, list[Project]]]
    plenaries: list[Plenary]
    findings: list[FindingView]


@dataclass
class CommissionInput:
    description: str = ""
    theme: str = ""
    partner_ids: list[int] = field(default_factory=list)
    user_ids: list[int] = field(default_factory=list)
    pilot_id: int | None = None


@dataclass
class ProjectInput:
    year: str = ""
    title: str = ""
    description: str = ""
    status: str = "idea"
    outcome: str = ""
    partner_ids: list[int] = field(default_factory=list)


@dataclass
class FindingInput:
    campaign_id: int | None = None
    question_name: str = ""
    text: str = ""
    decision: str = ""
    project_ids: list[int] = field(default_factory=list)


def get_commission(session: Session, slug: str) -> Commission | None:
    return session.exec(select(Commission).where(Commission.slug == slug)).first()


def can_manage_commission(user: CurrentUser, commission: Commission) -> bool:
    """The coordinator manages every commission; a pilot manages their own."""
    return user.is_coordinator or commission.pilot_id == user.id


def list_commissions(session: Session) -> list[CommissionCard]:
    partners = dict(
        session.exec(
            select(CommissionPartner.commission_id, func.count()).group_by(
                CommissionPartner.commission_id
            )
        ).all()
    )
    projects = dict(
        session.exec(
            select(Project.commission_id, func.count()).group_by(Project.commission_id)
        ).all()
    )
    rows = session.exec(
        select(Commission, User.name)
        .outerjoin(User, User.id == Commission.pilot_id)
        .order_by(Commission.name)
    ).all()
    return [
        CommissionCard(c, pilot or "", partners.get(c.id, 0), projects.get(c.id, 0))
        for c, pilot in rows
    ]


def commission_campaigns(session: Session, commission_id: int) -> list[tuple[int, str]]:
    """(id, name) of the commission's campaigns, for choosing one in a form."""
    return list(
        session.exec(
            select(Campaign.id, Campaign.name)
            .join(QuestionnaireVersion, QuestionnaireVersion.id == Campaign.version_id)
            .join(Questionnaire, Questionnaire.id == QuestionnaireVersion.questionnaire_id)
            .where(Questionnaire.commission_id == commission_id)
            .order_by(Campaign.series, Campaign.wave)
        ).all()
    )


def commission_page(session: Session, commission: Commission, user: CurrentUser) -> CommissionPage:
    """Everything the commission's page shows; questionnaires and campaigns only to those who
    see the commission."""
    cid = commission.id
    sees = user.sees_commission(cid)
    partners = session.exec(
        select(Partner)
        .join(CommissionPartner, CommissionPartner.partner_id == Partner.id)
        .where(CommissionPartner.commission_id == cid)
        .order_by(func.lower(Partner.name))
    ).all()
    users = session.exec(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.commission_id == cid, col(User.is_active).is_(True))
        .order_by(User.name)
    ).all()
    projects = session.exec(
        select(Project)
        .where(Project.commission_id == cid)
        .order_by(col(Project.year).desc(), Project.title)
    ).all()
    by_year: dict[int, list[Project]] = defaultdict(list)
    for project in projects:
        by_year[project.year].append(project)
    campaign_ids = [c for c, _ in commission_campaigns(session, cid)]
    project_ids = [p.id for p in projects]
    plenaries = session.exec(
        select(Plenary)
        .where(
            col(Plenary.id).in_(
                select(AgendaItem.plenary_id).where(
                    col(AgendaItem.campaign_id).in_(campaign_ids)
                    | col(AgendaItem.project_id).in_(project_ids)
                )
            )
        )
        .order_by(col(Plenary.held_on).desc())
    ).all()
    questionnaires = (
        session.exec(
            select(Questionnaire)
            .where(Questionnaire.commission_id == cid)
            .order_by(Questionnaire.title)
        ).all()
        if sees
        else []
    )
    return CommissionPage(
        commission=commission,
        pilot=session.get(User, commission.pilot_id) if commission.pilot_id else None,
        partners=list(partners),
        users=list(users),
        sees_work=sees,
        questionnaires=list(questionnaires),
        campaigns=summarise_campaigns(session, [cid]) if sees else [],
        projects_by_year=sorted(by_year.items(), reverse=True),
        plenaries=list(plenaries),
        findings=_findings(session, Finding.commission_id == cid),
    )


def member_choices(session: Session) -> tuple[list[Partner], list[User]]:
    partners = session.exec(select(Partner).order_by(func.lower(Partner.name))).all()
    users = session.exec(select(User).where(col(User.is_active).is_(True)).order_by(User.name))
    return list(partners), list(users.all())


def current_members(session: Session, commission_id: int) -> tuple[set[int], set[int]]:
    partners = session.exec(
        select(CommissionPartner.partner_id).where(CommissionPartner.commission_id == commission_id)
    ).all()
    users = session.exec(
        select(Membership.user_id).where(Membership.commission_id == commission_id)
    ).all()
    return set(partners), set(users)


def update_commission(
    session: Session, commission: Commission, data: CommissionInput, may_change_pilot: bool
) -> Commission:
    """Description, theme, members; the pilot only when ``may_change_pilot``; commits."""
    problems = []
    if len(data.theme) > 200:
        problems.append(Problem("TOO_LONG", "theme", limit=200))
    known_partners = set(session.exec(select(Partner.id)).all())
    known_users = set(session.exec(select(User.id)).all())
    if not set(data.partner_ids) <= known_partners:
        problems.append(Problem("BAD_CHOICE", "partner_ids"))
    if not set(data.user_ids) <= known_users:
        problems.append(Problem("BAD_CHOICE", "user_ids"))
    if may_change_pilot and data.pilot_id is not None and data.pilot_id not in known_users:
        problems.append(Problem("BAD_CHOICE", "pilot_id"))
    if problems:
        raise ProblemsError(problems)
    commission.description = data.description.strip()
    commission.theme = data.theme.strip()
    if may_change_pilot:
        commission.pilot_id = data.pilot_id
    session.add(commission)
    cid = commission.id
    session.exec(delete(CommissionPartner).where(CommissionPartner.commission_id == cid))
    session.exec(delete(Membership).where(Membership.commission_id == cid))
    session.flush()
    session.add_all(
        CommissionPartner(commission_id=cid, partner_id=p) for p in set(data.partner_ids)
    )
    session.add_all(Membership(commission_id=cid, user_id=u) for u in set(data.user_ids))
    session.commit()
    return commission


# --- projects ----------------------------------------------------------------------------


def get_project(session: Session, commission_id: int, project_id: int) -> Project | None:
    project = session.get(Project, project_id)
    return project if project and project.commission_id == commission_id else None


def project_partner_ids(session: Session, project_id: int) -> list[int]:
    return list(
        session.exec(
            select(ProjectPartner.partner_id).where(ProjectPartner.project_id == project_id)
        ).all()
    )


def save_project(
    session: Session, commission_id: int, data: ProjectInput, project_id: int | None = None
) -> Project:
    """Create or update a project of a commission; commits, or raises ProblemsError."""
    problems = []
    if not data.title.strip():
        problems.append(Problem("REQUIRED", "title"))
    elif len(data.title) > 300:
        problems.append(Problem("TOO_LONG", "title", limit=300))
    year = int(data.year) if data.year.strip().isdigit() else None
    if year is None or not YEARS[0] <= year <= YEARS[1]:
        problems.append(Problem("BAD_YEAR", "year", value=data.year, low=YEARS[0], high=YEARS[1]))
    if data.status not in PROJECT_STATUSES:
        problems.append(Problem("BAD_STATUS", "status", value=data.status))
    if len(data.outcome) > 500:
        problems.append(Problem("TOO_LONG", "outcome", limit=500))
    if problems:
        raise ProblemsError(problems)
    project = (get_project(session, commission_id, project_id) if project_id else None) or Project(
        commission_id=commission_id, year=year, title=data.title
    )
    project.year, project.title, project.status = year, data.title.strip(), data.status
    project.description, project.outcome = data.description.strip(), data.outcome.strip()
    session.add(project)
    session.flush()
    session.exec(delete(ProjectPartner).where(ProjectPartner.project_id == project.id))
    known = set(session.exec(select(Partner.id)).all())
    session.add_all(
        ProjectPartner(project_id=project.id, partner_id=p) for p in set(data.partner_ids) & known
    )
    session.commit()
    return project


# --- "you said / we did" -----------------------------------------------------------------


def _question_names(session: Session, campaign_id: int) -> set[str]:
    version = session.exec(
        select(QuestionnaireVersion)
        .join(Campaign, Campaign.version_id == QuestionnaireVersion.id)
        .where(Campaign.id == campaign_id)
    ).first()
    sections = version.document.get("sections", []) if version else []
    return {q.get("name", "") for s in sections for q in s.get("questions", [])}


def add_finding(session: Session, commission_id: int, data: FindingInput) -> Finding:
    """Link a campaign's result to the projects it led to; commits, or raises ProblemsError."""
    problems = []
    campaigns = {c for c, _ in commission_campaigns(session, commission_id)}
    if data.campaign_id not in campaigns:
        problems.append(Problem("BAD_CHOICE", "campaign_id"))
    elif data.question_name and data.question_name not in _question_names(
        session, data.campaign_id
    ):
        problems.append(Problem("UNKNOWN_QUESTION", "question_name", value=data.question_name))
    if not data.text.strip():
        problems.append(Problem("REQUIRED", "text"))
    elif len(data.text) > 500:
        problems.append(Problem("TOO_LONG", "text", limit=500))
    if problems:
        raise ProblemsError(problems)
    finding = Finding(
        commission_id=commission_id,
        campaign_id=data.campaign_id,
        question_name=data.question_name.strip(),
        text=data.text.strip(),
        decision=data.decision.strip(),
    )
    session.add(finding)
    session.flush()
    own = set(session.exec(select(Project.id).where(Project.commission_id == commission_id)).all())
    session.add_all(
        FindingProject(finding_id=finding.id, project_id=p) for p in set(data.project_ids) & own
    )
    session.commit()
    return finding


def delete_finding(session: Session, commission_id: int, finding_id: int) -> bool:
    finding = session.get(Finding, finding_id)
    if finding is None or finding.commission_id != commission_id:
        return False
    session.delete(finding)
    session.commit()
    return True


def _findings(session: Session, condition) -> list[FindingView]:
    rows = session.exec(
        select(Finding, Commission.name)
        .join(Commission, Commission.id == Finding.commission_id)
        .where(condition)
        .order_by(Finding.id)
    ).all()
    ids = [f.id for f, _ in rows]
    linked: dict[int, list[LinkedProject]] = defaultdict(list)
    if ids:
        for finding_id, p in session.exec(
            select(FindingProject.finding_id, Project)
            .join(Project, Project.id == FindingProject.project_id)
            .where(col(FindingProject.finding_id).in_(ids))
            .order_by(Project.year, Project.title)
        ).all():
            linked[finding_id].append(LinkedProject(p.id, p.year, p.title, p.status, p.outcome))
    return [
        FindingView(f.id, f.campaign_id, f.question_name, f.text, f.decision, name, linked[f.id])
        for f, name in rows
    ]


def findings_for_campaign(session: Session, campaign_id: int) -> list[FindingView]:
    """ "You said / we did" for one campaign: each finding (text, question name, decision) with
    the projects it led to (year, title, status code, outcome), in the order they were added.

    Status codes are those of ``consult.network.themes.PROJECT_STATUSES`` (labels to translate).
    """
    return _findings(session, Finding.campaign_id == campaign_id)
