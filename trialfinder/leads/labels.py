"""Sentences about a lead in the language being rendered (a page, or an email under force_locale).

Functions rather than included .txt templates, so that HTML bodies escape what they return.
"""

from flask_babel import format_datetime
from flask_babel import gettext as _

from trialfinder.leads.models import Lead


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
