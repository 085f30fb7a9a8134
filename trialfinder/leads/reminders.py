"""`flask leads remind`: one reminder to the site, then one escalation, for each open lead."""

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from trialfinder.extensions import db
from trialfinder.leads import receiving
from trialfinder.leads.history import ESCALATED, OPEN, REMINDED
from trialfinder.leads.languages import central_language
from trialfinder.leads.links import lead_link
from trialfinder.leads.models import Lead
from trialfinder.leads.services import record
from trialfinder.lib.clock import utcnow
from trialfinder.outbox import services as outbox
from trialfinder.outbox.models import OutboxMessage
from trialfinder.trials import services as trials
from trialfinder.trials.models import Trial
from trialfinder.web.i18n import text_direction

log = logging.getLogger(__name__)
REMINDER_EMAIL, ESCALATION_EMAIL = "lead_reminder", "lead_escalation"


def remind() -> tuple[int, int]:
    """Queue and send due reminders and escalations; return how many of each were queued."""
    config, now = current_app.config, utcnow()
    reminder_due = now - timedelta(hours=config["LEAD_REMIND_HOURS"])
    escalation_due = now - timedelta(hours=config["LEAD_ESCALATE_HOURS"])
    reminders = [_send(lead_id, REMINDED) for lead_id in _due(Lead.reminded_at, reminder_due)]
    escalations = [_send(lead_id, ESCALATED) for lead_id in _due(Lead.escalated_at, escalation_due)]
    rows = [row for row in reminders + escalations if row is not None]
    outbox.flush([row.id for row in rows])
    return sum(row is not None for row in reminders), sum(row is not None for row in escalations)


def _due(column, cutoff: datetime) -> list[int]:
    query = select(Lead.id).where(Lead.status == OPEN, column.is_(None), Lead.created_at <= cutoff)
    return list(db.session.scalars(query.order_by(Lead.id)))


def escalation_address(trial: Trial) -> str | None:
    """Return the trial's central contact from the record, else TRIALFINDER_DEFAULT_LEAD_EMAIL."""
    config = current_app.config
    central = [email for email in trial.central_emails or [] if email]
    return (
        config["LEAD_EMAIL_OVERRIDE"]
        or (central[0] if central else None)
        or (config["DEFAULT_LEAD_EMAIL"])
    )


def _send(lead_id: int, action: str) -> OutboxMessage | None:
    """Claim one lead for one reminder or escalation, queue it and commit; None if not ours."""
    lead = db.session.get(Lead, lead_id)
    trial = db.session.get(Trial, lead.nct_id)
    escalate = action == ESCALATED
    recipient = escalation_address(trial) if escalate and trial else lead.staff_email
    if not recipient or trial is None:
        log.warning("leads: lead %s has no address for its %s", lead.reference, action)
        return None
    column = Lead.escalated_at if escalate else Lead.reminded_at
    claimed = db.session.execute(  # one UPDATE decides, however many runs overlap
        update(Lead)
        .where(Lead.id == lead.id, Lead.status == OPEN, column.is_(None))
        .values({column.key: utcnow()})
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        return None
    record(lead, action)
    row = _queue(lead, trial, recipient, escalate)
    db.session.commit()
    log.info("leads: %s queued for lead %s", action, lead.reference)
    return row


def _queue(lead: Lead, trial: Trial, recipient: str, escalate: bool) -> OutboxMessage:
    # The central team reads its sites' language (en when they span several).
    lang = central_language(trial.sites) if escalate else lead.staff_language
    context = {
        "lead": lead,
        "trial": trial,
        "reference": lead.reference,
        "title": trials.trial_title(trial, lang),
        "lead_url": lead_link(lead, lang),
        "dir": text_direction(lang),
    }
    return outbox.queue_email(
        ESCALATION_EMAIL if escalate else REMINDER_EMAIL,
        recipient,
        lang,
        context,
        headers={"Content-Language": lang},
        about=(receiving.SUBJECT_TYPE, lead.id),
        sender_name=receiving.sender_name(trial, lead),
    )
