"""A lead's staff page: GET shows it and changes nothing; each POST records one action."""

from datetime import datetime

from flask import abort, redirect, render_template, url_for

from trialfinder.leads import services
from trialfinder.leads.forms import ActionForm
from trialfinder.leads.history import OPENED
from trialfinder.trials import services as trials
from trialfinder.web.i18n import current_locale, localized_blueprint

bp = localized_blueprint("leads", __name__)
# The link is the only credential: it must not leave in a Referer or stay in a cache.
# `same-origin`, not `no-referrer`: the page's own POSTs carry its Origin (with no-referrer
# Chromium sends `Origin: null` and no Referer, and the https CSRF check refuses them), while
# any request to another site carries no Referer at all.
PRIVATE = {"Referrer-Policy": "same-origin", "Cache-Control": "no-store", "X-Robots-Tag": "noindex"}


@bp.after_request
def keep_private(response):
    response.headers.update(PRIVATE)
    return response


@bp.route("/leads/<token>", methods=["GET", "POST"])
def lead(token: str):
    opened = services.open_link(token)
    if opened is None:
        abort(404)  # altered, expired or purged: the page says no more than "not found"
    form = ActionForm()
    sites = services.forward_choices(opened)
    form.site.choices = [(site.id, f"{site.facility} ({site.city})") for site in sites]
    if form.validate_on_submit():
        services.log_access(opened, form.action.data)
        services.act(opened, form.action.data, form.site.data)
        return redirect(url_for(".lead", token=token), 303)
    if not form.is_submitted():
        services.log_access(opened, OPENED)  # who opened which lead, when: nothing more
    forwarded = services.forwarded_to(opened)
    page = render_template(
        "leads/lead.html",
        opened=opened,
        lead=opened.lead,
        trial=opened.trial,
        title=trials.trial_title(opened.trial, current_locale()),
        forwarded=forwarded,
        forwarded_at=datetime.fromisoformat(forwarded["at"]) if forwarded else None,
        status_at=services.status_time(opened.lead),
        form=form,
        token=token,
    )
    return page, 400 if form.is_submitted() else 200
