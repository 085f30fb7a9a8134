"""Who opened a lead's staff link and what they did there: need to know, on record.

One row per opening or action: the lead, the site the link was made for, the time and the
action. Nothing personal: no address, no person, no client address (the link is the person).
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..trials.models import utcnow


class LeadAccess(db.Model):
    __tablename__ = "lead_access"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("lead.id", ondelete="CASCADE"), index=True)
    site: Mapped[str] = mapped_column(Text, default="")
    city: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)
    # "opened", or the action posted: contacted, not_suitable, forward.
    action: Mapped[str] = mapped_column(String(20))
