"""Build outlines.json from Natural Earth's 1:110m countries shapefile (public domain).

Run once when the outlines should change, then commit the result:

    python -m trialfinder.lib.geo.build_outlines ne_110m_admin_0_countries.shp

The site never reads the shapefile: it draws its maps from the small JSON file this writes.
"""

import json
import struct
import sys
from pathlib import Path

OUTLINES = Path(__file__).with_name("outlines.json")
POLYGON = 5  # shapefile shape type
PRECISION = 100  # coordinates kept in hundredths of a degree (about 1 km)


def read_rings(shapefile: Path) -> list[list[tuple[float, float]]]:
    """Return every polygon ring of a shapefile as (lon, lat) pairs."""
    data = Path(shapefile).read_bytes()
    rings, offset = [], 100  # after the file header
    while offset < len(data):
        _number, words = struct.unpack(">2i", data[offset : offset + 8])
        start, offset = offset + 8, offset + 8 + 2 * words
        if struct.unpack("<i", data[start : start + 4])[0] != POLYGON:
            continue
        parts, points = struct.unpack("<2i", data[start + 36 : start + 44])
        starts = struct.unpack(f"<{parts}i", data[start + 44 : start + 44 + 4 * parts])
        first = start + 44 + 4 * parts
        pairs = struct.unpack(f"<{2 * points}d", data[first : first + 16 * points])
        ends = (*starts[1:], points)
        for begin, end in zip(starts, ends, strict=True):
            rings.append([(pairs[2 * n], pairs[2 * n + 1]) for n in range(begin, end)])
    return rings


def packed(ring: list[tuple[float, float]]) -> list[int]:
    """Return a ring as flat integer hundredths of a degree, repeated points dropped."""
    flat: list[int] = []
    for lon, lat in ring:
        point = [round(lon * PRECISION), round(lat * PRECISION)]
        if flat[-2:] != point:
            flat += point
    return flat


def main(shapefile: str) -> None:
    rings = [ring for ring in map(packed, read_rings(Path(shapefile))) if len(ring) >= 6]
    document = {
        "source": "Natural Earth 1:110m Admin 0 countries, version 4.1.0 (public domain)",
        "precision": PRECISION,
        "rings": rings,
    }
    OUTLINES.write_text(json.dumps(document, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{OUTLINES}: {len(rings)} rings, {OUTLINES.stat().st_size} bytes")


if __name__ == "__main__":
    main(*sys.argv[1:])
