"""The lead and what happens to it: stored before any email is tried, so that none is lost.

`Lead` is a contact request. `LeadAccess` records who opened a lead's staff link and what they
did there (need to know, on record): the lead, the site the link was made for, the time and the
action; nothing personal (no address, no person, no client address: the link is the person).
"""

import secrets
from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from trialfinder.extensions import db
from trialfinder.lib.clock import utcnow
from trialfinder.lib.locales import DEFAULT_LOCALE

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a reference read out on the phone is not misheard.
REFERENCE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
REFERENCE_LENGTH = 8
REFERENCE_PREFIX = "TF-"


def new_reference() -> str:
    """Return a fresh random reference such as TF-7KQ3MX9A (25**8, about 1.5e11, values)."""
    return REFERENCE_PREFIX + "".join(
        secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH)
    )


class Lead(db.Model):
    __tablename__ = "lead"
    # `flask leads remind` looks for open leads by age.
    __table_args__ = (Index("ix_lead_open", "status", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    nct_id: Mapped[str] = mapped_column(String(11), index=True)
    lang: Mapped[str] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(320))
    phone: Mapped[str] = mapped_column(String(20), default="")
    preferred_language: Mapped[str] = mapped_column(String(10))
    other_language: Mapped[str] = mapped_column(String(60), default="")
    respondent: Mapped[str] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(2))
    postal_code: Mapped[str] = mapped_column(String(12), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    message: Mapped[str] = mapped_column(Text)
    # Questionnaire answers, only when the visitor ticked "share"; otherwise nothing of them.
    prescreen: Mapped[dict | None] = mapped_column(JSON, nullable=True)

    # Where the lead went. No coordinates are kept: the rough distance is enough.
    location_label: Mapped[str] = mapped_column(String(100), default="")
    location_source: Mapped[str] = mapped_column(String(20), default="")
    site_facility: Mapped[str] = mapped_column(Text, default="")
    site_city: Mapped[str] = mapped_column(Text, default="")
    distance_km: Mapped[float | None] = mapped_column(Float, nullable=True)
    central: Mapped[bool] = mapped_column(Boolean, default=False)
    staff_email: Mapped[str] = mapped_column(String(320), default="")
    staff_language: Mapped[str] = mapped_column(String(5), default=DEFAULT_LOCALE)
    route_source: Mapped[str] = mapped_column(String(20), default="")

    # What the site did with it (trialfinder/leads): open, contacted or not_suitable.
    status: Mapped[str] = mapped_column(String(20), default="open", server_default="open")
    acknowledged_at: Mapped[datetime | None] = mapped_column(nullable=True)
    family_told_at: Mapped[datetime | None] = mapped_column(nullable=True)
    reminded_at: Mapped[datetime | None] = mapped_column(nullable=True)
    escalated_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # How many times it was forwarded: a link names the hop it was made for.
    hop: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Every step with its time and site (received, forwarded, contacted...); None: just received.
    history: Mapped[list | None] = mapped_column(JSON, nullable=True)


class LeadAccess(db.Model):
    __tablename__ = "lead_access"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("lead.id", ondelete="CASCADE"), index=True)
    site: Mapped[str] = mapped_column(Text, default="")
    city: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)
    # "opened", or the action posted: contacted, not_suitable, forward.
    action: Mapped[str] = mapped_column(String(20))
