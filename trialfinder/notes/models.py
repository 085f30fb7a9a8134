"""Shared notes as stored: encrypted, with an expiry and a count of wrong passcodes."""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from trialfinder.extensions import db
from trialfinder.lib.clock import utcnow


class SharedNotes(db.Model):
    __tablename__ = "shared_notes"

    # A random URL-safe token: the link itself, unguessable, never a sequence number.
    id: Mapped[str] = mapped_column(String(43), primary_key=True)
    trial_id: Mapped[str] = mapped_column(ForeignKey("trial.nct_id", ondelete="CASCADE"))
    lang: Mapped[str] = mapped_column(String(5))
    salt: Mapped[bytes] = mapped_column(LargeBinary)
    nonce: Mapped[bytes] = mapped_column(LargeBinary)
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    # Wrong passcodes open a growing refusal window; the right one still opens after it.
    blocked_until: Mapped[datetime | None] = mapped_column(nullable=True)
