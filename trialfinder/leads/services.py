"""What a site does with a lead from its email link: acknowledge, mark not suitable, forward."""

import logging
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import update

from trialfinder.extensions import db
from trialfinder.leads import history, receiving
from trialfinder.leads.history import CONTACTED, FORWARDED, NOT_SUITABLE, OPEN, RECEIVED
from trialfinder.leads.links import status_link, team_address
from trialfinder.leads.models import Lead, LeadAccess
from trialfinder.leads.routing import RECRUITING, site_address, staff_language
from trialfinder.leads.sites import load_operator_settings
from trialfinder.leads.tokens import STAFF, BadLink
from trialfinder.lib.clock import utcnow
from trialfinder.outbox import services as outbox
from trialfinder.trials import services as trials
from trialfinder.trials.models import Site, Trial
from trialfinder.web.i18n import text_direction

log = logging.getLogger(__name__)
FAMILY_EMAIL = "lead_contacted"
FORWARD = "forward"
ACTIONS = (CONTACTED, NOT_SUITABLE, FORWARD)


@dataclass(frozen=True)
class Opened:
    """A lead as its link sees it: stale when the lead was forwarded after the link was made."""

    lead: Lead
    trial: Trial
    hop: int

    @property
    def stale(self) -> bool:
        return self.hop != self.lead.hop


def open_link(token: str) -> Opened | None:
    """Return the lead a link names, or None when the link is altered, too old or gone."""
    try:
        lead_id, hop = STAFF.read(current_app.secret_key, token)
    except BadLink:
        return None
    lead = db.session.get(Lead, lead_id)
    trial = db.session.get(Trial, lead.nct_id) if lead else None
    if lead is None or trial is None or hop > lead.hop:
        return None
    return Opened(lead, trial, hop)


def steps(lead: Lead) -> list[dict]:
    """Return the lead's steps, the first being where it was received."""
    return history.steps(lead.history, lead.created_at, lead.site_facility, lead.site_city)


def record(lead: Lead, action: str, **extra) -> None:
    """Append a step at the lead's current site (a new list, so that the JSON is saved)."""
    at = history.step(action, utcnow(), lead.site_facility, lead.site_city)
    lead.history = [*steps(lead), at | extra]


def status_time(lead: Lead) -> datetime | None:
    """Return when the lead's current state was recorded (None while it is open)."""
    times = [item["at"] for item in steps(lead) if item["action"] == lead.status]
    return datetime.fromisoformat(times[-1]) if times else None


def forwarded_to(opened: Opened) -> dict | None:
    """Return the step that took the lead away from the site this link was made for."""
    forwards = [item for item in steps(opened.lead) if item["action"] == FORWARDED]
    return forwards[opened.hop] if opened.hop < len(forwards) else None


def log_access(opened: Opened, action: str) -> None:
    """Record that the link was opened or used, at the site it was made for, and commit."""
    moved = forwarded_to(opened)
    site, city = (
        (moved["site"], moved["city"])
        if moved
        else (opened.lead.site_facility, opened.lead.site_city)
    )
    db.session.add(LeadAccess(lead_id=opened.lead.id, site=site, city=city, action=action))
    db.session.commit()


def forward_choices(opened: Opened) -> list[Site]:
    """Return the trial's other recruiting sites that have an address for leads."""
    lead, trial = opened.lead, opened.trial
    operators = load_operator_settings(current_app.config["CONTENT_DIR"], trial.nct_id)
    override = current_app.config["LEAD_EMAIL_OVERRIDE"]
    return [
        site
        for site in trial.sites
        if site.status == RECRUITING
        and (site.facility, site.city) != (lead.site_facility, lead.site_city)
        and (override or site_address(site, operators))
    ]


def act(opened: Opened, action: str, site_id: int | None) -> None:
    """Record an action; a stale link, or an action already recorded, changes nothing."""
    if opened.stale or action not in ACTIONS:
        return
    if action == FORWARD:
        site = next((s for s in forward_choices(opened) if s.id == site_id), None)
        if site is not None and opened.lead.status == OPEN:
            forward(opened, site)
        return
    acknowledge(opened, action)


def acknowledge(opened: Opened, action: str) -> None:
    """Set the lead's state; on the first `contacted`, queue the family's one email."""
    lead, rows = opened.lead, []
    if lead.status != action:
        lead.status = action
        lead.acknowledged_at = lead.acknowledged_at or utcnow()
        record(lead, action)
    if action == CONTACTED and _claim_family_email(lead):
        rows.append(_queue_family_email(opened))
    db.session.commit()
    log.info("leads: lead %s marked %s", lead.reference, action)
    outbox.flush([row.id for row in rows])


def _claim_family_email(lead: Lead) -> bool:
    # One UPDATE decides: two presses at once cannot both send the family an email.
    claimed = db.session.execute(
        update(Lead)
        .where(Lead.id == lead.id, Lead.family_told_at.is_(None))
        .values(family_told_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1


def _claim_hop(lead: Lead, hop: int) -> bool:
    claimed = db.session.execute(
        update(Lead)
        .where(Lead.id == lead.id, Lead.hop == hop, Lead.status == OPEN)
        .values(hop=hop + 1)
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1


def _queue_family_email(opened: Opened):
    lead, trial = opened.lead, opened.trial
    context = {
        "lead": lead,
        "trial": trial,
        "reference": lead.reference,
        "title": trials.trial_title(trial, lead.lang),
        "dir": text_direction(lead.lang),
        "status_url": status_link(lead),
    }
    return outbox.queue_email(
        FAMILY_EMAIL,
        lead.email,
        lead.lang,
        context,
        reply_to=team_address(lead),
        headers={"Content-Language": lead.lang},
        about=(receiving.SUBJECT_TYPE, lead.id),
        sender_name=receiving.sender_name(trial, lead),
    )


def forward(opened: Opened, site: Site) -> None:
    """Route the lead to another site and queue that site's lead email, with its own link."""
    lead, trial = opened.lead, opened.trial
    if not _claim_hop(lead, opened.hop):  # two presses at once: the first one forwards
        db.session.rollback()
        return
    operators = load_operator_settings(current_app.config["CONTENT_DIR"], trial.nct_id)
    override = current_app.config["LEAD_EMAIL_OVERRIDE"]
    record(lead, FORWARDED, to_site=site.facility, to_city=site.city)
    lead.site_facility, lead.site_city, lead.central = site.facility, site.city, False
    lead.distance_km = None  # no coordinates are kept: the distance to the new site is unknown
    lead.staff_email = override or site_address(site, operators)[0]
    lead.staff_language = staff_language(site, operators)
    lead.route_source = "override" if override else "forward"
    lead.hop = opened.hop + 1
    record(lead, RECEIVED)
    row = receiving.queue_staff_email(trial, lead)
    db.session.commit()
    log.info("leads: lead %s forwarded (hop %d)", lead.reference, lead.hop)
    outbox.flush([row.id])
