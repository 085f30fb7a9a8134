"""A finder search as the home page and the API read it: the query, then the results and fits."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from trialfinder.lib.countries import country_codes
from trialfinder.lib.geo import Place, locate
from trialfinder.lib.locales import DEFAULT_COUNTRY
from trialfinder.trials import finder
from trialfinder.trials.fit import SEXES, Fit, age_sex_fit

STATUSES = ("RECRUITING", "NOT_YET_RECRUITING", "ACTIVE_NOT_RECRUITING", "COMPLETED")
OUTSIDE = 5  # trials shown that match all but the age and sex
FEW_HELD = 12  # a search that finds nothing on a site holding this many or fewer lists them all


@dataclass(frozen=True)
class Search:
    words: str = ""
    age: float | None = None
    sex: str = ""
    status: str = ""
    near: str = ""
    country: str = DEFAULT_COUNTRY


@dataclass(frozen=True)
class Outcome:
    """The results with their fit, the place searched from, and a few that do not fit."""

    results: finder.Results
    place: Place | None
    shown: list[tuple[finder.Found, Fit]] = field(default_factory=list)
    outside: list[tuple[finder.Found, Fit]] = field(default_factory=list)
    held: list[tuple[finder.Found, Fit]] = field(default_factory=list)  # all, when few


def parse_age(raw: str | None) -> float | None:
    try:
        age = float(raw) if raw else None
    except ValueError:
        return None
    return age if age is not None and 0 <= age <= 120 else None


def read_search(args: Mapping, lang: str) -> Search:
    """Read a search from query arguments, dropping what is not valid."""
    status = args.get("status", "")
    sex = args.get("sex", "")
    country = str(args.get("country", DEFAULT_COUNTRY)).upper()
    return Search(
        words=args.get("q", "")[:200],
        age=parse_age(args.get("age")),
        sex=sex if sex in SEXES else "",
        status=status if status in STATUSES else "",
        near=args.get("near", "").strip()[:100],
        country=country if country in country_codes(lang) else DEFAULT_COUNTRY,
    )


def fit_of(item: finder.Found, search: Search) -> Fit:
    trial = item.trial
    return age_sex_fit(trial.min_age_years, trial.max_age_years, trial.sex, search.age, search.sex)


def run_search(search: Search) -> Outcome:
    """Find the trials; when an age or sex is given, also a few that match all but those."""
    place = locate(search.country, search.near, search.near) if search.near else None
    results = finder.find(search.words, search.age, search.status, place, sex=search.sex)
    outside = []
    if search.age is not None or search.sex:
        outside = finder.find(
            search.words, search.age, search.status, place, OUTSIDE, search.sex, outside=True
        ).found
    held = finder.find(limit=FEW_HELD) if results.total == 0 and not outside else None
    return Outcome(
        results,
        place,
        [(item, fit_of(item, search)) for item in results.found],
        [(item, fit_of(item, search)) for item in outside],
        [(item, fit_of(item, search)) for item in held.found]
        if held and held.total <= FEW_HELD
        else [],
    )
