"""The links of a lead in emails and pages: the staff page, the family's status page."""

from flask import current_app, url_for

from trialfinder.leads import tokens
from trialfinder.leads.models import Lead
from trialfinder.web.urls import absolute_url


def lead_link(lead: Lead, lang: str | None = None) -> str:
    """Return {BASE_URL}/<lang>/leads/<token> for the lead's current site (its staff language)."""
    token = tokens.STAFF.make(current_app.secret_key, lead.id, lead.hop)
    return absolute_url("leads.lead", lang=lang or lead.staff_language, token=token)


def status_link(lead: Lead) -> str:
    """Return {BASE_URL}/<lang>/requests/<token>, in the family's language."""
    token = tokens.STATUS.make(current_app.secret_key, lead.id, lead.reference)
    return absolute_url("requests.status", lang=lead.lang, token=token)


def status_path(lead: Lead, lang: str) -> str:
    """Return the status page's path on this site, in a language (for a page, not an email)."""
    token = tokens.STATUS.make(current_app.secret_key, lead.id, lead.reference)
    return url_for("requests.status", lang=lang, token=token)


def team_address(lead: Lead) -> str:
    """Return the address that reaches the team holding the request ('' when none is known).

    TRIALFINDER_CONTACT_EMAIL when set, else the lead address of the site it was routed to.
    """
    return current_app.config["CONTACT_EMAIL"] or lead.staff_email or ""
