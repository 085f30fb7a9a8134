"""A family's rights of access and erasure: everything held about one email address.

`flask leads export --email` and `flask leads erase --email` answer a request a family sends
to the DPO or the contact address. Addresses match whatever their case.
"""

from datetime import datetime

from sqlalchemy import delete, func, or_, select

from trialfinder.alerts.models import AlertSent, Subscriber
from trialfinder.alerts.services import ABOUT as SUBSCRIBER
from trialfinder.extensions import db
from trialfinder.leads.models import Lead
from trialfinder.leads.receiving import SUBJECT_TYPE as LEAD
from trialfinder.outbox.models import OutboxMessage

LEAD_FIELDS = (
    "reference nct_id lang first_name last_name email phone preferred_language other_language "
    "respondent country postal_code city message prescreen location_label site_facility "
    "site_city distance_km central status history"
).split()
LEAD_TIMES = ("created_at", "acknowledged_at", "family_told_at", "reminded_at", "escalated_at")
SUBSCRIBER_FIELDS = "email language interests age_years country postal_code pending".split()
SUBSCRIBER_TIMES = ("created_at", "requested_at", "confirmed_at", "last_alert_at")


def _time(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") + "Z" if value else None


def _same(column, address: str):
    return func.lower(column) == address.strip().lower()


def _leads(address: str) -> list[Lead]:
    return list(
        db.session.scalars(select(Lead).where(_same(Lead.email, address)).order_by(Lead.id))
    )


def _subscribers(address: str) -> list[Subscriber]:
    query = select(Subscriber).where(_same(Subscriber.email, address)).order_by(Subscriber.id)
    return list(db.session.scalars(query))


def _emails_clause(address: str, leads: list[Lead], subscribers: list[Subscriber]):
    """Emails to or from the address, and every email about its requests and subscriptions."""
    return or_(
        _same(OutboxMessage.recipient, address),
        _same(OutboxMessage.reply_to, address),
        (OutboxMessage.subject_type == LEAD) & OutboxMessage.subject_id.in_([r.id for r in leads]),
        (OutboxMessage.subject_type == SUBSCRIBER)
        & OutboxMessage.subject_id.in_([s.id for s in subscribers]),
    )


def _lead(lead: Lead) -> dict:
    return {name: getattr(lead, name) for name in LEAD_FIELDS} | {
        name: _time(getattr(lead, name)) for name in LEAD_TIMES
    }


def _subscriber(subscriber: Subscriber) -> dict:
    sent = db.session.scalars(
        select(AlertSent).where(AlertSent.subscriber_id == subscriber.id).order_by(AlertSent.id)
    )
    return (
        {name: getattr(subscriber, name) for name in SUBSCRIBER_FIELDS}
        | {name: _time(getattr(subscriber, name)) for name in SUBSCRIBER_TIMES}
        | {
            "alerts_sent": [
                {"trial": row.nct_id, "version": row.version, "sent_at": _time(row.sent_at)}
                for row in sent
            ]
        }
    )


def _email(row: OutboxMessage) -> dict:
    return {
        "kind": row.kind,
        "to": row.recipient,
        "reply_to": row.reply_to,
        "subject": row.subject,
        "status": row.status,
        "queued_at": _time(row.created_at),
        "sent_at": _time(row.sent_at),
        # Bodies are dropped once delivered; one still waiting is shown as it will go out.
        "body": row.body_text or None,
    }


def export(address: str) -> dict:
    """Return everything held about an address: requests, emails, alert subscriptions."""
    leads, subscribers = _leads(address), _subscribers(address)
    emails = db.session.scalars(
        select(OutboxMessage)
        .where(_emails_clause(address, leads, subscribers))
        .order_by(OutboxMessage.id)
    )
    return {
        "email": address.strip(),
        "contact_requests": [_lead(lead) for lead in leads],
        "emails": [_email(row) for row in emails],
        "alert_subscriptions": [_subscriber(subscriber) for subscriber in subscribers],
    }


def erase(address: str) -> dict[str, int]:
    """Delete everything held about an address and commit; return how many of each."""
    leads, subscribers = _leads(address), _subscribers(address)
    emails = db.session.execute(
        delete(OutboxMessage)
        .where(_emails_clause(address, leads, subscribers))
        .execution_options(synchronize_session=False)
    ).rowcount
    ids = [subscriber.id for subscriber in subscribers]
    db.session.execute(delete(AlertSent).where(AlertSent.subscriber_id.in_(ids)))
    for row in [*leads, *subscribers]:
        db.session.delete(row)
    db.session.commit()
    return {
        "contact_requests": len(leads),
        "emails": emails,
        "alert_subscriptions": len(subscribers),
    }
