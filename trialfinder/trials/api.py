"""JSON API of the finder: GET /api/v1/trials?q=&age=&sex=&status=&near=&country=&lang=."""

from flask import Blueprint, jsonify, request, url_for

from trialfinder.lib.statuses import TAKING_PEOPLE
from trialfinder.trials import labels
from trialfinder.trials.nearby import rounded_km
from trialfinder.trials.search import Search, read_search, run_search
from trialfinder.web.i18n import api_language, current_locale

api = Blueprint("trials_api", __name__, url_prefix="/api/v1")
api.before_request(api_language)


def result_json(item, fit) -> dict:
    trial = item.trial
    nearest = None
    if item.site is not None:
        nearest = {
            "facility": item.site.facility,
            "city": item.site.city,
            "recruiting": item.site.status == "RECRUITING" and trial.status in TAKING_PEOPLE,
            "km": rounded_km(item.km),
        }
    return {
        "nct_id": trial.nct_id,
        "title": trial.brief_title,
        "status": trial.status,
        "status_label": labels.status_label(trial.status),
        "ages": labels.age_range(*labels.trial_ages(trial)),
        "sex": trial.sex,
        "url": url_for(
            "trials.overview", nct_id=trial.nct_id, lang=current_locale(), _external=True
        ),
        "fit": {
            "code": fit.code,
            "reasons": list(fit.reasons),
            "text": labels.fit_sentences(trial, fit),
        },
        "nearest_site": nearest,
    }


@api.get("/trials")
def trials():
    """Return the trials that match, each with its fit by age and sex and its nearest site."""
    search: Search = read_search(request.args, current_locale())
    found = run_search(search)
    return jsonify(
        lang=current_locale(),
        total=found.results.total,
        more=found.results.more,  # more than `total` match: counting stops at 1,000
        place=found.place.label if found.place else None,
        results=[result_json(item, fit) for item, fit in found.shown],
        not_fitting=[result_json(item, fit) for item, fit in found.outside],
    )
