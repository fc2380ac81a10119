"""respond: a receipt code apart from the resume code; several answers per device; the
campaign's respondent texts per language; the questionnaire's register (tu / vous)

Revision ID: 5e1d0c0de516
Revises: d3519e4a7c10
Create Date: 2026-12-06 06:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "5e1d0c0de516"
down_revision: str | None = "d3519e4a7c10"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN rather than a batch copy: on SQLite, dropping the old campaign table
    # of a batch copy would cascade into campaignconsent.
    op.add_column(
        "campaign",
        sa.Column("several_per_device", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column(
        "campaign",
        sa.Column(
            "texts",
            sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
            server_default=sa.text("'{}'"),
            nullable=False,
        ),
    )
    op.add_column(
        "questionnaire",
        sa.Column(
            "formality",
            sqlmodel.sql.sqltypes.AutoString(length=8),
            server_default="",
            nullable=False,
        ),
    )
    op.add_column(
        "response",
        sa.Column("receipt_code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    )
    op.create_index("ix_response_receipt_code", "response", ["receipt_code"], unique=True)
    # Answers already sent keep the code their respondent noted, now as a receipt; it no
    # longer resumes anything.
    op.execute(
        "UPDATE response SET receipt_code = resume_code, resume_code = NULL "
        "WHERE completed AND resume_code IS NOT NULL"
    )


def downgrade() -> None:
    op.execute(
        "UPDATE response SET resume_code = receipt_code "
        "WHERE completed AND receipt_code IS NOT NULL AND length(receipt_code) <= 12"
    )
    op.drop_index("ix_response_receipt_code", table_name="response")
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_column("receipt_code")
    with op.batch_alter_table("questionnaire", schema=None) as batch_op:
        batch_op.drop_column("formality")
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.drop_column("texts")
        batch_op.drop_column("several_per_device")
