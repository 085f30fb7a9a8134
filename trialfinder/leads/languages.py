"""The language a site's staff read, from its country. Pure: no Flask."""

from collections.abc import Iterable
from functools import lru_cache

from babel.languages import get_official_languages

from trialfinder.lib.geo import country_code
from trialfinder.lib.locales import LOCALES

FALLBACK_LANGUAGE = "en"


@lru_cache(maxsize=512)
def country_language(country: str) -> str:
    """Return the language staff most likely read in a country: en where none of ours fits."""
    code = country_code(country or "")
    official = get_official_languages(code, de_facto=True) if code else ()
    # Catalan is a choice for sites.yaml, never a guess (Andorra's staff may well read Spanish).
    if official and official[0] in LOCALES and official[0] != "ca":
        return official[0]
    return FALLBACK_LANGUAGE


def central_language(sites: Iterable) -> str:
    """Return the central team's language: its sites' country language when they share one."""
    languages = {country_language(site.country) for site in sites if site.country}
    return languages.pop() if len(languages) == 1 else FALLBACK_LANGUAGE
