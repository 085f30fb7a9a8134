"""What a site did with each lead: state, reminders, escalation, forwards.

Columns are added only when missing, like 0001 and 0003's tables, so that a database made
with create_all (which already has them) is adopted.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 01:15:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


COLUMNS = [
    sa.Column("status", sa.String(length=20), server_default="open", nullable=False),
    sa.Column("acknowledged_at", sa.DateTime(), nullable=True),
    sa.Column("family_told_at", sa.DateTime(), nullable=True),
    sa.Column("reminded_at", sa.DateTime(), nullable=True),
    sa.Column("escalated_at", sa.DateTime(), nullable=True),
    sa.Column("hop", sa.Integer(), server_default="0", nullable=False),
    sa.Column("history", sa.JSON(), nullable=True),
]


def upgrade():
    inspector = sa.inspect(op.get_bind())
    present = {column["name"] for column in inspector.get_columns("lead")}
    indexes = {index["name"] for index in inspector.get_indexes("lead")}
    missing = [column for column in COLUMNS if column.name not in present]
    if not missing and "ix_lead_open" in indexes:
        return
    with op.batch_alter_table("lead", schema=None) as batch_op:
        for column in missing:
            batch_op.add_column(column)
        if "ix_lead_open" not in indexes:
            batch_op.create_index("ix_lead_open", ["status", "created_at"], unique=False)


def downgrade():
    with op.batch_alter_table("lead", schema=None) as batch_op:
        batch_op.drop_index("ix_lead_open")
        for column in reversed(COLUMNS):
            batch_op.drop_column(column.name)
