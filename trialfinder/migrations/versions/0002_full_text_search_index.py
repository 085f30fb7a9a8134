"""Full-text search index of trials (written by hand: each database spells it differently)

SQLite: an FTS5 virtual table. PostgreSQL: a tsvector column with a GIN index. Alembic's
comparison skips these tables (env.py), so `flask db migrate` never proposes to drop them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from alembic import op
from sqlalchemy import select

from trialfinder.trials import search_index, words
from trialfinder.trials.models import Trial

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    connection = op.get_bind()
    search_index.create(connection)
    # A database that already holds trials gets their registry words indexed now; this
    # migration keeps its own list, as it was, rather than follow today's importer: `flask
    # search reindex` adds what the finder indexes since (vocabulary, plain-language texts).
    columns = ("nct_id", "acronym", "brief_title", "official_title", "brief_summary")
    query = select(*(getattr(Trial, name) for name in columns), Trial.conditions, Trial.keywords)
    documents = [
        (row.nct_id, words.document(*row[:5], *row.conditions, *row.keywords))
        for row in connection.execute(query).all()
    ]
    search_index.rebuild(connection, documents)


def downgrade():
    search_index.drop(op.get_bind())
