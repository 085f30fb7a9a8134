"""A small map of places for inline SVG: frame, projection, land outlines, labels. No Flask.

The outlines are Natural Earth's 1:110m countries (public domain, see OUTLINES.md), packed in
outlines.json. A map is drawn in an equirectangular projection scaled for the middle latitude:
over the few hundred kilometres between the sites of a trial it bends nothing a reader sees.
"""

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

WIDTH, HEIGHT = 320, 220  # the viewBox; the page scales it to its column
MARGIN = 24  # units kept free around the outermost points
MIN_SPAN = 6.0  # degrees of latitude shown at least: a single site keeps its surroundings
FONT = 13.0  # label size in viewBox units: about 14 px on a phone
LINE = FONT * 1.25
GAP = 8.0  # from the centre of a point to its label
MAX_LABELS = 6  # further points are drawn unlabelled; the list on the page names them all


@dataclass(frozen=True)
class Marker:
    """A point to draw: 'site' or 'place' (the visitor's), with its label lines."""

    lat: float
    lon: float
    lines: tuple[str, ...] = ()
    kind: str = "site"


@dataclass(frozen=True)
class Label:
    """Label lines at (x, y) (the first baseline), anchored 'start' or 'end' of the text."""

    x: float
    y: float
    anchor: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Drawn:
    """A marker placed on the map."""

    x: float
    y: float
    kind: str
    label: Label | None


@dataclass(frozen=True)
class Frame:
    """What the map shows: a centre, the horizontal shrink of its latitude and a scale."""

    lat: float
    lon: float
    shrink: float
    scale: float

    def project(self, lat: float, lon: float) -> tuple[float, float]:
        """Return the viewBox position of a point."""
        x = WIDTH / 2 + (lon - self.lon) * self.shrink * self.scale
        return x, HEIGHT / 2 - (lat - self.lat) * self.scale

    def window(self) -> tuple[float, float, float, float]:
        """Return the west, south, east and north edges in degrees."""
        half_lon = WIDTH / 2 / (self.shrink * self.scale)
        half_lat = HEIGHT / 2 / self.scale
        return (
            self.lon - half_lon,
            self.lat - half_lat,
            self.lon + half_lon,
            self.lat + half_lat,
        )


@dataclass(frozen=True)
class Map:
    """Everything the SVG template needs: the land path, the markers and the lines between."""

    width: int
    height: int
    land: str
    markers: list[Drawn]
    links: list[tuple[float, float, float, float]] = field(default_factory=list)
    rtl: bool = False
    font: float = FONT


def fit(points: list[tuple[float, float]]) -> Frame:
    """Return a frame holding every (lat, lon) point inside the margins."""
    lats, lons = [lat for lat, _ in points], [lon for _, lon in points]
    lat = (min(lats) + max(lats)) / 2
    lon = (min(lons) + max(lons)) / 2
    shrink = max(math.cos(math.radians(lat)), 0.2)
    span_y = max(max(lats) - min(lats), MIN_SPAN)
    span_x = max((max(lons) - min(lons)) * shrink, MIN_SPAN * shrink)
    scale = min((WIDTH - 2 * MARGIN) / span_x, (HEIGHT - 2 * MARGIN) / span_y)
    return Frame(lat, lon, shrink, scale)


@lru_cache(maxsize=1)
def outlines() -> tuple[tuple[tuple[float, float, float, float], list[tuple[float, float]]], ...]:
    """Return each land ring with its bounding box (west, south, east, north), in degrees."""
    document = json.loads(Path(__file__).with_name("outlines.json").read_text(encoding="utf-8"))
    precision = document["precision"]
    rings = []
    for flat in document["rings"]:
        ring = [(flat[n + 1] / precision, flat[n] / precision) for n in range(0, len(flat), 2)]
        lats, lons = [lat for lat, _ in ring], [lon for _, lon in ring]
        rings.append(((min(lons), min(lats), max(lons), max(lats)), ring))
    return tuple(rings)


def clip(ring: list[tuple[float, float]], low: float, high_x: float, high_y: float) -> list:
    """Clip a polygon to the rectangle low..high_x, low..high_y (Sutherland-Hodgman)."""
    edges = (
        (lambda p: p[0] >= low, 0, low),
        (lambda p: p[0] <= high_x, 0, high_x),
        (lambda p: p[1] >= low, 1, low),
        (lambda p: p[1] <= high_y, 1, high_y),
    )
    for inside, axis, bound in edges:
        points, ring = ring, []
        for current, previous in zip(points, points[-1:] + points[:-1], strict=True):
            if inside(current) != inside(previous):
                ring.append(crossing(previous, current, axis, bound))
            if inside(current):
                ring.append(current)
        if not ring:
            return []
    return ring


def crossing(a: tuple, b: tuple, axis: int, bound: float) -> tuple[float, float]:
    """Return where the segment a-b crosses the line axis = bound."""
    t = (bound - a[axis]) / (b[axis] - a[axis])
    return (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))


@lru_cache(maxsize=256)  # the same few frames come back: a trial's sites, a finder's town
def land_path(frame: Frame) -> str:
    """Return the SVG path of the land inside the frame, clipped and simplified to the pixel."""
    west, south, east, north = frame.window()
    parts = []
    for (r_west, r_south, r_east, r_north), ring in outlines():
        if r_east < west or r_west > east or r_north < south or r_south > north:
            continue
        projected = clip([frame.project(lat, lon) for lat, lon in ring], -1, WIDTH + 1, HEIGHT + 1)
        if visible(projected):
            kept = simplified(projected + projected[:1])[:-1]
            parts.append(relative([(round(x), round(y)) for x, y in kept]))
    return "".join(part for part in parts if part)


def visible(points: list[tuple[float, float]], size: float = 4.0) -> bool:
    """Return whether a ring is big enough to see: islands smaller than a dot are left out."""
    if len(points) < 3:
        return False
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return max(xs) - min(xs) >= size or max(ys) - min(ys) >= size


def simplified(points: list[tuple[float, float]], tolerance: float = 0.7) -> list:
    """Keep the points that move the line by more than `tolerance` units (Douglas-Peucker)."""
    keep = {0, len(points) - 1}
    spans = [(0, len(points) - 1)]
    while spans:
        first, last = spans.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        length = math.hypot(x2 - x1, y2 - y1)
        far, index = 0.0, first
        for n in range(first + 1, last):
            x, y = points[n]
            if length:
                off = abs((x2 - x1) * (y1 - y) - (x1 - x) * (y2 - y1)) / length
            else:
                off = math.hypot(x - x1, y - y1)
            if off > far:
                far, index = off, n
        if far > tolerance:
            keep.add(index)
            spans += [(first, index), (index, last)]
    return [points[n] for n in sorted(keep)]


def relative(points: list[tuple[int, int]]) -> str:
    """Return a closed path in whole units, each point as a step from the one before."""
    points = [p for n, p in enumerate(points) if n == 0 or p != points[n - 1]]
    if len(points) < 3:
        return ""
    steps = [(x - px, y - py) for (px, py), (x, y) in zip(points, points[1:], strict=False)]
    text = " ".join(f"{dx} {dy}" for dx, dy in steps).replace(" -", "-")
    return f"M{points[0][0]} {points[0][1]}l{text}z"


def label_box(x: float, y: float, lines: tuple[str, ...], side: int, shift: float) -> tuple:
    """Return the rough box (left, top, right, bottom) of lines beside a point at (x, y)."""
    width = max(len(line) for line in lines) * FONT * 0.56
    top = y - len(lines) * LINE / 2 + shift
    left = x + GAP if side > 0 else x - GAP - width
    return (left, top, left + width, top + len(lines) * LINE)


def overlaps(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def place_label(x: float, y: float, lines: tuple[str, ...], rtl: bool, taken: list) -> Label:
    """Put a label after the point in reading order, else before, above or below it."""
    after = -1 if rtl else 1
    tries = [(side, shift) for shift in (0, LINE, -LINE, 2 * LINE) for side in (after, -after)]
    boxes = [(label_box(x, y, lines, side, shift), side, shift) for side, shift in tries]
    fits = [b for b in boxes if b[0][0] >= 0 and b[0][2] <= WIDTH and 0 <= b[0][1]]
    free = [b for b in fits if b[0][3] <= HEIGHT and not any(overlaps(b[0], t) for t in taken)]
    box, side, shift = (free or fits or boxes)[0]
    taken.append(box)
    # In right-to-left text 'start' is the right edge: the label's edge next to the point.
    anchor = "start" if (side > 0) != rtl else "end"
    baseline = y - (len(lines) - 1) * LINE / 2 + FONT * 0.35 + shift
    return Label(round(x + GAP * side, 1), round(baseline, 1), anchor, lines)


def draw(markers: list[Marker], rtl: bool = False) -> Map:
    """Draw markers in their order; the visitor's place, if any, is linked to the first site."""
    frame = fit([(marker.lat, marker.lon) for marker in markers])
    points = [(round(x, 1), round(y, 1)) for x, y in (frame.project(m.lat, m.lon) for m in markers)]
    homes = [point for point, marker in zip(points, markers, strict=True) if marker.kind == "place"]
    sites = [point for point, marker in zip(points, markers, strict=True) if marker.kind == "site"]
    # One line, to the first site (the nearest, when the caller sorted them): more would cross.
    links = [(*homes[0], *sites[0])] if homes and sites else []
    taken = [(x - 5, y - 5, x + 5, y + 5) for x, y in points] + [
        box for link in links for box in along(*link)
    ]
    drawn = []
    for number, (marker, (x, y)) in enumerate(zip(markers, points, strict=True)):
        label = None
        if marker.lines and number < MAX_LABELS:
            label = place_label(x, y, marker.lines, rtl, taken)
        drawn.append(Drawn(x, y, marker.kind, label))
    return Map(WIDTH, HEIGHT, land_path(frame), drawn, links, rtl)


def along(x1: float, y1: float, x2: float, y2: float, step: float = 6.0) -> list[tuple]:
    """Return small boxes covering a line, so that labels keep off it."""
    count = max(1, int(math.hypot(x2 - x1, y2 - y1) / step))
    points = [(x1 + (x2 - x1) * n / count, y1 + (y2 - y1) * n / count) for n in range(count + 1)]
    return [(x - 1, y - 1, x + 1, y + 1) for x, y in points]
