"""Full-text search index of trials (written by hand: each database spells it differently)

SQLite: an FTS5 virtual table. PostgreSQL: a tsvector column with a GIN index. Alembic's
comparison skips these tables (env.py), so `flask db migrate` never proposes to drop them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from alembic import op
from flask import current_app
from sqlalchemy import select

from trialfinder.trials import search_index
from trialfinder.trials.models import Trial
from trialfinder.trials.services import index_text

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    connection = op.get_bind()
    search_index.create(connection)
    # A database that already holds trials gets them indexed now.
    content_dir = current_app.config["CONTENT_DIR"]
    columns = ("nct_id", "acronym", "brief_title", "official_title", "conditions", "keywords")
    query = select(*(getattr(Trial, name) for name in (*columns, "brief_summary")))
    trials = connection.execute(query).all()
    documents = [(trial.nct_id, index_text(trial, content_dir)) for trial in trials]
    search_index.rebuild(connection, documents)


def downgrade():
    search_index.drop(op.get_bind())
