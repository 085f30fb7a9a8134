"""Importing registry records and finding trials."""

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import Row, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import load_only

from ..extensions import db
from ..geo import Place
from . import nearby, search_index, words
from .content import load_content
from .models import Site, Trial, utcnow
from .registry import RecordError, StudyRecord, parse_study, studies_in

RECORD_FILE = "record.json"
FIELDS = (
    "brief_title official_title acronym status min_age_years max_age_years sex sponsor start_date "
    "completion_date last_update brief_summary detailed_description eligibility_criteria"
).split()
LIST_FIELDS = ("conditions", "keywords", "phases", "central_emails")
RESULTS = 20  # trials shown per search: enough for a phone screen or two
ANALYZE_AFTER = 100  # studies in one file: refresh the query planner's statistics
FEW = 2000  # matches few enough to rank by distance without a bounding box
# What a result shows; the rest (the whole registry record among it) loads only if asked for.
SHOWN = load_only(
    Trial.nct_id,
    Trial.brief_title,
    Trial.acronym,
    Trial.status,
    Trial.min_age_years,
    Trial.max_age_years,
)
CHUNK = 500  # ids per IN (...) list


class ImportFailed(Exception):
    """A file could not be imported; the message names the file and the field."""


def read_records(path: Path) -> list[StudyRecord]:
    """Parse every study in a file, or raise ImportFailed naming the file and the field."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        return [parse_study(study, where) for where, study in studies_in(document)]
    except OSError as error:
        raise ImportFailed(f"{path}: cannot read the file ({error.strerror})") from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ImportFailed(f"{path}: not valid JSON ({error})") from error
    except RecordError as error:
        raise ImportFailed(f"{path}: field {error.field} {error.message}") from error


def trial_row(record: StudyRecord, version: str) -> dict:
    """Return the trial table's columns for a record."""
    row = {name: getattr(record, name) for name in FIELDS}
    row |= {name: list(getattr(record, name)) for name in LIST_FIELDS}
    return row | {"nct_id": record.nct_id, "record": record.raw, "version": version}


def site_rows(record: StudyRecord) -> list[dict]:
    """Return the site table's rows for a record, in registry order."""
    return [
        {**asdict(site), "emails": list(site.emails), "trial_id": record.nct_id, "position": n}
        for n, site in enumerate(record.sites)
    ]


def index_text(record: StudyRecord | Trial, content_dir: str) -> str:
    """Return what the finder searches: registry titles, conditions, summary, and our titles."""
    folder = Path(content_dir) / "trials" / record.nct_id
    titles = []
    if folder.is_dir():  # plain-language titles, so that 'leucemia' finds a 'leukemia' trial
        titles = [
            content.title
            for path in sorted(folder.glob("*.yaml"))
            if (content := load_content(content_dir, record.nct_id, path.stem))
        ]
    texts = [record.nct_id, record.acronym, record.brief_title, record.official_title]
    return words.document(
        *texts, *record.conditions, *record.keywords, record.brief_summary, *titles
    )


def known_versions(ids: list[str]) -> dict[str, str]:
    """Return the stored version of each of these trials that is already imported."""
    versions = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        query = select(Trial.nct_id, Trial.version).where(Trial.nct_id.in_(chunk))
        versions.update(db.session.execute(query).all())
    return versions


def store_all(records: list[StudyRecord]) -> dict[str, str]:
    """Insert or update trials in bulk; return 'new', 'changed' or 'same' for each."""
    latest = {record.nct_id: record for record in records}  # listed twice: the last one wins
    versions = {nct_id: record.version for nct_id, record in latest.items()}
    known = known_versions(list(latest))
    outcomes = {
        nct_id: "same" if known.get(nct_id) == version else "changed" if nct_id in known else "new"
        for nct_id, version in versions.items()
    }
    new = [latest[nct_id] for nct_id, outcome in outcomes.items() if outcome == "new"]
    changed = [latest[nct_id] for nct_id, outcome in outcomes.items() if outcome == "changed"]
    now = utcnow()
    if new:
        rows = [trial_row(r, versions[r.nct_id]) | {"imported_at": now} for r in new]
        db.session.execute(insert(Trial), [row | {"changed_at": now} for row in rows])
    if changed:
        rows = [trial_row(r, versions[r.nct_id]) | {"changed_at": now} for r in changed]
        db.session.execute(update(Trial), rows)
        for start in range(0, len(changed), CHUNK):
            ids = [r.nct_id for r in changed[start : start + CHUNK]]
            db.session.execute(
                delete(Site).where(Site.trial_id.in_(ids)),
                execution_options={"synchronize_session": False},
            )
    sites = [row for record in new + changed for row in site_rows(record)]
    if sites:
        db.session.execute(insert(Site), sites)
    content_dir = current_app.config["CONTENT_DIR"]
    texts = {record.nct_id: index_text(record, content_dir) for record in new + changed}
    search_index.replace(db.session.connection(), texts)
    return outcomes


def import_file(path: Path) -> dict[str, str]:
    """Import every study of a file in one transaction: all of it, or nothing."""
    records = read_records(path)
    try:
        outcomes = store_all(records)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    if len(records) >= ANALYZE_AFTER:
        search_index.analyze(db.session.connection())
        db.session.commit()
    return outcomes


def shipped_records(content_dir: Path) -> list[Path]:
    """Return the record files shipped in the content folder."""
    return sorted(Path(content_dir).glob(f"trials/*/{RECORD_FILE}"))


def load_shipped(content_dir: Path) -> int:
    """Import the shipped records when the database holds no trial yet; return how many."""
    if db.session.scalar(select(func.count()).select_from(Trial)):
        return 0
    try:
        return sum(len(import_file(path)) for path in shipped_records(content_dir))
    except IntegrityError:  # another worker starting at the same moment imported them first
        return 0


def reindex() -> int:
    """Rebuild the whole search index (after plain-language titles change); return its size."""
    content_dir = current_app.config["CONTENT_DIR"]
    trials = db.session.scalars(select(Trial).execution_options(yield_per=CHUNK))
    documents = ((trial.nct_id, index_text(trial, content_dir)) for trial in trials)
    count = search_index.rebuild(db.session.connection(), documents)
    db.session.commit()
    return count


@dataclass(frozen=True)
class Found:
    """A trial in the results, with its nearest site when the search has a place."""

    trial: Trial
    km: float | None = None
    site: Row | None = None  # facility, city, lat, lon


@dataclass(frozen=True)
class Results:
    """The trials shown (at most RESULTS) and how many match in all."""

    found: list[Found]
    total: int


def filters(query: str = "", age: float | None = None, status: str = "") -> list:
    """Return the WHERE clauses for words (full-text index), age and status."""
    clauses = []
    if query_words := words.query_words(query):
        dialect = db.session.get_bind().dialect.name
        index = search_index.matching(dialect, query_words)
        if dialect == "postgresql":  # else it may walk the titles in order, testing each one
            index = select(index.cte("matches").prefix_with("MATERIALIZED").c.nct_id)
        clauses.append(Trial.nct_id.in_(index))
    if age is not None:
        clauses.append(or_(Trial.min_age_years.is_(None), Trial.min_age_years <= age))
        clauses.append(or_(Trial.max_age_years.is_(None), Trial.max_age_years >= age))
    if status:
        clauses.append(Trial.status == status)
    return clauses


def find(
    words: str = "",
    age: float | None = None,
    status: str = "",
    place: Place | None = None,
    limit: int = RESULTS,
) -> Results:
    """Find trials with all the words, open to the age, with the status: by title or nearest."""
    clauses = filters(words, age, status)
    total = db.session.scalar(select(func.count()).select_from(Trial).where(*clauses))
    if place is None:
        query = select(Trial).where(*clauses).options(SHOWN)
        trials = db.session.scalars(query.order_by(Trial.brief_title).limit(limit))
        return Results([Found(trial) for trial in trials], total)
    # Few matches: rank all their sites. Many: look in growing boxes around the place.
    for km in (None,) if total <= FEW else nearby.RADII_KM:
        ids = nearest_ids(place, km, clauses, limit)
        if len(ids) >= limit:
            break
    return Results(with_distances(ids, place), total)


def search(words: str = "", age: float | None = None, status: str = "", limit: int = RESULTS):
    """Return trials matching all the words, open to the age, with the status, by title."""
    return [found.trial for found in find(words, age, status, limit=limit).found]


def nearest_ids(place: Place, km: float | None, clauses: list, limit: int) -> list[str]:
    """Return matching trials with a site within `km` (or anywhere) of the place, nearest first."""
    half_lat = func.radians(Site.lat - place.lat) / 2
    half_lon = func.radians(Site.lon - place.lon) / 2
    term = func.power(func.sin(half_lat), 2) + math.cos(math.radians(place.lat)) * func.cos(
        func.radians(Site.lat)
    ) * func.power(func.sin(half_lon), 2)
    closest = func.min(term).label("closest")
    sites = select(Site.trial_id, closest).group_by(Site.trial_id)
    if km is None:  # few matching trials: their sites, whatever the distance
        sites = sites.where(Site.lat.is_not(None), Site.lon.is_not(None))
    else:
        box = nearby.bounding_box(place.lat, place.lon, km)
        sites = sites.where(Site.lat.between(box.south, box.north))
        sites = sites.where(or_(*(Site.lon.between(west, east) for west, east in box.longitudes)))
        sites = sites.having(closest <= nearby.haversine_term(km))
    if km is None:
        query = sites.join(Trial, Trial.nct_id == Site.trial_id).where(*clauses)
        query = query.order_by(closest, Site.trial_id)
    else:
        # The box first, then the filters: else a planner may start from the words' matches
        # (thousands) and compute the distance of all their sites.
        near = sites.cte("near").prefix_with("MATERIALIZED")
        query = select(near.c.trial_id).join(Trial, Trial.nct_id == near.c.trial_id)
        query = query.where(*clauses).order_by(near.c.closest, near.c.trial_id)
    return list(db.session.scalars(query.limit(limit)))


def with_distances(ids: list[str], place: Place) -> list[Found]:
    """Load these trials with the exact distance to their nearest site, nearest first."""
    trials = db.session.scalars(select(Trial).where(Trial.nct_id.in_(ids)).options(SHOWN))
    sites: dict[str, list] = {nct_id: [] for nct_id in ids}
    columns = (Site.trial_id, Site.facility, Site.city, Site.lat, Site.lon)
    for site in db.session.execute(select(*columns).where(Site.trial_id.in_(ids))):
        sites[site.trial_id].append((site, site.lat, site.lon))
    found = []
    for trial in trials:
        site, km = nearby.nearest(sites[trial.nct_id], place.lat, place.lon)  # ranked: placed
        found.append(Found(trial, km, site))
    return sorted(found, key=lambda item: (item.km, item.trial.nct_id))
