"""Distances for the finder: a bounding box to prefilter, then exact distances. No Flask."""

import math
from dataclasses import dataclass

from trialfinder.lib.geo import EARTH_RADIUS_KM, rounded_distance

# Search radii tried in turn until enough trials are found; the last one covers the earth.
RADII_KM = (25, 100, 400, 1500, 6000, math.pi * EARTH_RADIUS_KM)


@dataclass(frozen=True)
class Box:
    """Latitudes from south to north; longitudes in one or two ranges (across 180°)."""

    south: float
    north: float
    longitudes: tuple[tuple[float, float], ...]


def bounding_box(lat: float, lon: float, km: float) -> Box:
    """Return a box holding every point within `km` of (lat, lon)."""
    angle = km / EARTH_RADIUS_KM
    south, north = lat - math.degrees(angle), lat + math.degrees(angle)
    if south <= -90 or north >= 90 or angle >= math.pi / 2:
        return Box(max(south, -90.0), min(north, 90.0), ((-180.0, 180.0),))
    # The widest longitude span of a small circle, reached north or south of the centre.
    spread = math.degrees(math.asin(min(1.0, math.sin(angle) / math.cos(math.radians(lat)))))
    west, east = lon - spread, lon + spread
    if west < -180:
        return Box(south, north, ((west + 360, 180.0), (-180.0, east)))
    if east > 180:
        return Box(south, north, ((west, 180.0), (-180.0, east - 360)))
    return Box(south, north, ((west, east),))


def haversine_term(km: float) -> float:
    """Return the haversine term sin²(d/2R) of a distance: it grows with the distance."""
    return math.sin(km / (2 * EARTH_RADIUS_KM)) ** 2


def rounded_km(km: float) -> int:
    """Round a distance in km the way people say it: 7, 35, 120 (never 0)."""
    return rounded_distance(km)
