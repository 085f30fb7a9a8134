"""The one list of countries, named in the visitor's language from Babel's CLDR data. No Flask.

Every form and filter that asks for a country offers the same codes: the contact form, the alerts
form, the finder and the pre-screen result.
"""

from functools import lru_cache

from babel import Locale

from trialfinder.lib.geo import normalized

# Codes CLDR names that are not countries: groupings (EU, EZ, UN, QO), unknown (ZZ), pseudo-locales
# (XA, XB), and areas ISO 3166 only reserves (AC, CP, CQ, DG, EA, IC, TA). Kosovo (XK) is a country.
NOT_COUNTRIES = frozenset("AC CP CQ DG EA EU EZ IC QO TA UN XA XB ZZ".split())


def is_country(code: str) -> bool:
    """Say whether a CLDR territory code is a country we offer (two letters, not a grouping)."""
    return len(code) == 2 and code.isalpha() and code.isupper() and code not in NOT_COUNTRIES


@lru_cache(maxsize=16)
def countries(lang: str) -> tuple[tuple[str, str], ...]:
    """Return (ISO code, name in the language) of every country, sorted as a reader expects."""
    names = Locale.parse(lang).territories
    found = ((code, name) for code, name in names.items() if is_country(code))
    return tuple(sorted(found, key=lambda country: normalized(country[1])))


@lru_cache(maxsize=16)
def country_codes(lang: str) -> frozenset[str]:
    """Return the codes `countries(lang)` offers, to check a visitor's choice against."""
    return frozenset(code for code, _name in countries(lang))


def country_name(code: str, lang: str) -> str:
    """Return a country's name in the language, or the code itself when CLDR has no name."""
    return Locale.parse(lang).territories.get(code, code)
