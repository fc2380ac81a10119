"""hub: number groups of a questionnaire version; what a deck slide needs beyond a question

Revision ID: hub14bands01
Revises: 5e1d0c0de516
Create Date: 2026-12-06 06:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "hub14bands01"
down_revision: str | None = "5e1d0c0de516"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_DOCUMENT = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "numberbands",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("question", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("lows", JSON_DOCUMENT, nullable=False),
        sa.Column("labels", JSON_DOCUMENT, nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["version_id"], ["questionnaireversion.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("version_id", "question"),
    )
    with op.batch_alter_table("numberbands", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_numberbands_version_id"), ["version_id"], unique=False)
    with op.batch_alter_table("deckslide", schema=None) as batch_op:
        batch_op.add_column(sa.Column("extra", JSON_DOCUMENT, server_default="{}", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("deckslide", schema=None) as batch_op:
        batch_op.drop_column("extra")
    with op.batch_alter_table("numberbands", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_numberbands_version_id"))
    op.drop_table("numberbands")
