"""Translated labels for registry codes."""

from datetime import date

from babel.dates import format_skeleton
from flask_babel import format_date, format_decimal, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import inspect

from trialfinder.lib.ages import Age, age_from_years, plural_count, record_ages
from trialfinder.web.i18n import current_locale

STATUS_LABELS = {
    "RECRUITING": _l("Recruiting: looking for participants"),
    "NOT_YET_RECRUITING": _l("Not yet recruiting"),
    "ACTIVE_NOT_RECRUITING": _l("Active, no longer recruiting"),
    "ENROLLING_BY_INVITATION": _l("Enrolling by invitation only"),
    "COMPLETED": _l("Completed"),
    "SUSPENDED": _l("Suspended"),
    "TERMINATED": _l("Stopped early"),
    "WITHDRAWN": _l("Withdrawn"),
    "UNKNOWN": _l("Status not confirmed"),
    "WITHHELD": _l("Status not made public"),
    "AVAILABLE": _l("Available outside a trial"),
    "NO_LONGER_AVAILABLE": _l("No longer available"),
    "TEMPORARILY_NOT_AVAILABLE": _l("Not available for now"),
    "APPROVED_FOR_MARKETING": _l("Approved for sale"),
}
# Why a study takes no one new (or not yet), in plain words, on its page and its contact page.
STATUS_REASONS = {
    "NOT_YET_RECRUITING": _l("This study has not started to take participants yet."),
    "ENROLLING_BY_INVITATION": _l("This study only takes people whom the study team invites."),
    "ACTIVE_NOT_RECRUITING": _l(
        "This study is still going on, but it no longer takes new participants."
    ),
    "COMPLETED": _l("This study has ended. It no longer takes participants."),
    "TERMINATED": _l("This study was stopped early. It no longer takes participants."),
    "WITHDRAWN": _l("This study was cancelled before anyone took part. It will not take place."),
    "SUSPENDED": _l("This study is paused for now. It takes no new participants."),
    "UNKNOWN": _l(
        "The study team has not confirmed in the registry for a long time whether this study "
        "still takes participants. It may have ended."
    ),
}
CLOSED_REASON = _l("This study does not take new participants.")
PHASE_LABELS = {
    "EARLY_PHASE1": _l("Early phase 1"),
    "PHASE1": _l("Phase 1"),
    "PHASE2": _l("Phase 2"),
    "PHASE3": _l("Phase 3"),
    "PHASE4": _l("Phase 4"),
}
# schema.org MedicalStudyStatus names for the JSON-LD.
SCHEMA_STATUS = {
    "RECRUITING": "https://schema.org/Recruiting",
    "NOT_YET_RECRUITING": "https://schema.org/NotYetRecruiting",
    "ACTIVE_NOT_RECRUITING": "https://schema.org/ActiveNotRecruiting",
    "ENROLLING_BY_INVITATION": "https://schema.org/EnrollingByInvitation",
    "COMPLETED": "https://schema.org/Completed",
    "SUSPENDED": "https://schema.org/Suspended",
    "TERMINATED": "https://schema.org/Terminated",
    "WITHDRAWN": "https://schema.org/Withdrawn",
}


def status_label(code: str) -> str:
    return str(STATUS_LABELS.get(code, code.replace("_", " ").title()))


def status_reason(code: str) -> str:
    """Say why a study takes no one new, or '' for a recruiting one."""
    if code == "RECRUITING":
        return ""
    return str(STATUS_REASONS.get(code, CLOSED_REASON))


def verified_date(record: dict) -> str:
    """Return the month the registry last confirmed the record's status, formatted, or ''."""
    status = (record.get("protocolSection") or {}).get("statusModule") or {}
    text = status.get("statusVerifiedDate")
    return registry_date(text) if isinstance(text, str) and text else ""


def date_facts(trial) -> list[tuple[str, str]]:
    """Return the start and end dates as facts, named as the record dates them.

    A date the registry marks ACTUAL has happened ("Started", "Ended"); one it marks ESTIMATED
    is a plan. Without the type (older records): a withdrawn or not yet recruiting study has
    not started, and the end is a fact once the study completed or was stopped.
    """
    status = (trial.record.get("protocolSection") or {}).get("statusModule") or {}
    start = (status.get("startDateStruct") or {}).get("type")
    end = (status.get("completionDateStruct") or {}).get("type")
    if start is None:
        start = "ESTIMATED" if trial.status in ("WITHDRAWN", "NOT_YET_RECRUITING") else "ACTUAL"
    if end is None:
        end = "ACTUAL" if trial.status in ("COMPLETED", "TERMINATED", "WITHDRAWN") else "ESTIMATED"
    started = _("Started") if start == "ACTUAL" else _("Planned start")
    ended = _("Ended") if end == "ACTUAL" else _("Expected to end")
    return [
        (started, registry_date(trial.start_date) if trial.start_date else ""),
        (ended, registry_date(trial.completion_date) if trial.completion_date else ""),
    ]


def phase_label(code: str) -> str:
    return str(PHASE_LABELS.get(code, code))


def age_phrase(age: Age) -> str:
    """Say an age in its own unit with the plural the number takes: '1 an', '20 de ani'."""
    count, num = plural_count(age.value, current_locale()), format_decimal(age.value)
    if age.unit == "month":
        return ngettext("%(age)s month", "%(age)s months", count, age=num)
    if age.unit == "week":
        return ngettext("%(age)s week", "%(age)s weeks", count, age=num)
    if age.unit == "day":
        return ngettext("%(age)s day", "%(age)s days", count, age=num)
    return ngettext("%(age)s year", "%(age)s years", count, age=num)


def trial_ages(trial) -> tuple[Age | None, Age | None]:
    """Return a trial's age limits in the record's units.

    From the record when it is loaded (a trial page, an email); from the stored years when only
    they are (the finder's results), where 12 months reads as 1 year and 4 weeks as 28 days.
    """
    if trial.min_age_years is None and trial.max_age_years is None:
        return None, None
    state = inspect(trial, raiseerr=False)
    if state is None or "record" not in state.unloaded:
        low, high = record_ages(trial.record or {})
        if low or high:
            return low, high
    return age_from_years(trial.min_age_years), age_from_years(trial.max_age_years)


def limits_of_ages(low: Age | None, high: Age | None) -> tuple[Age | None, Age | None]:
    """A minimum of 0 is no minimum."""
    return (low if low and low.value else None), high


def range_ends(low: Age, high: Age) -> dict[str, str]:
    """The two ends of a range: '18' and '65 years' in one unit, '6 months' and '30 years' in two
    (the unit said once takes the plural of the upper number: 'de 18 à 65 ans', '65 de ani')."""
    same = low.unit == high.unit
    return {"low": format_decimal(low.value) if same else age_phrase(low), "high": age_phrase(high)}


def age_range(low: Age | None, high: Age | None) -> str:
    """Describe an age range in the current locale: 'From 6 months to 30 years'."""
    low, high = limits_of_ages(low, high)
    if low and high:
        return _("From %(low)s to %(high)s", **range_ends(low, high))
    if high:
        return _("Up to %(high)s", high=age_phrase(high))
    if low:
        return _("%(low)s and older", low=age_phrase(low))
    return _("Any age")


def registry_date(text: str) -> str:
    """Format a registry date ('2025-07-08' or '2025-07') in the current locale."""
    try:
        if len(text) == 7:  # a month: as the locale writes one (CLDR's yMMMM: "mayo de 2010")
            return format_skeleton("yMMMM", date.fromisoformat(text + "-01"), locale=get_locale())
        return format_date(date.fromisoformat(text), "long")
    except ValueError:
        return text


def schema_status(code: str) -> str:
    return SCHEMA_STATUS.get(code, "")


MAY_FIT = _l("May fit by age and sex.")
SEX_LIMITS = {
    "FEMALE": _l("The registry lists this study for women and girls only."),
    "MALE": _l("The registry lists this study for men and boys only."),
}
SEX_CHOICES = {"female": _l("Female"), "male": _l("Male")}


def age_limits(low: Age | None, high: Age | None) -> str:
    """Say which ages the registry lists a trial for, as the pre-screen says it."""
    low, high = limits_of_ages(low, high)
    if low and high:
        return _(
            "The registry lists this study for ages %(low)s to %(high)s.", **range_ends(low, high)
        )
    if low:
        return _("The registry lists this study for ages %(low)s and over.", low=age_phrase(low))
    return _("The registry lists this study for ages up to %(high)s.", high=age_phrase(high))


def fit_sentences(trial, fit) -> list[str]:
    """Return what a finder result says about the fit: 'may fit', or each limit it breaks."""
    if fit.code == "may_fit":
        return [str(MAY_FIT)]
    sentences = []
    if "age_years" in fit.reasons:
        sentences.append(age_limits(*trial_ages(trial)))
    if "sex" in fit.reasons:
        sentences.append(str(SEX_LIMITS[trial.sex.upper()]))
    return sentences


def trial_name(title: str, trial) -> Markup:
    """Show a trial's title: the registry's English one (no plain-language title in this
    language) marked as English, so that a screen reader reads it in an English voice and a
    right-to-left page keeps its punctuation in place (WCAG 3.1.2, language of parts)."""
    if title != trial.brief_title or get_locale().language == "en":  # an email's language too
        return Markup.escape(title)
    return Markup('<span lang="en" dir="ltr">{}</span>').format(title)
