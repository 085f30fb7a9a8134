"""Trial list, overview and FAQ pages."""

from flask import abort, current_app, render_template, request

from ..extensions import db
from ..geo import Place, locate
from ..i18n import current_locale, localized_blueprint
from . import facts, finder, labels, maps
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
bp.add_app_template_global(facts.place, "site_place")
bp.add_app_template_global(facts.age_limit)

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


def visitor_place() -> tuple[str, str, Place | None]:
    """Return the place typed in ?near= (postal code or town), its country and where it is."""
    near = request.args.get("near", "").strip()[:100]
    countries = labels.country_choices(current_locale())
    country = request.args.get("country", DEFAULT_COUNTRY).upper()
    country = country if country in dict(countries) else DEFAULT_COUNTRY
    return near, country, locate(country, near, near) if near else None


@bp.get("/")
def home():
    words = request.args.get("q", "")[:200]
    age = parse_age(request.args.get("age"))
    status = request.args.get("status", "")
    status = status if status in STATUSES else ""
    near, country, place = visitor_place()
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
        site_map=maps.finder_map(results.found, place),
    )


@bp.get("/trials/<nct_id>/")
def overview(nct_id: str):
    trial = trial_or_404(nct_id)
    near, country, place = visitor_place()
    return render_template(
        "trials/overview.html",
        trial=trial,
        content=trial_content(trial),
        near=near,
        place=place,
        country=country,
        site_map=maps.trial_map(trial.sites, place),
        key_facts=facts.key_facts(trial),
    )


@bp.get("/trials/<nct_id>/faq")
def faq(nct_id: str):
    trial = trial_or_404(nct_id)
    return render_template("trials/faq.html", trial=trial, content=trial_content(trial))
