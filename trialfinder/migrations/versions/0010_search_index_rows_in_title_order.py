"""PostgreSQL: an index that keeps the search index's rows in title order (CLUSTER).

A word's matches were read from wherever their rows lay: 'vaccine' at 100,000 trials, 9,040
matches on 6,180 of the table's 10,128 pages. Kept in title order, the rows of trials whose
titles share words share pages, and a word search reads and sorts fewer of them
(search_index.keep_in_title_order, after `flask trials import`).

CLUSTER takes no partial index (0009's); and this one orders by an expression no query
names, so that the planner never walks it for a word search's ORDER BY brief_title (0009's
docstring says why that is slow).

Tables made by 0002 since this revision already have it (search_index.create). SQLite's
FTS5 table has no titles: nothing changes there.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 21:50:00
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX IF NOT EXISTS ix_trial_search_order "
            "ON trial_search ((brief_title || ''), nct_id)"
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_trial_search_order")
