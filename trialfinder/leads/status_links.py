"""The family's way back: the status link in its emails, and the address that reaches the team."""

from flask import current_app, url_for

from trialfinder.alerts.services import absolute_url
from trialfinder.leads.models import Lead
from trialfinder.leads.status_tokens import make_token


def status_link(lead: Lead) -> str:
    """Return {BASE_URL}/<lang>/requests/<token>, in the family's language."""
    token = make_token(current_app.secret_key, lead.id, lead.reference)
    return absolute_url("requests.status", lang=lead.lang, token=token)


def status_path(lead: Lead, lang: str) -> str:
    """Return the status page's path on this site, in a language (for a page, not an email)."""
    token = make_token(current_app.secret_key, lead.id, lead.reference)
    return url_for("requests.status", lang=lang, token=token)


def team_address(lead: Lead) -> str:
    """Return the address that reaches the team holding the request ('' when none is known).

    TRIALFINDER_CONTACT_EMAIL when set, else the lead address of the site it was routed to.
    """
    return current_app.config["CONTACT_EMAIL"] or lead.staff_email or ""
