"""A family's status page: GET only, changes nothing, kept out of caches and referrers."""

from flask import abort, render_template

from trialfinder.leads.links import team_address
from trialfinder.requests import services
from trialfinder.trials.services import trial_title
from trialfinder.web.i18n import current_locale, localized_blueprint

bp = localized_blueprint("requests", __name__)
# The link is the family's only key: no cache keeps the page, no other site sees the address.
PRIVATE = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "same-origin",
    "X-Robots-Tag": "noindex",
}


@bp.after_request
def keep_private(response):
    response.headers.update(PRIVATE)
    return response


@bp.get("/requests/<token>")
def status(token: str):
    followed = services.follow(token)
    if followed is None:
        abort(404)  # altered, expired or purged: the ordinary "not found"
    return render_template(
        "requests/status.html",
        followed=followed,
        lead=followed.lead,
        trial=followed.trial,
        title=trial_title(followed.trial, current_locale()),
        team_email=team_address(followed.lead),
    )
