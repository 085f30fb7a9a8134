"""Offline geography: postal codes, the gazetteer and distances."""

import pytest

from trialfinder.lib.geo import (
    city_of,
    distance_km,
    local_distance,
    locate,
    province_of,
    provinces,
)


def test_all_52_provinces_are_placed():
    table = provinces()
    assert sorted(table) == [f"{n:02d}" for n in range(1, 53)]
    assert all(27 < place.lat < 44 and -19 < place.lon < 5 for place in table.values())


@pytest.mark.parametrize(
    ("code", "province"),
    [
        ("28046", "Madrid"),
        ("08001", "Barcelona"),
        ("41001", "Sevilla"),
        ("35001", "Las Palmas"),
        ("52001", "Melilla"),
    ],
)
def test_spanish_postal_code_gives_its_province(code, province):
    assert province_of(code).label == province


@pytest.mark.parametrize(
    "code", ["00000", "53001", "99999", "2804", "280461", "ABCDE", "", "2٨013"]
)
def test_not_a_spanish_postal_code(code):
    assert province_of(code) is None


def test_city_and_country_without_a_postal_code():
    assert locate("PT", "4000-000", "Porto").label == "Porto"
    assert locate("FR", "", "paris").label == "Paris"
    assert locate("ES", "", "Córdoba").label == "Córdoba"
    assert locate("ES", "", "cordoba").label == "Córdoba"
    assert locate("RO", "", "Nowhere-upon-Thames") is None


@pytest.mark.parametrize(
    ("country", "typed", "city"),
    [
        ("PT", "Coimbra", "Coimbra"),
        ("PT", "COIMBRA", "Coimbra"),
        ("PT", "Coimbra, Portugal", "Coimbra"),
        ("PT", "Lisboa", "Lisbon"),
        ("PT", "Lisbon", "Lisbon"),
        ("PT", "  lisboa ", "Lisbon"),
        ("ES", "Sevilla", "Sevilla"),
        ("ES", "Seville", "Sevilla"),
        ("ES", "sevilla (Triana)", "Sevilla"),
        ("ES", "La Coruña", "A Coruña"),
        ("ES", "a coruna", "A Coruña"),
        ("RO", "Bucureşti", "Bucharest"),  # s with a cedilla, as older keyboards type it
        ("RO", "București", "Bucharest"),  # s with a comma below, the correct Romanian letter
        ("RO", "BUCUREȘTI", "Bucharest"),
        ("RO", "Bucuresti", "Bucharest"),
        ("RO", "Bucharest", "Bucharest"),
        ("RO", "Constanţa", "Constanţa"),  # t with a cedilla
        ("RO", "Constanța", "Constanţa"),  # t with a comma below
        ("RO", "constanta", "Constanţa"),
        ("PL", "Zlotow", "Złotów"),  # ł is no l with an accent: folded on purpose
        ("MA", "الدار البيضاء", "Casablanca"),
    ],
)
def test_towns_match_their_other_names_whatever_the_accents_and_case(country, typed, city):
    assert city_of(typed, country).label == city


@pytest.mark.parametrize(
    ("typed", "lat", "lon"),
    [("Coimbra", 40.21, -8.42), ("Lisbon", 38.73, -9.15), ("București", 44.43, 26.11)],
)
def test_towns_are_placed_at_their_geonames_coordinates(typed, lat, lon):
    country = "RO" if typed == "București" else "PT"
    place = city_of(typed, country)
    assert (place.lat, place.lon) == pytest.approx((lat, lon), abs=0.01)
    assert place.source == "city"


def test_a_town_is_looked_up_only_in_the_chosen_country():
    assert city_of("Coimbra", "PT") is not None
    assert city_of("Coimbra", "RO") is None
    assert city_of("Lisboa", "FR") is None
    assert city_of(",", "PT") is None and city_of("", "PT") is None


def test_distance_madrid_barcelona():
    assert distance_km(40.4168, -3.7038, 41.3874, 2.1686) == pytest.approx(505, abs=5)
    assert distance_km(10, 20, 10, 20) == 0


@pytest.mark.parametrize(
    ("country", "unit"),
    [("US", "length-mile"), ("gb", "length-mile"), ("LR", "length-mile"), ("MM", "length-mile")]
    + [("ES", "length-kilometer"), ("FR", "length-kilometer"), ("IE", "length-kilometer")]
    + [("", "length-kilometer")],
)
def test_distances_are_in_the_unit_of_the_visitors_country(country, unit):
    value, said_in = local_distance(16.09344, country)
    assert said_in == unit
    assert value == pytest.approx(10 if unit == "length-mile" else 16.09344)


def test_a_located_place_knows_its_country():
    assert locate("us", "99705").country == "US"
    assert locate("ES", "", "Sevilla").country == "ES"
