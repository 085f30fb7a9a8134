"""Offline geography: postal codes, the gazetteer and distances."""

import pytest

from trialfinder.geo import distance_km, locate, province_of, provinces


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


def test_distance_madrid_barcelona():
    assert distance_km(40.4168, -3.7038, 41.3874, 2.1686) == pytest.approx(505, abs=5)
    assert distance_km(10, 20, 10, 20) == 0
