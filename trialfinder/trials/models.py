"""Trials and their sites, as imported from registry records."""

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trialfinder.extensions import db
from trialfinder.lib.clock import utcnow
from trialfinder.lib.statuses import TAKING_PEOPLE


class Trial(db.Model):
    __tablename__ = "trial"
    # The finder reads these indexes alone, never the wide rows (the registry record is large).
    __table_args__ = (
        Index("ix_trial_title", "brief_title"),
        Index(
            "ix_trial_finder", "nct_id", "min_age_years", "max_age_years", "status", "brief_title"
        ),
    )

    nct_id: Mapped[str] = mapped_column(String(11), primary_key=True)
    brief_title: Mapped[str] = mapped_column(Text)
    official_title: Mapped[str] = mapped_column(Text, default="")
    acronym: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[str] = mapped_column(String(40), index=True)
    conditions: Mapped[list] = mapped_column(JSON, default=list)
    keywords: Mapped[list] = mapped_column(JSON, default=list)
    min_age_years: Mapped[float | None] = mapped_column(Float, nullable=True)
    max_age_years: Mapped[float | None] = mapped_column(Float, nullable=True)
    sex: Mapped[str] = mapped_column(String(10), default="ALL")
    phases: Mapped[list] = mapped_column(JSON, default=list)
    sponsor: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[str] = mapped_column(String(10), default="")
    completion_date: Mapped[str] = mapped_column(String(10), default="")
    last_update: Mapped[str] = mapped_column(String(10), default="")
    brief_summary: Mapped[str] = mapped_column(Text, default="")
    detailed_description: Mapped[str] = mapped_column(Text, default="")
    eligibility_criteria: Mapped[str] = mapped_column(Text, default="")
    central_emails: Mapped[list] = mapped_column(JSON, default=list)
    record: Mapped[dict] = mapped_column(JSON)
    version: Mapped[str] = mapped_column(String(16))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    sites: Mapped[list["Site"]] = relationship(
        back_populates="trial", cascade="all, delete-orphan", order_by="Site.position"
    )

    @property
    def recruiting_sites(self) -> list["Site"]:
        """The sites looking for participants: none while the trial itself takes nobody."""
        if self.status not in TAKING_PEOPLE:
            return []
        return [site for site in self.sites if site.status == "RECRUITING"]


AGES_UNSET = 1000.0  # a site's `oldest` when its trial sets no upper age (as migration 0011)


class Site(db.Model):
    __tablename__ = "site"
    # The finder's bounding box, answered from the index alone.
    __table_args__ = (Index("ix_site_place", "lat", "lon", "trial_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trial_id: Mapped[str] = mapped_column(
        ForeignKey("trial.nct_id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    facility: Mapped[str] = mapped_column(Text, default="")
    city: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(Text, default="")
    zip: Mapped[str] = mapped_column(String(20), default="")
    country: Mapped[str] = mapped_column(String(80), default="")
    status: Mapped[str] = mapped_column(String(40), default="UNKNOWN")
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    emails: Mapped[list] = mapped_column(JSON, default=list)
    youngest: Mapped[float] = mapped_column(Float, default=0.0)
    oldest: Mapped[float] = mapped_column(Float, default=1000.0)

    trial: Mapped[Trial] = relationship(back_populates="sites")
