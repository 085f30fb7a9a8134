"""Alert subscribers, one row per address, and the log of what each one was sent."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from trialfinder.extensions import db
from trialfinder.lib.clock import utcnow
from trialfinder.lib.locales import DEFAULT_COUNTRY


class Subscriber(db.Model):
    __tablename__ = "alert_subscriber"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    language: Mapped[str] = mapped_column(String(5))
    interests: Mapped[list] = mapped_column(JSON, default=list)
    age_years: Mapped[int | None] = mapped_column(Integer, nullable=True)
    country: Mapped[str] = mapped_column(String(2), default=DEFAULT_COUNTRY)
    postal_code: Mapped[str] = mapped_column(String(12), default="")
    # New choices for a confirmed address wait here until its owner follows the new link.
    pending: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    # Changes with every confirmation email, so that older confirmation links die.
    nonce: Mapped[str] = mapped_column(String(32))
    # Never changes: unsubscribe links in old emails keep working, and a reused id cannot match.
    unsubscribe_key: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(nullable=True, index=True)
    last_alert_at: Mapped[datetime | None] = mapped_column(nullable=True)

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class AlertSent(db.Model):
    """One trial version announced to one subscriber: never announced to them again."""

    __tablename__ = "alert_sent"
    __table_args__ = (UniqueConstraint("subscriber_id", "nct_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscriber_id: Mapped[int] = mapped_column(
        ForeignKey("alert_subscriber.id", ondelete="CASCADE"), index=True
    )
    nct_id: Mapped[str] = mapped_column(String(11))
    version: Mapped[str] = mapped_column(String(16))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
