"""Contact the study team: the form, and the page that confirms a stored request."""

import logging

from flask import abort, current_app, redirect, render_template, request, url_for

from trialfinder.contact import services
from trialfinder.contact.forms import ContactForm
from trialfinder.extensions import limiter
from trialfinder.leads import receiving
from trialfinder.leads.labels import RESPONDENTS
from trialfinder.leads.links import status_path, team_address
from trialfinder.prescreen.sharing import forget_shared, reusable_answers, shared_answers
from trialfinder.trials import services as trials
from trialfinder.trials.services import trial_or_404
from trialfinder.web.caching import form_page
from trialfinder.web.i18n import current_locale, localized_blueprint

bp = localized_blueprint("contact", __name__)
log = logging.getLogger(__name__)


def switching() -> bool:
    """Whether a post only asks for the form in another language (it sends nothing)."""
    return "switch_language" in request.form


@bp.route("/trials/<nct_id>/contact", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["RATELIMIT_CONTACT"], methods=["POST"], exempt_when=switching
)
def contact(nct_id: str):
    trial = trial_or_404(nct_id)
    if not receiving.accepts_requests(trial):
        # No form where nobody real would read it: how to reach the team instead, and alerts.
        if request.method == "GET":
            return render_closed(trial)
        return render_closed(trial, posted=True), 409, {"Cache-Control": "no-store"}
    reuse = known_answers(trial.nct_id)
    if request.method == "GET" and not reuse and shared_answers(trial.nct_id) is None:
        # The blank form: built once per version (a 404 is never kept), the token added last.
        return form_page(lambda: render_form(trial, contact_form(None)))
    shared = shared_answers(trial.nct_id)
    form = contact_form(shared, reuse)
    if form.is_submitted() and form.switch_language.data:
        # Another language: the same form with what was typed, nothing checked, nothing sent.
        return render_form(trial, form), 200, {"Cache-Control": "no-store"}
    if form.is_submitted() and form.website.data:
        log.info("contact: honeypot triggered")  # nothing about the sender: it may be a person
        return redirect(url_for(".received", nct_id=trial.nct_id), 303)
    if form.validate_on_submit():
        keep = shared if shared and form.share_prescreen.data else None
        try:
            lead = services.submit(trial, form, current_locale(), keep)
        except receiving.NoRecipient:  # the addresses changed since the form was shown
            return render_closed(trial, posted=True), 409, {"Cache-Control": "no-store"}
        if keep:
            forget_shared(trial.nct_id)
        return redirect(url_for(".sent", nct_id=trial.nct_id, reference=lead.reference), 303)
    return render_form(trial, form), 200, {"Cache-Control": "no-store"}


def known_answers(nct_id: str) -> dict:
    """Return the contact fields the questionnaire already answered (who is asking)."""
    answers = reusable_answers(nct_id)
    return {"respondent": answers["respondent"]} if answers.get("respondent") in RESPONDENTS else {}


def contact_form(shared: dict | None, reuse: dict | None = None) -> ContactForm:
    """Build the form, filled in from the questionnaire where it already asked.

    Answers shared on the result page keep their box ticked; without shared answers, the
    question about them is left out.
    """
    filled = dict(reuse or {}) | ({"share_prescreen": True} if shared is not None else {})
    form = ContactForm(current_locale(), **filled)
    if shared is None:
        del form.share_prescreen
    return form


def render_closed(trial, posted: bool = False) -> str:
    return render_template(
        "contact/closed.html",
        trial=trial,
        posted=posted,
        title=trials.trial_title(trial, current_locale()),
        contacts=receiving.registry_contacts(trial),
    )


def render_form(trial, form: ContactForm) -> str:
    title = trials.trial_title(trial, current_locale())
    return render_template("contact/form.html", trial=trial, title=title, form=form)


@bp.get("/trials/<nct_id>/contact/sent/<reference>")
def sent(nct_id: str, reference: str):
    trial = trial_or_404(nct_id)
    lead = receiving.find_lead(trial.nct_id, reference)
    if lead is None:
        abort(404)
    return (
        render_template(
            "contact/sent.html",
            trial=trial,
            title=trials.trial_title(trial, current_locale()),
            lead=lead,
            delivery=receiving.delivery(lead),
            mailbox=not current_app.config["MAIL_SERVER"],
            team_email=team_address(lead),
            status_url=status_path(lead, current_locale()),
        ),
        200,
        {"Cache-Control": "no-store"},
    )


@bp.get("/trials/<nct_id>/contact/sent")
def received(nct_id: str):
    trial = trial_or_404(nct_id)
    return render_template(
        "contact/received.html", trial=trial, title=trials.trial_title(trial, current_locale())
    )
