"""Each opening of, and action on, a lead's staff link: lead, site, time, action.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 04:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    if "lead_access" in sa.inspect(op.get_bind()).get_table_names():
        return  # a database made with create_all already has it
    op.create_table(
        "lead_access",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("site", sa.Text(), nullable=False),
        sa.Column("city", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["lead_id"], ["lead.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_lead_access_lead_id", "lead_access", ["lead_id"], unique=False)


def downgrade():
    op.drop_index("ix_lead_access_lead_id", table_name="lead_access")
    op.drop_table("lead_access")
