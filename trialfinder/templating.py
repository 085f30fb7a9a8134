"""Every name a template can use beyond Jinja's own, registered in one place.

Pages, emails and the pre-screen result share these: none depends on which blueprint was
imported first. The web layer's own helpers (the locale, `switch_url`, `format_number`, the
email filters) are registered by `web.init_app`; the features' helpers are listed here.
"""

from flask import Flask

from trialfinder.leads import labels as lead_labels
from trialfinder.leads import receiving
from trialfinder.notes import services as notes
from trialfinder.prescreen import services as prescreen
from trialfinder.trials import facts, labels
from trialfinder.trials.content import render_inline, render_text
from trialfinder.trials.nearby import rounded_km
from trialfinder.trials.registry_text import render_registry

GLOBALS = {
    # trials: statuses, phases, ages, dates and texts, on pages and in emails
    "status_label": labels.status_label,
    "phase_label": labels.phase_label,
    "age_range": labels.age_range,
    "trial_ages": labels.trial_ages,
    "registry_date": labels.registry_date,
    "schema_status": labels.schema_status,
    "country_options": labels.country_options,
    "fit_sentences": labels.fit_sentences,
    "status_reason": labels.status_reason,
    "verified_date": labels.verified_date,
    "render_inline": render_inline,
    "render_text": render_text,
    "render_registry": render_registry,
    "rounded_km": rounded_km,
    "site_place": facts.place,
    "age_limit": facts.age_limit,
    "gender_note": facts.gender_note,
    # the pre-screen: whether a trial has one
    "has_questionnaire": prescreen.has_questionnaire,
    # leads: the staff email, the staff page and the contact form
    "country_name": lead_labels.country_name,
    "language_name": lead_labels.language_name,
    "respondent_label": lead_labels.respondent_label,
    "rough_distance": lead_labels.rough_distance,
    "route_lines": lead_labels.route_lines,
    "who_has_it": lead_labels.who_has_it,
    "where_it_waits": lead_labels.where_it_waits,
    "accepts_requests": receiving.accepts_requests,
    "registry_contacts": receiving.registry_contacts,
    # notes: the trial pages' panel enforces the API's limits before anything is sent
    "notes_limits": notes.LIMITS,
}
FILTERS = {"phase_label": labels.phase_label}


def init_app(app: Flask) -> None:
    """Give every template the features' helpers."""
    app.jinja_env.globals.update(GLOBALS)
    app.jinja_env.filters.update(FILTERS)
