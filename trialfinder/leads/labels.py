"""Words about a lead in the language being rendered (a page, or an email under force_locale).

Functions rather than included .txt templates, so that HTML bodies escape what they return.
"""

from babel import Locale
from flask_babel import format_datetime, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from trialfinder.leads.models import Lead
from trialfinder.lib import countries
from trialfinder.lib.geo import local_distance, roughly
from trialfinder.lib.locales import NATIVE_NAMES
from trialfinder.web.i18n import distance_text

# Who is asking: the contact form offers these, the staff email names the one chosen.
RESPONDENTS = {
    "self": _l("I am the patient"),
    "child": _l("I am a parent or guardian of the patient"),
    "other": _l("I am a relative or friend of the patient"),
    "clinician": _l("I am a doctor or nurse of the patient"),
}


def country_name(code: str) -> str:
    """Return a country's name in the language being rendered (a page or an email)."""
    return countries.country_name(code, str(get_locale()))


def language_name(code: str) -> str:
    """Return a language's name in the language being rendered, falling back to its own name."""
    return Locale.parse(str(get_locale())).languages.get(code) or NATIVE_NAMES.get(code, code)


def respondent_label(code: str) -> str:
    """Return who is asking, in the language being rendered."""
    return str(RESPONDENTS.get(code, code))


def rough_distance(km: float, country: str) -> str:
    """Say roughly how far, to the nearest 10 km (10 miles where miles are said), in the
    language being rendered."""
    if local_distance(km, country)[0] < 5:
        return _("less than %(distance)s", distance=distance_text(km, country, lambda _v: 10))
    return _("about %(distance)s", distance=distance_text(km, country, roughly))


def route_lines(lead: Lead) -> list[str]:
    """Tell the staff where a lead went and how the family was located, in their language."""
    if lead.central:
        where = _("This request went to the trial’s central contact.")
    elif lead.distance_km is not None:
        where = _(
            "Nearest hospital taking part: %(site)s (%(city)s), %(distance)s from the family.",
            site=lead.site_facility,
            city=lead.site_city,
            distance=rough_distance(lead.distance_km, lead.country),
        )
    else:
        where = _("Hospital: %(site)s (%(city)s).", site=lead.site_facility, city=lead.site_city)
    how = {
        "postal_code": _(
            "Location worked out from the postal code (%(place)s).", place=lead.location_label
        ),
        "city": _("Location worked out from the town (%(place)s).", place=lead.location_label),
        "browser": _("Location given by the family’s browser, at their request."),
    }.get(lead.location_source)
    return [
        where,
        how or _("The family’s location could not be worked out from what they entered."),
    ]


def who_has_it(lead: Lead, title: str) -> str:
    """Tell the family who has their request, for the one email `contacted` sends."""
    if lead.central or not lead.site_facility:
        return _(
            "The trial’s central team has your request about the study %(title)s and will "
            "contact you.",
            title=title,
        )
    return _(
        "The study team at %(site)s (%(city)s) has your request about the study %(title)s and "
        "will contact you.",
        site=lead.site_facility,
        city=lead.site_city,
        title=title,
    )


def where_it_waits(lead: Lead, title: str) -> str:
    """Tell the central contact where an unanswered lead waits, and since when."""
    values = {
        "reference": lead.reference,
        "title": title,
        "nct": lead.nct_id,
        "date": format_datetime(lead.created_at, "long"),
    }
    if lead.central or not lead.site_facility:
        return _(
            "Contact request %(reference)s about the study %(title)s (%(nct)s) went to the "
            "trial’s central contact on %(date)s, and nobody has recorded an answer.",
            **values,
        )
    return _(
        "Contact request %(reference)s about the study %(title)s (%(nct)s) went to %(site)s "
        "(%(city)s) on %(date)s, and nobody there has recorded an answer.",
        site=lead.site_facility,
        city=lead.site_city,
        **values,
    )
