"""Trial list, overview and FAQ pages."""

from flask import current_app, render_template, request

from trialfinder.lib.geo import Place, locate
from trialfinder.trials import facts, labels, maps, services
from trialfinder.trials.content import load_content
from trialfinder.trials.models import Trial
from trialfinder.trials.search import STATUSES, read_search, run_search
from trialfinder.trials.services import trial_or_404
from trialfinder.web.caching import reading_page
from trialfinder.web.i18n import current_locale, localized_blueprint

# Up to this many trials, the home page lists them all above the search form.
FEW_TRIALS = 3

bp = localized_blueprint("trials", __name__)


def trial_content(trial: Trial):
    return load_content(current_app.config["CONTENT_DIR"], trial.nct_id, current_locale())


def visitor_place() -> tuple[str, str, Place | None]:
    """Return the place typed in ?near= (postal code or town), its country and where it is."""
    search = read_search(request.args, current_locale())
    return (
        search.near,
        search.country,
        locate(search.country, search.near, search.near) if search.near else None,
    )


@bp.get("/")
@reading_page
def home():
    search = read_search(request.args, current_locale())
    outcome = run_search(search)
    every = outcome.shown + outcome.outside + outcome.held
    trials = [item.trial for item, _fit in every]
    return render_template(
        "trials/home.html",
        found=outcome.results.found,
        total=outcome.results.total,
        more=outcome.results.more,
        fits={item.trial.nct_id: fit for item, fit in every},
        outside=[item for item, _fit in outcome.outside],
        held=[item for item, _fit in outcome.held],
        contents={trial.nct_id: trial_content(trial) for trial in trials},
        words=search.words,
        age=search.age,
        sex=search.sex,
        sexes=labels.SEX_CHOICES,
        status=search.status,
        statuses=STATUSES,
        near=search.near,
        place=outcome.place,
        country=search.country,
        site_map=maps.finder_map(outcome.results.found, outcome.place),
        few=not searched(search) and 0 < outcome.results.total <= FEW_TRIALS,
    )


def searched(search) -> bool:
    """Return whether the visitor asked for anything (else the home page lists every trial)."""
    return bool(
        search.words or search.age is not None or search.sex or search.status or search.near
    )


@bp.get("/trials/<nct_id>/")
@reading_page
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
        site_map=maps.trial_map(trial.recruiting_sites, place),
        key_facts=facts.key_facts(trial),
    )


@bp.get("/trials/<nct_id>/faq")
@reading_page
def faq(nct_id: str):
    trial = trial_or_404(nct_id)
    content = trial_content(trial)
    generic = services.generic_faq(current_locale())
    return render_template(
        "trials/faq.html",
        trial=trial,
        content=content,
        generic=generic,
        entries=services.faq_entries(trial, content, generic),
    )
