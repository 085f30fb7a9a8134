"""The map of sites, without an app: frame, projection, land outlines and labels."""

import ast
import inspect
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import trialfinder.lib.geo.map as drawing
from trialfinder.lib.geo.map import (
    FONT,
    HEIGHT,
    WIDTH,
    Marker,
    clip,
    draw,
    fit,
    land_path,
    outlines,
    simplified,
)

MADRID = Marker(40.4165, -3.70256, ("Madrid",))
BARCELONA = Marker(41.3888, 2.159, ("Barcelona",))
SEVILLA = Marker(37.3891, -5.9845, ("Sevilla",))
COIMBRA = Marker(40.2033, -8.4103, ("Coimbra",), "place")

points = st.tuples(st.floats(min_value=-55, max_value=70), st.floats(min_value=-170, max_value=170))


def inside(x: float, y: float) -> bool:
    return 0 <= x <= WIDTH and 0 <= y <= HEIGHT


def on_land(lat: float, lon: float) -> bool:
    """Return whether a point is inside any outline ring (even-odd rule)."""
    crossings = 0
    for _box, ring in outlines():
        for (lat1, lon1), (lat2, lon2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (lat1 > lat) != (lat2 > lat):
                crossings += lon < lon1 + (lat - lat1) * (lon2 - lon1) / (lat2 - lat1)
    return crossings % 2 == 1


@settings(deadline=None)  # no timing: the machine may be busy
@given(st.lists(points, min_size=1, max_size=8))
def test_every_point_is_inside_the_view_and_in_the_order_given(places):
    markers = [Marker(lat, lon, (f"site {n}",)) for n, (lat, lon) in enumerate(places)]
    drawn = draw(markers)
    assert len(drawn.markers) == len(markers)
    assert all(inside(item.x, item.y) for item in drawn.markers)
    labelled = [item.label.lines for item in drawn.markers if item.label]
    assert labelled == [marker.lines for marker in markers][: len(labelled)]


def test_the_projection_keeps_east_to_the_right_and_north_up():
    frame = fit([(MADRID.lat, MADRID.lon), (BARCELONA.lat, BARCELONA.lon)])
    madrid, barcelona = (frame.project(m.lat, m.lon) for m in (MADRID, BARCELONA))
    sevilla = frame.project(SEVILLA.lat, SEVILLA.lon)
    assert madrid[0] < barcelona[0] and barcelona[1] < madrid[1] < sevilla[1]


def test_a_single_site_sits_in_the_middle_with_its_country_around_it():
    drawn = draw([MADRID])
    assert (drawn.markers[0].x, drawn.markers[0].y) == (WIDTH / 2, HEIGHT / 2)
    west, south, east, north = fit([(MADRID.lat, MADRID.lon)]).window()
    # Lisbon and the Pyrenees are both in view: a reader can tell where Madrid is.
    assert west < -9.1 and east > 1.0 and south < 37.0 and north > 43.0


def corners(path: str) -> list[tuple[int, int]]:
    """Return the absolute points of a path made of 'Mx yldx dy ... z' rings."""
    found = []
    for ring in re.findall(r"M([^z]+)z", path):
        start, steps = ring.split("l")
        x, y = map(int, start.split())
        found.append((x, y))
        numbers = [int(n) for n in re.findall(r"-?\d+", steps)]
        for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
            x, y = x + dx, y + dy
            found.append((x, y))
    return found


def test_land_is_drawn_inside_the_view_and_only_where_there_is_land():
    path = draw([MADRID, BARCELONA]).land
    assert path.startswith("M") and path.endswith("z")
    assert all(-1 <= x <= WIDTH + 1 and -1 <= y <= HEIGHT + 1 for x, y in corners(path))
    assert on_land(MADRID.lat, MADRID.lon) and on_land(-33.87, 151.21)  # and Sydney
    assert not on_land(40.0, -30.0)  # mid-Atlantic
    assert land_path(fit([(-45.0, -25.0)])) == ""  # open South Atlantic: sea only


def test_outlines_are_clipped_to_the_rectangle():
    square = [(-10.0, -10.0), (50.0, -10.0), (50.0, 50.0), (-10.0, 50.0)]
    assert sorted(set(clip(square, 0, 20, 30))) == [(0, 0), (0, 30), (20, 0), (20, 30)]
    assert clip([(40.0, 40.0), (45.0, 40.0), (45.0, 45.0)], 0, 20, 30) == []


@pytest.mark.parametrize(("rtl", "after"), [(False, 1), (True, -1)])
def test_a_label_follows_its_point_in_reading_order(rtl, after):
    item = draw([MADRID], rtl=rtl).markers[0]
    assert (item.label.x - item.x) * after > 0
    # 'start' is the edge next to the point: the left one in English, the right one in Arabic.
    assert item.label.anchor == "start"


def test_a_label_near_the_edge_turns_back_into_the_view():
    hospital = Marker(BARCELONA.lat, BARCELONA.lon, ("Hospital Clínic de Barcelona",))
    east, west = draw([MADRID, hospital]).markers[::-1]
    assert west.label.x > west.x  # Madrid: after the point
    assert east.label.x < east.x and east.label.anchor == "end"  # Barcelona's: before it


def test_the_visitors_place_is_linked_to_the_first_site():
    drawn = draw([COIMBRA, MADRID, SEVILLA])
    place, madrid, _sevilla = drawn.markers
    assert place.kind == "place" and madrid.kind == "site"
    assert drawn.links == [(place.x, place.y, madrid.x, madrid.y)]
    assert draw([MADRID, SEVILLA]).links == []


def test_labels_of_nearby_towns_do_not_overlap():
    getafe = Marker(40.3083, -3.7327, ("Getafe",))
    boxes = []
    for item in draw([MADRID, getafe]).markers:
        width = len(item.label.lines[0]) * FONT * 0.56
        left = item.label.x if item.label.anchor == "start" else item.label.x - width
        boxes.append((left, item.label.y - FONT, left + width, item.label.y))
    (a, b) = boxes
    assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])


def test_a_world_wide_trial_still_sends_a_small_map():
    towns = [MADRID, Marker(35.68, 139.69, ("Tokyo",)), Marker(-33.87, 151.21, ("Sydney",))]
    drawn = draw([*towns, Marker(40.71, -74.0, ("New York",))])
    assert len(drawn.land) < 12_000  # the whole world, simplified to the pixel
    assert len(draw([MADRID]).land) < 1_000


def test_simplifying_keeps_the_corners_and_drops_what_no_one_sees():
    line = [(0.0, 0.0), (5.0, 0.2), (10.0, 0.0), (10.0, 10.0)]
    assert simplified(line) == [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)]


def test_the_drawing_module_needs_no_flask():
    tree = ast.parse(inspect.getsource(drawing))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported == {"json", "math", "dataclasses", "functools", "pathlib"}
