"""`flask leads report`: per site, what came in and how fast it was answered. No Flask.

Only sites, counts and hours: no name, address, phone or message ever reaches it.
"""

import csv
import io
import json
import math
import statistics
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from trialfinder.leads.history import (
    ACKNOWLEDGEMENTS,
    FORWARDED,
    NOT_SUITABLE,
    OPEN,
    OPENED,
    RECEIVED,
    hours_between,
)

COLUMNS = (
    "site",
    "city",
    "received",
    "acknowledged",
    "not_suitable",
    "forwarded",
    "open",
    "median_hours",
    "p90_hours",
    "opened",
    "actions",
)
CENTRAL = "(central contact)"


@dataclass
class SiteRow:
    """One site's figures; hours are from reaching the site to its acknowledgement."""

    site: str
    city: str
    received: int = 0
    acknowledged: int = 0
    not_suitable: int = 0
    forwarded: int = 0
    open: int = 0
    hours: list[float] = field(default_factory=list)
    # Openings of the staff links made for this site, and actions posted from them.
    opened: int = 0
    actions: int = 0

    def as_dict(self) -> dict:
        values = asdict(self)
        hours = values.pop("hours")
        values["median_hours"] = round(statistics.median(hours), 1) if hours else None
        values["p90_hours"] = round(percentile(hours, 90), 1) if hours else None
        return values


def percentile(values: list[float], rank: int) -> float:
    """Return the nearest-rank percentile of some values (the median of one value is itself)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(rank / 100 * len(ordered)) - 1)]


def tally(
    leads: Iterable[tuple[str, list[dict]]], accesses: Iterable[tuple[str, str, str]] = ()
) -> list[SiteRow]:
    """Count each lead's steps, given as (status, steps), at the sites they happened at.

    Accesses, given as (site, city, action), count the openings of and actions on the staff
    links made for each site.
    """
    rows: dict[tuple[str, str], SiteRow] = {}
    for site, city, action in accesses:
        row = rows.setdefault((site, city), SiteRow(site, city))
        row.opened += action == OPENED
        row.actions += action != OPENED
    for status, steps in leads:
        arrived, acknowledged = None, False
        for item in steps:
            key = (item["site"], item["city"])
            row = rows.setdefault(key, SiteRow(*key))
            if item["action"] == RECEIVED:
                row.received, arrived = row.received + 1, item["at"]
            elif item["action"] == FORWARDED:
                row.forwarded += 1
            elif item["action"] in ACKNOWLEDGEMENTS and not acknowledged:
                acknowledged = True
                row.acknowledged += 1
                row.hours.append(hours_between(arrived or item["at"], item["at"]))
        last = rows[(steps[-1]["site"], steps[-1]["city"])] if steps else None
        if last is not None:
            last.open += status == OPEN
            last.not_suitable += status == NOT_SUITABLE
    return sorted(rows.values(), key=lambda row: (row.site == "", row.site, row.city))


def as_json(rows: list[SiteRow]) -> str:
    """Return the rows as a JSON list of objects."""
    return json.dumps([row.as_dict() for row in rows], ensure_ascii=False, indent=2)


def as_csv(rows: list[SiteRow]) -> str:
    """Return the rows as CSV with a header line."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        values = row.as_dict()
        writer.writerow({key: "" if values[key] is None else values[key] for key in COLUMNS})
    return out.getvalue()


def as_table(rows: list[SiteRow]) -> str:
    """Return the rows as an aligned text table."""
    cells = [list(COLUMNS)]
    for row in rows:
        values = row.as_dict()
        values["site"] = values["site"] or CENTRAL
        cells.append(["-" if values[key] is None else str(values[key]) for key in COLUMNS])
    widths = [max(len(line[index]) for line in cells) for index in range(len(COLUMNS))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in cells
    )
