"""Receiving a lead: route it, store it with its two emails in one transaction, then send.

The contact form (contact/) hands over what the visitor typed and where they are; everything
after that belongs here.
"""

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from trialfinder.extensions import db
from trialfinder.leads.links import lead_link, status_link, team_address
from trialfinder.leads.models import Lead, new_reference
from trialfinder.leads.reach import is_real, reachable
from trialfinder.leads.routing import Route, choose_route, nearest_route
from trialfinder.leads.sites import load_operator_settings
from trialfinder.lib import geo
from trialfinder.lib.clock import utcnow
from trialfinder.outbox import services as outbox
from trialfinder.outbox import state
from trialfinder.outbox.models import OutboxMessage
from trialfinder.prescreen.sharing import staff_summary
from trialfinder.trials import services as trials
from trialfinder.trials.models import Trial
from trialfinder.web.i18n import text_direction

log = logging.getLogger(__name__)


class NoRecipient(Exception):
    """No real address would get this trial's requests: nothing may be stored or confirmed."""


SUBJECT_TYPE = "lead"
STAFF_EMAIL, CONFIRMATION_EMAIL = "lead_staff", "lead_confirmation"
REFERENCE_TRIES = 5


def route_for(trial: Trial, place: geo.Place | None) -> Route:
    """Choose the site and address that answer a visitor at a place."""
    config = current_app.config
    return choose_route(
        list(trial.sites),
        (place.lat, place.lon) if place else None,
        central_emails=trial.central_emails,
        operators=load_operator_settings(config["CONTENT_DIR"], trial.nct_id),
        default_email=config["DEFAULT_LEAD_EMAIL"],
        override=config["LEAD_EMAIL_OVERRIDE"],
    )


def contact_routes(trial: Trial) -> list[Route]:
    """Return the routes that reach a real address; empty when the form must not be offered."""
    config = current_app.config
    return reachable(
        trial.status,
        list(trial.sites),
        central_emails=trial.central_emails,
        operators=load_operator_settings(config["CONTENT_DIR"], trial.nct_id),
        default_email=config["DEFAULT_LEAD_EMAIL"],
        override=config["LEAD_EMAIL_OVERRIDE"],
        strict=config["SERVES_PUBLIC"],
    )


def accepts_requests(trial: Trial) -> bool:
    """Whether the contact form is offered: the study takes people and someone real reads it."""
    return bool(contact_routes(trial))


def registry_contacts(trial: Trial) -> list[dict]:
    """Return the registry's central contacts (name, phone, email) to show when no form is."""
    module = (trial.record.get("protocolSection") or {}).get("contactsLocationsModule") or {}
    contacts = []
    for entry in module.get("centralContacts") or []:
        if not isinstance(entry, dict):
            continue
        phone = " ".join(str(entry.get(key) or "") for key in ("phoneExt", "phone")).strip()
        found = {"name": entry.get("name") or "", "phone": phone, "email": entry.get("email") or ""}
        if found["phone"] or found["email"]:
            contacts.append(found)
    return contacts


def deliverable_route(trial: Trial, place: geo.Place | None) -> Route:
    """Return the route of a request: the nearest reachable one, never an address nobody reads."""
    routes = contact_routes(trial)
    if not routes:
        raise NoRecipient(trial.nct_id)
    route = route_for(trial, place)
    if is_real(route.email, current_app.config["SERVES_PUBLIC"]):
        return route
    # The nearest site gives no address, and no central one does: the nearest site that gives
    # one (not the first of the record: Anchorage for a family in Boston), else the first.
    return nearest_route(routes, (place.lat, place.lon) if place else None) or routes[0]


def build_lead(
    details: dict, trial: Trial, lang: str, place: geo.Place | None, route: Route, shared
) -> Lead:
    """Return a new, unsaved lead from what the visitor gave (`details`) and its route."""
    return Lead(
        reference=new_reference(),
        nct_id=trial.nct_id,
        lang=lang,
        **details,
        prescreen=shared,
        location_label=place.label if place else "",
        location_source=place.source if place else "",
        site_facility=route.site.facility if route.site else "",
        site_city=route.site.city if route.site else "",
        distance_km=round(route.distance_km, 1) if route.distance_km is not None else None,
        central=route.site is None,
        staff_email=route.email or "",
        staff_language=route.staff_language,
        route_source=route.source,
    )


def receive(
    trial: Trial, details: dict, place: geo.Place | None, lang: str, shared: dict | None
) -> Lead:
    """Store the lead and queue both emails in one commit, then try to send them at once."""
    route = deliverable_route(trial, place)
    for _attempt in range(REFERENCE_TRIES):
        lead = build_lead(details, trial, lang, place, route, shared)
        try:
            db.session.add(lead)
            db.session.flush()  # the id ties the emails to the lead, for purging
            rows = queue_emails(trial, lead)
            db.session.commit()
            break
        except IntegrityError:  # the random reference was taken: draw another one
            db.session.rollback()
    else:
        raise RuntimeError("could not draw a free lead reference")
    log.info(
        "contact: lead %s stored for %s (route: %s)", lead.reference, trial.nct_id, route.source
    )
    outbox.flush([row.id for row in rows])
    return lead


def sender_name(trial: Trial, lead: Lead) -> str:
    """Name the trial and the hospital holding a lead: the display name of its emails."""
    name = trial.acronym or trial.nct_id
    if lead.central or not lead.site_facility:
        return name
    return f"{name} · {lead.site_facility}"


def queue_emails(trial: Trial, lead: Lead) -> list[OutboxMessage]:
    """Queue the staff email (when the lead has an address) and the inquirer's copy."""
    rows = []
    if lead.staff_email:
        rows.append(queue_staff_email(trial, lead))
    else:
        log.warning(
            "contact: lead %s has no staff address; only the copy is queued", lead.reference
        )
    rows.append(_queue(CONFIRMATION_EMAIL, trial, lead, lead.email, lead.lang, None))
    return rows


def queue_staff_email(trial: Trial, lead: Lead) -> OutboxMessage:
    """Queue the lead email to the site's address, with its link to acknowledge or forward."""
    summary = None
    if lead.prescreen:
        summary = staff_summary(trial.nct_id, lead.prescreen, lead.staff_language)
    return _queue(STAFF_EMAIL, trial, lead, lead.staff_email, lead.staff_language, summary)


def _queue(template, trial, lead, recipient, lang, summary) -> OutboxMessage:
    staff = template == STAFF_EMAIL
    context = {
        "lead_url": lead_link(lead) if staff else "",
        # The family's copy carries nothing typed into the form: a stranger may have typed
        # someone else's address, so only the reference, trial, hospital and this link go.
        "status_url": "" if staff else status_link(lead),
        "trial": trial,
        "lead": lead,
        "reference": lead.reference,
        "title": trials.trial_title(trial, lang),
        "summary": summary,
        "dir": text_direction(lang),
    }
    return outbox.queue_email(
        template,
        recipient,
        lang,
        context,
        # Replies from the site go straight to the family; the family's replies to the team.
        reply_to=lead.email if staff else team_address(lead),
        headers={"Content-Language": lang},
        about=(SUBJECT_TYPE, lead.id),
        sender_name=sender_name(trial, lead),
    )


def find_lead(nct_id: str, reference: str) -> Lead | None:
    """Return the lead with this reference for this trial, or None."""
    return db.session.scalar(
        select(Lead).where(Lead.reference == reference.upper(), Lead.nct_id == nct_id)
    )


def delivery(lead: Lead) -> str:
    """Say where the emails stand: 'sent', 'waiting', 'refused' or 'copy_refused'."""
    # refused: the staff's server answered 5xx; copy_refused: only the family's copy bounced.
    statuses = dict(
        db.session.execute(
            select(OutboxMessage.kind, OutboxMessage.status).where(
                OutboxMessage.subject_type == SUBJECT_TYPE, OutboxMessage.subject_id == lead.id
            )
        ).all()
    )
    staff = {state.SENT: "sent", state.FAILED: "refused"}.get(statuses.get(STAFF_EMAIL), "waiting")
    if staff == "sent" and statuses.get(CONFIRMATION_EMAIL) == state.FAILED:
        return "copy_refused"
    return staff


def purge(older_than_days: int) -> tuple[int, int]:
    """Delete leads older than some days and their emails; return how many of each."""
    cutoff = utcnow() - timedelta(days=older_than_days)
    ids = list(db.session.scalars(select(Lead.id).where(Lead.created_at < cutoff)))
    messages = 0
    for start in range(0, len(ids), 500):  # stay under the database's parameter limit
        chunk = ids[start : start + 500]
        messages += db.session.execute(
            delete(OutboxMessage).where(
                OutboxMessage.subject_type == SUBJECT_TYPE, OutboxMessage.subject_id.in_(chunk)
            )
        ).rowcount
        db.session.execute(delete(Lead).where(Lead.id.in_(chunk)))
    db.session.commit()
    return len(ids), messages
