"""Opening a family's status link: the lead it names, and what the page may show of it."""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app

from ..contact.models import Lead
from ..extensions import db
from ..leads.services import steps
from ..trials.models import Trial
from .status import family_state, since
from .tokens import BadLink, read_token


@dataclass(frozen=True)
class Followed:
    """What the status page shows: nothing the family typed, only where the request stands."""

    lead: Lead
    trial: Trial
    state: str
    since: datetime


def follow(token: str) -> Followed | None:
    """Return the request a link names, or None when altered, too old, purged or replaced."""
    try:
        lead_id, reference = read_token(current_app.secret_key, token)
    except BadLink:
        return None
    lead = db.session.get(Lead, lead_id)
    if lead is None or lead.reference != reference:
        return None
    trial = db.session.get(Trial, lead.nct_id)
    if trial is None:
        return None
    state = family_state(lead.status, lead.hop)
    return Followed(lead, trial, state, datetime.fromisoformat(since(steps(lead), state)))
