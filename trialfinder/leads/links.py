"""The address of a lead's staff page, for the emails that carry it."""

from flask import current_app

from trialfinder.alerts.services import absolute_url
from trialfinder.leads.models import Lead
from trialfinder.leads.tokens import make_token


def lead_link(lead: Lead, lang: str | None = None) -> str:
    """Return {BASE_URL}/<lang>/leads/<token> for the lead's current site (its staff language)."""
    token = make_token(current_app.secret_key, lead.id, lead.hop)
    return absolute_url("leads.lead", lang=lang or lead.staff_language, token=token)
