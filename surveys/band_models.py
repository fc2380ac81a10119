"""Number groups ("bands") of a questionnaire version: staff's cut of a number or date
question into groups (age 14–17 / 18–21 / 22–25), used as a categorical variable."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

JSONDocument = JSON().with_variant(JSONB(), "postgresql")


class NumberBands(SQLModel, table=True):
    """The groups of one number or date question of a version: ascending lower bounds
    (numbers, or ISO dates) and a label per group. No bounds: the question is not grouped."""

    __table_args__ = (UniqueConstraint("version_id", "question"),)

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="questionnaireversion.id", index=True, ondelete="CASCADE")
    question: str = Field(max_length=120)
    lows: list[Any] = Field(default_factory=list, sa_column=Column(JSONDocument, nullable=False))
    labels: list[str] = Field(default_factory=list, sa_column=Column(JSONDocument, nullable=False))
    updated_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
