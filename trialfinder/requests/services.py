"""Opening a family's status link: the lead it names, and what the page may show of it."""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app

from trialfinder.extensions import db
from trialfinder.leads.models import Lead
from trialfinder.leads.services import steps
from trialfinder.leads.tokens import STATUS, BadLink
from trialfinder.requests.status import family_state, since
from trialfinder.trials.models import Trial


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
        lead_id, reference = STATUS.read(current_app.secret_key, token)
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
