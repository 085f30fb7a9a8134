"""Leads, alerts and notes.

Created only when missing, like 0001, so that a database made with create_all is adopted.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 04:42:01.130928
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "alert_subscriber",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("interests", sa.JSON(), nullable=False),
        sa.Column("age_years", sa.Integer(), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("postal_code", sa.String(length=12), nullable=False),
        sa.Column("pending", sa.JSON(), nullable=True),
        sa.Column("nonce", sa.String(length=32), nullable=False),
        sa.Column("unsubscribe_key", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("last_alert_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
        if_not_exists=True,
    )
    op.create_index(
        "ix_alert_subscriber_confirmed_at", "alert_subscriber", ["confirmed_at"], if_not_exists=True
    )
    op.create_table(
        "lead",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("nct_id", sa.String(length=11), nullable=False),
        sa.Column("lang", sa.String(length=5), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("preferred_language", sa.String(length=10), nullable=False),
        sa.Column("other_language", sa.String(length=60), nullable=False),
        sa.Column("respondent", sa.String(length=20), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("postal_code", sa.String(length=12), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("prescreen", sa.JSON(), nullable=True),
        sa.Column("location_label", sa.String(length=100), nullable=False),
        sa.Column("location_source", sa.String(length=20), nullable=False),
        sa.Column("site_facility", sa.Text(), nullable=False),
        sa.Column("site_city", sa.Text(), nullable=False),
        sa.Column("distance_km", sa.Float(), nullable=True),
        sa.Column("central", sa.Boolean(), nullable=False),
        sa.Column("staff_email", sa.String(length=320), nullable=False),
        sa.Column("staff_language", sa.String(length=5), nullable=False),
        sa.Column("route_source", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reference"),
        if_not_exists=True,
    )
    op.create_index("ix_lead_created_at", "lead", ["created_at"], if_not_exists=True)
    op.create_index("ix_lead_nct_id", "lead", ["nct_id"], if_not_exists=True)

    op.create_table(
        "alert_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscriber_id", sa.Integer(), nullable=False),
        sa.Column("nct_id", sa.String(length=11), nullable=False),
        sa.Column("version", sa.String(length=16), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["subscriber_id"], ["alert_subscriber.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("subscriber_id", "nct_id", "version"),
        if_not_exists=True,
    )
    op.create_index(
        "ix_alert_sent_subscriber_id", "alert_sent", ["subscriber_id"], if_not_exists=True
    )
    op.create_table(
        "shared_notes",
        sa.Column("id", sa.String(length=43), nullable=False),
        sa.Column("trial_id", sa.String(length=11), nullable=False),
        sa.Column("lang", sa.String(length=5), nullable=False),
        sa.Column("salt", sa.LargeBinary(), nullable=False),
        sa.Column("nonce", sa.LargeBinary(), nullable=False),
        sa.Column("ciphertext", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["trial_id"], ["trial.nct_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        if_not_exists=True,
    )
    op.create_index(
        "ix_shared_notes_expires_at", "shared_notes", ["expires_at"], if_not_exists=True
    )


def downgrade():

    with op.batch_alter_table("shared_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shared_notes_expires_at"))

    op.drop_table("shared_notes")
    with op.batch_alter_table("alert_sent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_sent_subscriber_id"))

    op.drop_table("alert_sent")
    with op.batch_alter_table("lead", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lead_nct_id"))
        batch_op.drop_index(batch_op.f("ix_lead_created_at"))

    op.drop_table("lead")
    with op.batch_alter_table("alert_subscriber", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_subscriber_confirmed_at"))

    op.drop_table("alert_subscriber")
