"""Ages as the registry writes them ("6 Months", "28 Days", "18 Years"), and numbers' plural forms.

A registry age keeps its own unit: a trial from 6 months says "from 6 months", never "0.5" or
"0,014 años". Where only the age in years is at hand (the finder reads an index, not the record),
the unit is found again from the years the import stored. And a number that is not whole ("0.5
years") takes the plural form CLDR gives it, which gettext cannot say (its rule reads whole
numbers): `plural_count` returns the whole number whose form is that form. Pure: Babel only.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale

AGE_PATTERN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(year|month|week|day|hour|minute)s?\s*$", re.I)
UNITS_PER_YEAR = {"year": 1, "month": 12, "week": 52.1775, "day": 365.25}
SMALL_UNITS = {"hour": 24, "minute": 1440}  # per day: said in days, a baby's first day
STORED_PRECISION = 0.00005  # the import stores years rounded to 4 decimals
# The CLDR rule each site locale follows: Portuguese here is Portugal's.
CLDR_LOCALES = {"pt": "pt_PT"}


@dataclass(frozen=True)
class Age:
    """An age limit in the record's unit: Age(6, 'month')."""

    value: float
    unit: str  # year, month, week or day

    def __str__(self) -> str:
        """The English source form ('6 months'); pages say it through the catalogs."""
        return f"{self.value:g} {self.unit}{'' if self.value == 1 else 's'}"

    @property
    def years(self) -> float:
        return self.value / UNITS_PER_YEAR[self.unit]


def parse_age(text: object) -> Age | None:
    """Read '6 Months' or '18 Years' as an Age; None for no age, 'N/A' or text that is no age."""
    match = AGE_PATTERN.match(text) if isinstance(text, str) else None
    if not match:
        return None
    value, unit = float(match.group(1)), match.group(2).lower()
    if unit in SMALL_UNITS:
        value, unit = value / SMALL_UNITS[unit], "day"
    return Age(int(value) if value.is_integer() else value, unit)


def record_ages(record: Mapping) -> tuple[Age | None, Age | None]:
    """Return the minimum and maximum ages of an API v2 record, in its own units."""
    eligibility = (record.get("protocolSection") or {}).get("eligibilityModule") or {}
    return parse_age(eligibility.get("minimumAge")), parse_age(eligibility.get("maximumAge"))


def age_from_years(years: float | None) -> Age | None:
    """Find the unit again from stored years: the first of years, months, days, weeks in which
    the age is a whole number (within the rounding of the import), else days rounded."""
    if years is None:
        return None
    for unit in ("year", "month", "day", "week"):
        amount = years * UNITS_PER_YEAR[unit]
        if abs(amount - round(amount)) <= STORED_PRECISION * UNITS_PER_YEAR[unit] + 1e-9:
            return Age(round(amount), unit)
    return Age(max(round(years * UNITS_PER_YEAR["day"]), 1), "day")


@lru_cache(maxsize=64)
def _representatives(lang: str) -> dict[str, int]:
    """The smallest whole number of each CLDR plural category of a locale."""
    rule = Locale.parse(CLDR_LOCALES.get(lang, lang)).plural_form
    found: dict[str, int] = {}
    for number in range(0, 1000):
        found.setdefault(rule(number), number)
    return found


def plural_category(number: float, lang: str) -> str:
    """Return the CLDR plural category of a number in a locale: 'one', 'few', 'other'…"""
    return Locale.parse(CLDR_LOCALES.get(lang, lang)).plural_form(number)


def plural_count(number: float, lang: str) -> int:
    """Return the whole number to give ngettext so that it picks the form CLDR gives `number`.

    1 and 21 are themselves; 0.5 is 1 in French ("0,5 an") and 2 in English ("0.5 years").
    """
    if float(number).is_integer():
        return int(number)
    category = plural_category(number, lang)
    return _representatives(lang).get(category, _representatives(lang)["other"])
