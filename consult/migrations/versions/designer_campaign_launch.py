"""designer: campaigns start as drafts; consent text and audience per language; poster pitch

Revision ID: d3519e4a7c10
Revises: a1b2c3d4e5f6
Create Date: 2026-12-06 06:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "d3519e4a7c10"
down_revision: str | None = "a1b2c3d4e5f6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN, not batch mode: on SQLite a batch rebuild drops the campaign table,
    # and its ON DELETE CASCADE would empty the tables that point at it (consent versions).
    op.add_column(
        "campaign", sa.Column("draft", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.add_column(
        "campaign",
        sa.Column(
            "pitch", sqlmodel.sql.sqltypes.AutoString(length=200), server_default="", nullable=False
        ),
    )


def downgrade() -> None:
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.drop_column("pitch")
        batch_op.drop_column("draft")
