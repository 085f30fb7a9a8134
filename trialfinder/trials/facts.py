"""The facts a parent checks first about a trial, from its record: recruiting, ages, where."""

from babel.lists import format_list
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from trialfinder.lib import countries
from trialfinder.lib.ages import plural_count
from trialfinder.lib.geo import country_code
from trialfinder.trials import labels
from trialfinder.trials.models import Site, Trial
from trialfinder.web.i18n import current_locale, ngettext_count

MAX_PLACES = 3  # more than this and the line would not fit a phone's first screen
ADULT = 18  # years: a study whose oldest are younger takes children only
# The sex limit as a family reads it, by whom the study takes: children only, adults only, or
# both ("Men only" for a study of boys of 1 to 8 would turn a parent away).
SEX_LIMITS = {
    ("FEMALE", "children"): _l("Girls only"),
    ("FEMALE", "adults"): _l("Women only"),
    ("FEMALE", "both"): _l("Women and girls only"),
    ("MALE", "children"): _l("Boys only"),
    ("MALE", "adults"): _l("Men only"),
    ("MALE", "both"): _l("Men and boys only"),
}
# genderBased: the registry says the limit is about gender identity, not sex at birth.
GENDER_LIMITS = {
    ("FEMALE", "children"): _l("Girls only (by gender)"),
    ("FEMALE", "adults"): _l("Women only (by gender)"),
    ("FEMALE", "both"): _l("Women and girls only (by gender)"),
    ("MALE", "children"): _l("Boys only (by gender)"),
    ("MALE", "adults"): _l("Men only (by gender)"),
    ("MALE", "both"): _l("Men and boys only (by gender)"),
}
STUDY_TYPES = {
    "INTERVENTIONAL": _l("Interventional: it tests a treatment or other care"),
    "OBSERVATIONAL": _l("Observational: it watches and records, it gives no study treatment"),
    "EXPANDED_ACCESS": _l("Expanded access: a treatment given outside a trial"),
}


def age_limit(trial: Trial) -> str:
    """Say the ages in the fewest words, in the record's units: '30 and younger' when there is
    only an upper limit in years, 'Up to 5 days', 'From 6 months to 30 years'."""
    low, high = labels.limits_of_ages(*labels.trial_ages(trial))
    if high is not None and low is None and high.unit == "year":
        count = plural_count(high.value, current_locale())
        return ngettext(
            "%(age)s and younger", "%(age)s and younger", count, age=format_decimal(high.value)
        )
    return labels.age_range(low, high)


def country_name(english_name: str, lang: str) -> str:
    """Return the registry's English country name in the page language, or as it is."""
    code = country_code(english_name)
    return countries.country_name(code, lang) if code else english_name


def place(site: Site, lang: str) -> Markup:
    """Describe a site as 'Facility, City (Country)', the country in the page language."""
    # Isolated so that a Latin name keeps its comma in place on a right-to-left page.
    where = Markup("<bdi>{}</bdi>").format(", ".join(p for p in (site.facility, site.city) if p))
    if site.country:
        pattern = Markup.escape(_("%(place)s (%(country)s)"))
        return pattern % {"place": where, "country": country_name(site.country, lang)}
    return where


def places(trial: Trial) -> Markup:
    """List where the trial recruits (every site when none is recruiting), a few at most."""
    lang = current_locale()
    sites = trial.recruiting_sites or trial.sites
    shown = [place(site, lang) for site in sites[:MAX_PLACES]]
    rest = len(sites) - len(shown)
    if rest:
        shown.append(ngettext_count("%(num)s more place", "%(num)s more places", rest))
    if not shown:
        return Markup("")
    return Markup(format_list([Markup.escape(item) for item in shown], locale=lang))


def who(youngest: float | None, oldest: float | None) -> str:
    """Whom a study's ages (in years) take: 'children', 'adults' or 'both'."""
    if oldest is not None and oldest < ADULT:
        return "children"
    if youngest is not None and youngest >= ADULT:
        return "adults"
    return "both"


def sex_limit(eligibility: dict, youngest: float | None = None, oldest: float | None = None) -> str:
    """Say 'Girls only', 'Women only' or 'Women and girls only' (and the same for males) when
    the record limits the sex, by the ages the study takes; nothing for all."""
    sex = str(eligibility.get("sex") or "").upper()
    limits = GENDER_LIMITS if eligibility.get("genderBased") is True else SEX_LIMITS
    return str(limits.get((sex, who(youngest, oldest)), ""))


def gender_note(trial: Trial) -> Markup:
    """Return the registry's own words on a gender-based limit, marked as English; else ''."""
    limit = eligibility(trial)
    if limit.get("genderBased") is not True or not limit.get("genderDescription"):
        return Markup("")
    return Markup('<span lang="en" dir="ltr">{}</span>').format(limit["genderDescription"])


def phase_list(phases) -> str:
    """Name the phases in plain words ('Phase 1 and Phase 2'); 'not applicable' says nothing."""
    named = [labels.phase_label(code) for code in phases or () if code in labels.PHASE_LABELS]
    return format_list(named, locale=current_locale()) if named else ""


def eligibility(trial: Trial) -> dict:
    """Return the record's eligibility module (empty when the record has none)."""
    return ((trial.record or {}).get("protocolSection") or {}).get("eligibilityModule") or {}


def record_facts(trial: Trial) -> list[tuple[str, str]]:
    """Return the study type, phases and healthy volunteers the record states."""
    design = ((trial.record or {}).get("protocolSection") or {}).get("designModule") or {}
    volunteers = eligibility(trial).get("healthyVolunteers") is True
    return [
        (_("Type of study"), str(STUDY_TYPES.get(design.get("studyType"), ""))),
        (_("Phase"), phase_list(design.get("phases"))),
        (_("Healthy volunteers"), _("Can take part") if volunteers else ""),
    ]


def key_facts(trial: Trial) -> list[tuple[str, str]]:
    """Return (term, value) for the first screen: status, ages, where; empty values are skipped."""
    return [
        (_("Status"), labels.status_label(trial.status)),
        (_("Ages"), age_limit(trial)),
        (_("Sex"), sex_limit(eligibility(trial), trial.min_age_years, trial.max_age_years)),
        (_("Where"), places(trial)),
        *record_facts(trial),
    ]
