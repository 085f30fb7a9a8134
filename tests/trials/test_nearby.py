"""Finder maths without an app: bounding boxes, nearest sites, rounding, index words."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trialfinder.lib.geo import EARTH_RADIUS_KM, distance_km
from trialfinder.trials import words
from trialfinder.trials.nearby import (
    bounding_box,
    haversine_term,
    rounded_km,
)


def destination(lat: float, lon: float, bearing: float, km: float) -> tuple[float, float]:
    """The point reached going `km` from (lat, lon) on a bearing (great circle)."""
    phi, lam, angle = math.radians(lat), math.radians(lon), km / EARTH_RADIUS_KM
    phi2 = math.asin(
        math.sin(phi) * math.cos(angle) + math.cos(phi) * math.sin(angle) * math.cos(bearing)
    )
    lam2 = lam + math.atan2(
        math.sin(bearing) * math.sin(angle) * math.cos(phi),
        math.cos(angle) - math.sin(phi) * math.sin(phi2),
    )
    return math.degrees(phi2), (math.degrees(lam2) + 540) % 360 - 180


def inside(box, lat: float, lon: float) -> bool:
    return box.south <= lat <= box.north and any(w <= lon <= e for w, e in box.longitudes)


@given(
    lat=st.floats(-89.9, 89.9),
    lon=st.floats(-180, 180),
    km=st.floats(1, 5000),
    bearing=st.floats(0, 2 * math.pi),
    share=st.floats(0, 0.999),
)
def test_every_point_within_the_radius_is_in_the_box(lat, lon, km, bearing, share):
    point = destination(lat, lon, bearing, km * share)
    assert inside(bounding_box(lat, lon, km), *point)


def test_boxes_across_the_date_line_and_over_a_pole():
    fiji = bounding_box(-17.7, 179.9, 100)
    assert len(fiji.longitudes) == 2
    assert inside(fiji, -17.7, -179.8) and not inside(fiji, -17.7, 170)
    assert bounding_box(89, 0, 300).longitudes == ((-180.0, 180.0),)
    madrid = bounding_box(40.4, -3.7, 25)
    assert not inside(madrid, 41.39, 2.16)  # Barcelona is not within 25 km


def test_haversine_term_orders_like_the_distance():
    assert haversine_term(10) < haversine_term(100) < haversine_term(10000)
    a = haversine_term(distance_km(40.4, -3.7, 41.39, 2.16))
    assert 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a)) == pytest.approx(505, abs=1)


@pytest.mark.parametrize(
    ("km", "said"), [(0.2, 1), (7.4, 7), (19.6, 20), (33, 35), (99, 100), (387, 390)]
)
def test_distances_are_rounded_as_people_say_them(km, said):
    assert rounded_km(km) == said


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Leucemia Linfoblástica", ["leucemia", "linfoblastica"]),
        ("REALL_CART, CAR-T!", ["reall", "cart", "car", "t"]),
        ("سرطان الدم", ["سرطان", "الدم"]),
        ("", []),
    ],
)
def test_index_words_fold_case_accents_and_punctuation(text, expected):
    assert words.tokens(text) == expected


def test_queries_keep_ten_distinct_words_and_quote_them():
    query = words.query_words("a b a " + " ".join(f"w{n}" for n in range(20)))
    assert query[:3] == ["a", "b", "w0"] and len(query) == words.MAX_WORDS
    assert words.fts5_query(["leu", "car"]) == '("leu"*) AND ("car"*)'
    assert words.tsquery(["leu", "car"]) == "('leu':*) & ('car':*)"
    assert words.query_words('" OR * NEAR(') == ["or", "near"]


def test_words_shorter_than_three_letters_match_whole_words_only():
    query = words.query_words("CAR-T type 2 diabetes")
    assert words.tsquery(query) == "('car':*) & ('t') & ('type':*) & ('2') & ('diabetes':*)"
    assert words.fts5_query(query) == '("car"*) AND ("t") AND ("type"*) AND ("2") AND ("diabetes"*)'
