"""The network: partners, commissions, plenaries, projects and "you said / we did" findings.

Users and campaigns are referenced by table name only (``user.id``, ``campaign.id``).
"""

import enum
from datetime import date
from typing import Any

from sqlalchemy import JSON, Column
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

JSONList = JSON().with_variant(JSONB(), "postgresql")


class Commission(SQLModel, table=True):
    """A thematic commission of the network; everything a member sees is scoped by it."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=80, unique=True, index=True)
    name: str = Field(max_length=200)
    theme: str = Field(default="", max_length=200)
    description: str = Field(default="")
    pilot_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")


class PartnerKind(enum.StrEnum):
    ASSOCIATION = "association"
    INSTITUTION = "institution"


class ProjectStatus(enum.StrEnum):
    IDEA = "idea"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    ABANDONED = "abandoned"


class Partner(SQLModel, table=True):
    """A structure of the network and its entry in the directory of social skills.

    ``contacts`` is a list of ``{"name", "role", "phone", "email"}``.
    """

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=80, unique=True, index=True)
    name: str = Field(max_length=200, index=True)
    kind: str = Field(default=PartnerKind.ASSOCIATION.value, max_length=20)
    charter_signed: bool = Field(default=False)
    charter_date: date | None = Field(default=None)
    objectives: str = Field(default="")
    public: str = Field(default="")
    access_conditions: str = Field(default="")
    place: str = Field(default="", max_length=300)
    hours: str = Field(default="", max_length=300)
    contacts: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSONList, nullable=False)
    )


class PartnerTheme(SQLModel, table=True):
    """The themes a partner works on (codes of ``consult.network.themes.THEMES``)."""

    partner_id: int = Field(foreign_key="partner.id", primary_key=True, ondelete="CASCADE")
    theme: str = Field(max_length=40, primary_key=True, index=True)


class CommissionPartner(SQLModel, table=True):
    """Partners sitting in a commission (users sit there through ``Membership``)."""

    commission_id: int = Field(foreign_key="commission.id", primary_key=True, ondelete="CASCADE")
    partner_id: int = Field(foreign_key="partner.id", primary_key=True, ondelete="CASCADE")


class Project(SQLModel, table=True):
    """A project born in a commission, often out of a campaign's results."""

    id: int | None = Field(default=None, primary_key=True)
    commission_id: int = Field(foreign_key="commission.id", index=True, ondelete="CASCADE")
    year: int
    title: str = Field(max_length=300)
    description: str = Field(default="")
    status: str = Field(default=ProjectStatus.IDEA.value, max_length=20)
    outcome: str = Field(default="", max_length=500)


class ProjectPartner(SQLModel, table=True):
    project_id: int = Field(foreign_key="project.id", primary_key=True, ondelete="CASCADE")
    partner_id: int = Field(foreign_key="partner.id", primary_key=True, ondelete="CASCADE")


class Plenary(SQLModel, table=True):
    """The whole network's meeting, twice a year."""

    id: int | None = Field(default=None, primary_key=True)
    held_on: date = Field(index=True)
    title: str = Field(max_length=200)
    place: str = Field(default="", max_length=300)
    minutes: str = Field(default="")


class AgendaItem(SQLModel, table=True):
    """One point of a plenary's agenda; may present a campaign's results or a project."""

    id: int | None = Field(default=None, primary_key=True)
    plenary_id: int = Field(foreign_key="plenary.id", index=True, ondelete="CASCADE")
    position: int = Field(default=0)
    title: str = Field(max_length=300)
    campaign_id: int | None = Field(default=None, foreign_key="campaign.id", ondelete="SET NULL")
    project_id: int | None = Field(default=None, foreign_key="project.id", ondelete="SET NULL")


class Attendance(SQLModel, table=True):
    """A partner that came to a plenary."""

    plenary_id: int = Field(foreign_key="plenary.id", primary_key=True, ondelete="CASCADE")
    partner_id: int = Field(foreign_key="partner.id", primary_key=True, ondelete="CASCADE")


class Finding(SQLModel, table=True):
    """ "You said / we did": a result of a campaign (a question and a short finding) and the
    decision and projects it led to."""

    id: int | None = Field(default=None, primary_key=True)
    commission_id: int = Field(foreign_key="commission.id", index=True, ondelete="CASCADE")
    campaign_id: int = Field(foreign_key="campaign.id", index=True, ondelete="CASCADE")
    question_name: str = Field(default="", max_length=120)
    text: str = Field(max_length=500)
    decision: str = Field(default="")


class FindingProject(SQLModel, table=True):
    finding_id: int = Field(foreign_key="finding.id", primary_key=True, ondelete="CASCADE")
    project_id: int = Field(foreign_key="project.id", primary_key=True, ondelete="CASCADE")
