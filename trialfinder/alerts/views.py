"""Alert pages: sign up, check your email, confirm, unsubscribe (by button or in one click)."""

import logging

from flask import current_app, redirect, render_template, request, url_for

from trialfinder.alerts import services
from trialfinder.alerts.forms import ConfirmForm, SignupForm, UnsubscribeForm
from trialfinder.alerts.matching import folded
from trialfinder.alerts.models import Subscriber  # noqa: F401 - the metadata knows every table
from trialfinder.alerts.tokens import ExpiredLink, InvalidLink
from trialfinder.extensions import limiter
from trialfinder.web.caching import form_page
from trialfinder.web.i18n import current_locale, localized_blueprint
from trialfinder.web.security import csrf

bp = localized_blueprint("alerts", __name__)
# A page reached by a signed link: not kept by caches, the link not sent on to other sites.
PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "same-origin"}
log = logging.getLogger(__name__)


def link_problem(expired: bool) -> tuple[str, int]:
    """Explain a link that was altered (400) or is too old or replaced (410)."""
    return render_template("alerts/link_problem.html", expired=expired), 410 if expired else 400


@bp.route("/alerts", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_ALERTS"], methods=["POST"])
def signup():
    conditions = services.interest_choices()
    if request.method == "GET":  # built once per interest asked for; the token is added last
        wanted = folded(request.args.get("interest", "")[:300])
        return form_page(lambda: blank_signup(conditions, wanted), wanted)
    form = SignupForm(conditions=conditions, lang=current_locale())
    if form.validate_on_submit():
        if form.website.data:
            log.info("alerts: sign-up with the honeypot filled; nothing kept or sent")
        else:
            services.sign_up(form.email.data, form.preferences())
        return redirect(url_for(".check_email"))
    return render_template("alerts/signup.html", form=form, conditions=conditions)


def blank_signup(conditions: list[str], wanted: str) -> str:
    """Render the sign-up form with the interest a trial page linked with ticked."""
    form = SignupForm(conditions=conditions, lang=current_locale())
    form.interests.data = [choice for choice in conditions if folded(choice) == wanted]
    return render_template("alerts/signup.html", form=form, conditions=conditions)


@bp.get("/alerts/check-email")
def check_email():
    return render_template("alerts/check_email.html")


@bp.route("/alerts/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str):
    # GET only shows a button: a mail scanner that opens every link confirms nothing.
    form = ConfirmForm()
    try:
        if form.validate_on_submit():
            services.confirm(token)
            return redirect(url_for(".confirmed"), 303)
        services.confirm_target(token)
    except (InvalidLink, ExpiredLink) as error:
        return link_problem(isinstance(error, ExpiredLink))
    page = render_template("alerts/confirm.html", form=form, token=token)
    return page, 400 if form.is_submitted() else 200, PRIVATE


@bp.get("/alerts/confirmed")
def confirmed():
    return render_template("alerts/confirmed.html")


@bp.route("/alerts/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token: str):
    form = UnsubscribeForm()
    try:
        if form.validate_on_submit():
            services.unsubscribe(token)
            return redirect(url_for(".unsubscribed"))
        still_there = services.unsubscribe_target(token)
    except InvalidLink:
        return link_problem(expired=False)
    if still_there is None:
        return redirect(url_for(".unsubscribed"))
    return render_template("alerts/unsubscribe.html", form=form, token=token)


@bp.post("/alerts/unsubscribe/<token>/one-click")
@csrf.exempt  # RFC 8058: mail apps POST here without a form; the signed token is the proof
def one_click(token: str):
    try:
        services.unsubscribe(token)
    except InvalidLink:
        return link_problem(expired=False)
    return render_template("alerts/unsubscribed.html")


@bp.get("/alerts/unsubscribe/<token>/one-click", endpoint="one_click_page")
def one_click_page(token: str):
    # Mail apps without one-click support open the link: ask with a button, never on GET.
    return redirect(url_for(".unsubscribe", token=token))


@bp.get("/alerts/unsubscribed")
def unsubscribed():
    return render_template("alerts/unsubscribed.html")
