"""Trial list, overview and FAQ pages."""

from flask import abort, current_app, render_template, request

from ..caching import reading_page
from ..extensions import db
from ..geo import locate
from ..i18n import current_locale, localized_blueprint
from . import finder, labels
from .content import load_content, render_inline, render_text
from .models import Trial
from .nearby import rounded_km

bp = localized_blueprint("trials", __name__)
for helper in (
    labels.status_label,
    labels.phase_label,
    labels.age_range,
    labels.registry_date,
    labels.schema_status,
    labels.country_options,
    render_inline,
    render_text,
    rounded_km,
):
    bp.add_app_template_global(helper)
bp.add_app_template_filter(labels.phase_label)

STATUSES = ("RECRUITING", "NOT_YET_RECRUITING", "ACTIVE_NOT_RECRUITING", "COMPLETED")
DEFAULT_COUNTRY = "ES"  # the postal codes the finder knows are Spanish


def trial_or_404(nct_id: str) -> Trial:
    trial = db.session.get(Trial, nct_id.upper())
    if trial is None:
        abort(404)
    return trial


def trial_content(trial: Trial):
    return load_content(current_app.config["CONTENT_DIR"], trial.nct_id, current_locale())


def parse_age(raw: str | None) -> float | None:
    try:
        age = float(raw) if raw else None
    except ValueError:
        return None
    return age if age is not None and 0 <= age <= 120 else None


@bp.get("/")
@reading_page
def home():
    words = request.args.get("q", "")[:200]
    age = parse_age(request.args.get("age"))
    status = request.args.get("status", "")
    status = status if status in STATUSES else ""
    near = request.args.get("near", "").strip()[:100]
    countries = labels.country_choices(current_locale())
    country = request.args.get("country", DEFAULT_COUNTRY).upper()
    country = country if country in dict(countries) else DEFAULT_COUNTRY
    place = locate(country, near, near) if near else None
    results = finder.find(words, age, status, place)
    return render_template(
        "trials/home.html",
        found=results.found,
        total=results.total,
        contents={item.trial.nct_id: trial_content(item.trial) for item in results.found},
        words=words,
        age=age,
        status=status,
        statuses=STATUSES,
        near=near,
        place=place,
        country=country,
    )


@bp.get("/trials/<nct_id>/")
@reading_page
def overview(nct_id: str):
    trial = trial_or_404(nct_id)
    return render_template("trials/overview.html", trial=trial, content=trial_content(trial))


@bp.get("/trials/<nct_id>/faq")
@reading_page
def faq(nct_id: str):
    trial = trial_or_404(nct_id)
    return render_template("trials/faq.html", trial=trial, content=trial_content(trial))
