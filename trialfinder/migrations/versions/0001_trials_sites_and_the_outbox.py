"""Trials, sites and the outbox (generated from the models, then made idempotent)

Tables and indexes are created only when missing, so that a database made with create_all
before migrations existed is brought up to date instead of failing.

Revision ID: 0001
Revises: -
Create Date: 2026-11-24 03:49:04.111353
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subject_type", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("reply_to", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        if_not_exists=True,
    )
    op.create_index(
        "ix_outbox_due", "outbox_message", ["status", "id"], unique=False, if_not_exists=True
    )
    op.create_index(
        "ix_outbox_message_subject_id",
        "outbox_message",
        ["subject_id"],
        unique=False,
        if_not_exists=True,
    )
    op.create_index(
        "ix_outbox_message_subject_type",
        "outbox_message",
        ["subject_type"],
        unique=False,
        if_not_exists=True,
    )
    op.create_table(
        "trial",
        sa.Column("nct_id", sa.String(length=11), nullable=False),
        sa.Column("brief_title", sa.Text(), nullable=False),
        sa.Column("official_title", sa.Text(), nullable=False),
        sa.Column("acronym", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("conditions", sa.JSON(), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("min_age_years", sa.Float(), nullable=True),
        sa.Column("max_age_years", sa.Float(), nullable=True),
        sa.Column("sex", sa.String(length=10), nullable=False),
        sa.Column("phases", sa.JSON(), nullable=False),
        sa.Column("sponsor", sa.Text(), nullable=False),
        sa.Column("start_date", sa.String(length=10), nullable=False),
        sa.Column("completion_date", sa.String(length=10), nullable=False),
        sa.Column("last_update", sa.String(length=10), nullable=False),
        sa.Column("brief_summary", sa.Text(), nullable=False),
        sa.Column("detailed_description", sa.Text(), nullable=False),
        sa.Column("eligibility_criteria", sa.Text(), nullable=False),
        sa.Column("central_emails", sa.JSON(), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("version", sa.String(length=16), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("nct_id"),
        if_not_exists=True,
    )
    op.create_index(
        "ix_trial_changed_at", "trial", ["changed_at"], unique=False, if_not_exists=True
    )
    op.create_index(
        "ix_trial_finder",
        "trial",
        ["nct_id", "min_age_years", "max_age_years", "status", "brief_title"],
        unique=False,
        if_not_exists=True,
    )
    op.create_index("ix_trial_status", "trial", ["status"], unique=False, if_not_exists=True)
    op.create_index("ix_trial_title", "trial", ["brief_title"], unique=False, if_not_exists=True)
    op.create_table(
        "site",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trial_id", sa.String(length=11), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("facility", sa.Text(), nullable=False),
        sa.Column("city", sa.Text(), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("zip", sa.String(length=20), nullable=False),
        sa.Column("country", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("emails", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["trial_id"], ["trial.nct_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        if_not_exists=True,
    )
    op.create_index(
        "ix_site_place", "site", ["lat", "lon", "trial_id"], unique=False, if_not_exists=True
    )
    op.create_index("ix_site_trial_id", "site", ["trial_id"], unique=False, if_not_exists=True)


def downgrade():
    for table in ("site", "trial", "outbox_message"):
        op.drop_table(table)  # their indexes go with them
