"""PostgreSQL: the search index holds what the finder filters and sorts on; positions stripped.

A word search at 100,000 trials read the matches' wide trial rows twice (the count, then the
first page by title): 200 ms. With the title, ages, sex and status copied into `trial_search`,
it is answered from that table alone (search_index.py). Positions in the tsvector are never
used (no phrase search, no ranking): stripped, it fell from 111 to 68 MB at 100,000 trials.

Tables made by 0002 since this revision already have the columns (search_index.create): they
are added only when missing. SQLite's FTS5 table is left as it is. The update rewrites every
row of the index: until (auto)vacuum runs, the old rows take space, not search time.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 07:15:00
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# Frozen here, as they were when this revision was written: a migration never follows later code.
TABLE = "trial_search"
COPIED = {
    "brief_title": "TEXT",
    "min_age_years": "FLOAT",
    "max_age_years": "FLOAT",
    "sex": "VARCHAR(10)",
    "status": "VARCHAR(40)",
}


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, kind in COPIED.items():
        op.execute(f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS {name} {kind}")
    copied = ", ".join(f"{name} = trial.{name}" for name in COPIED)
    op.execute(
        f"UPDATE {TABLE} SET body = strip(body), {copied} FROM trial "
        f"WHERE trial.nct_id = {TABLE}.nct_id"
    )


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in COPIED:
        op.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS {name}")
