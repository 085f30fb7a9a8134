"""Random Message-IDs stored with each queued email; a notes link's refusal window.

Columns are added only when missing, like 0004, so that a database made with create_all
(which already has them) is adopted.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 03:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


COLUMNS = {
    "outbox_message": [
        sa.Column("message_id", sa.String(length=255), server_default="", nullable=False)
    ],
    "shared_notes": [sa.Column("blocked_until", sa.DateTime(), nullable=True)],
}


def upgrade():
    inspector = sa.inspect(op.get_bind())
    for table, columns in COLUMNS.items():
        present = {column["name"] for column in inspector.get_columns(table)}
        missing = [column for column in columns if column.name not in present]
        if not missing:
            continue
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in missing:
                batch_op.add_column(column)


def downgrade():
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in reversed(columns):
                batch_op.drop_column(column.name)
