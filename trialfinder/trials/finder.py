"""Finding trials: words (full-text index), age, status, and distance to a place."""

import math
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    Row,
    Select,
    String,
    and_,
    bindparam,
    func,
    not_,
    or_,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import array
from sqlalchemy.orm import load_only
from sqlalchemy.sql.util import ClauseAdapter

from trialfinder.extensions import db
from trialfinder.lib.geo import Place, nearest_site
from trialfinder.lib.statuses import TAKING_PEOPLE
from trialfinder.trials import nearby, search_index, words
from trialfinder.trials.models import AGES_UNSET, Site, Trial
from trialfinder.trials.search_index import INDEXED

RESULTS = 20  # trials shown per search: enough for a phone screen or two
# Counting stops here: "more than 1,000" tells a family as much as "12,132", and a count that
# stops reads a thousand rows where an exact one read every match (at 100,000 trials, 18 ms of
# an age search's 27).
COUNTED = 1000
FEW = COUNTED  # matches few enough to rank by distance without a bounding box (counted exactly)
# A word search by title (PostgreSQL) first walks this many titles in order, testing each: a
# page of matches is there when one trial in 25 matches (see by_title_indexed).
WALKED = 500
# What a result shows; the rest (the whole registry record among it) loads only if asked for.
SHOWN = load_only(
    Trial.nct_id,
    Trial.brief_title,
    Trial.acronym,
    Trial.status,
    Trial.min_age_years,
    Trial.max_age_years,
    Trial.sex,
)


@dataclass(frozen=True)
class Found:
    """A trial in the results, with its nearest site when the search has a place."""

    trial: Trial
    km: float | None = None
    site: Row | None = None  # facility, city, lat, lon


@dataclass(frozen=True)
class Results:
    """The trials shown (at most RESULTS) and how many match in all (at most COUNTED)."""

    found: list[Found]
    total: int
    more: bool = False  # more than `total` match: counting stopped at COUNTED


def counted(matches: int) -> tuple[int, bool]:
    """Return a number of matches as shown, and whether more match than that."""
    return min(matches, COUNTED), matches > COUNTED


def count_statement(clauses: list, table=Trial) -> Select:
    """Return the count of the rows that match, up to COUNTED + 1 ("more than COUNTED")."""
    matches = select(true()).select_from(table).where(*clauses).limit(COUNTED + 1).subquery()
    return select(func.count()).select_from(matches)


def count(clauses: list, table=Trial) -> int:
    """Count the rows that match, up to COUNTED + 1 (enough to say "more than COUNTED")."""
    return db.session.scalar(count_statement(clauses, table))


def limit_clauses(age: float | None = None, sex: str = "", columns=Trial) -> list:
    """Return the WHERE clauses for trials open to this age and sex (either may be unknown).

    `columns`: the trial table's, or (PostgreSQL) the search index's copy of them. The values
    are named parameters: a statement built once for the searches of one shape
    (`near_statements`) runs with each search's own values (`indexed_values`).
    """
    clauses = []
    if age is not None:
        # As fit.too_young: an age in whole years may be anywhere in that year of life.
        minimum, maximum = columns.min_age_years, columns.max_age_years
        if float(age).is_integer():
            old_enough = minimum < bindparam("age_next", age + 1, type_=Float)
        else:
            old_enough = minimum <= bindparam("age", age, type_=Float)
        clauses.append(or_(minimum.is_(None), old_enough))
        clauses.append(or_(maximum.is_(None), maximum >= bindparam("age", age, type_=Float)))
    if sex:
        clauses.append(columns.sex.in_(["ALL", bindparam("sex", sex.upper(), type_=String)]))
    return clauses


def filters(query: str = "", age: float | None = None, status: str = "", sex: str = "") -> list:
    """Return the WHERE clauses for words (full-text index), age, sex and status.

    PostgreSQL's word searches filter its search index instead (`indexed_filters`).
    """
    clauses = []
    if query_words := words.query_words(query):
        dialect = db.session.get_bind().dialect.name
        clauses.append(Trial.nct_id.in_(search_index.matching(dialect, query_words)))
    clauses.extend(limit_clauses(age, sex))
    if status:
        clauses.append(Trial.status == status)
    return clauses


def find(
    words: str = "",
    age: float | None = None,
    status: str = "",
    place: Place | None = None,
    limit: int = RESULTS,
    sex: str = "",
    outside: bool = False,
) -> Results:
    """Find trials with all the words, open to the age and sex, with the status: by title or place.

    With `outside`, find instead the trials that match all but the age and sex.
    """
    if (indexed_words := postgres_words(words)) and limit > 0:
        if place is None:
            return by_title_indexed(
                indexed_filters(indexed_words, age, status, sex, outside), limit
            )
        counting, walking = near_statements(Shape.of(age, status, sex, outside))
        values = indexed_values(indexed_words, age, status, sex)
        total = db.session.scalar(counting, values)
        # Few: their sites, all of them. Many (one trial in a hundred or more): the nearest-site
        # walk looks up the trial of each site it reads, and reads few.
        if total > FEW:
            ages = None if outside else age
            walked = nearest_ids_knn(place, [], limit, age=ages, walk=(walking, values))
            return Results(with_distances(walked, place), *counted(total))
        indexed = indexed_filters(indexed_words, age, status, sex, outside)
        clauses = [Site.trial_id.in_(select(INDEXED.c.nct_id).where(*indexed))]
    else:
        clauses = filters(words, age, status, sex)
        if outside:
            clauses = [*filters(words, status=status), not_(and_(true(), *limit_clauses(age, sex)))]
        total = count(clauses)
    shown = counted(total)
    if place is None:
        query = select(Trial).where(*clauses).options(SHOWN)
        trials = db.session.scalars(query.order_by(Trial.brief_title).limit(limit))
        return Results([Found(trial) for trial in trials], *shown)
    # Few matches: rank all their sites. Many: the nearest-site index on PostgreSQL, else
    # look in growing boxes around the place.
    if total > FEW and db.session.get_bind().dialect.name == "postgresql":
        ages = None if outside else age
        found = nearest_ids_knn(place, clauses, limit, age=ages)
        return Results(with_distances(found, place), *shown)
    for km in (None,) if total <= FEW else nearby.RADII_KM:
        ids = nearest_ids(place, km, clauses, limit)
        if len(ids) >= limit:
            break
    return Results(with_distances(ids, place), *shown)


def postgres_words(query: str) -> list[str]:
    """Return the query's words when the search index is PostgreSQL's (its copy of the trials)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return []
    return words.query_words(query)


def indexed_filters(
    query_words: list[str], age: float | None, status: str, sex: str, outside: bool
) -> list:
    """Return the WHERE clauses of `find` on the PostgreSQL search index and its copied columns."""
    columns = INDEXED.c
    limits = limit_clauses(age, sex, columns)
    clauses = [not_(and_(true(), *limits))] if outside else limits
    if status:
        clauses.append(columns.status == bindparam("status", status, type_=String))
    # The words last: a lookup per site read (looked_up) tests them only if the rest passes.
    return [*clauses, search_index.has_words(query_words)]


@dataclass(frozen=True)
class Shape:
    """What changes the statements of a PostgreSQL search by words near a place."""

    age: str  # "" (none), "whole" (years) or "part" (a fraction of a year)
    sex: bool
    status: bool
    outside: bool

    @classmethod
    def of(cls, age: float | None, status: str, sex: str, outside: bool) -> "Shape":
        kind = "" if age is None else "whole" if float(age).is_integer() else "part"
        return cls(kind, bool(sex), bool(status), outside)


@lru_cache(maxsize=32)  # 24 shapes
def near_statements(shape: Shape) -> tuple[Select, Select]:
    """Return the count and the nearest-site walk of a search by words of this shape, built once.

    Built with stand-in values, run with each search's (`indexed_values`): building these
    statements and keying them for SQLAlchemy's compiled cache was a fifth of the Python time
    of a search by words, age and place.
    """
    age = {"": None, "whole": 1.0, "part": 0.5}[shape.age]
    stand_in = ("FEMALE" if shape.sex else ""), ("RECRUITING" if shape.status else "")
    indexed = indexed_filters(["stand-in"], age, stand_in[1], stand_in[0], shape.outside)
    aged = shape.age != "" and not shape.outside
    return count_statement(indexed, INDEXED), walk_statement([looked_up(indexed)], aged, False)


def indexed_values(
    query_words: list[str], age: float | None, status: str, sex: str
) -> dict[str, object]:
    """Return the named parameters of `indexed_filters` for these values."""
    values: dict[str, object] = {"words": words.tsquery(query_words)}
    if age is not None:
        values |= {"age": age, "age_next": age + 1}
    if sex:
        values["sex"] = sex.upper()
    if status:
        values["status"] = status
    return values


def looked_up(indexed: list) -> ColumnElement:
    """Return a test of each site the walk reads: its trial is in the search index's matches.

    A scalar subquery, so that the planner keeps it a lookup per site read: as IN or EXISTS it
    may read every match first (12,132 for 'leukemia'), or join them all to their sites and sort
    them (it misjudges how many trials have two words: 171 where 4,135 do).
    """
    columns = INDEXED.c
    found = select(true()).where(columns.nct_id == Site.trial_id, *indexed)
    return found.scalar_subquery().is_(True)


def by_title_indexed(clauses: list, limit: int) -> Results:
    """Take the first `limit` matches by title, and count the matches (up to COUNTED + 1).

    The page is looked for among the first titles (WALKED), read in order: when it is there,
    the count stops at COUNTED + 1. Else all the matches are read, counted and sorted (12,132
    for 'leukemia' at 100,000 trials: 20 ms; its page is in the first 500 titles).
    """
    rows = walked_page(clauses, limit)
    if len(rows) == limit:
        return Results([Found(row[0]) for row in rows], *counted(count(clauses, INDEXED)))
    # The NCT id orders trials of the same title (the trial table's order leaves them as found).
    order = (INDEXED.c.brief_title, INDEXED.c.nct_id)
    page = select(*order, func.count().over().label("total")).where(*clauses)
    rows = page_by_title(page.order_by(*order).limit(limit))
    return Results([Found(row[0]) for row in rows], *counted(rows[0].total if rows else 0))


def walked_page(clauses: list, limit: int) -> list[Row]:
    """Return the first `limit` matches among the first WALKED titles (fewer: not all there).

    Only this walk names the condition of the titles' index (migration 0009): a search that
    sorts all its matches never walks it from the first title to the last, testing each (155
    ms for 'vaccine' at 100,000 trials, where reading and sorting its matches costs 20).
    """
    columns = INDEXED.c
    order = (columns.brief_title, columns.nct_id)
    titled = select(INDEXED).where(columns.brief_title.is_not(None))  # untitled trials: last
    walked = titled.order_by(*order).limit(WALKED).subquery()
    page = select(walked.c.brief_title, walked.c.nct_id)
    page = page.where(*map(ClauseAdapter(walked).traverse, clauses))
    return page_by_title(page.order_by(walked.c.brief_title, walked.c.nct_id).limit(limit))


def page_by_title(page: Select) -> list[Row]:
    """Load the trials of a page of the search index, by title, with the page's columns."""
    rows = page.subquery()
    query = select(Trial, *rows.c).join(rows, Trial.nct_id == rows.c.nct_id).options(SHOWN)
    return list(db.session.execute(query.order_by(rows.c.brief_title, rows.c.nct_id)).all())


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


def site_box(lat, lon, youngest, oldest):
    """Return a site as a PostgreSQL `cube` (see migrations 0005 and 0011): its point on the
    unit sphere in three dimensions, and in a fourth the ages its trial takes (in years)."""
    x = func.cos(func.radians(lat)) * func.cos(func.radians(lon))
    y = func.cos(func.radians(lat)) * func.sin(func.radians(lon))
    z = func.sin(func.radians(lat))
    return func.cube(array([x, y, z, youngest]), array([x, y, z, oldest]))


# The expression the sites' GiST index is on, built once (a tenth of a walk's Python time).
SITE_BOX = site_box(Site.lat, Site.lon, Site.youngest, Site.oldest)


def age_span(age: float | None) -> tuple[float, float]:
    """Return the ages a trial must reach into to take this age, as `limit_clauses` reads it.

    A whole number of years may be anywhere in that year of life. A site's ages are 0 and
    AGES_UNSET where its trial sets none, so no age (None) spans them all.
    """
    if age is None:
        return (0.0, AGES_UNSET)
    return (age, age + 1 if float(age).is_integer() else age)


def walk_statement(clauses: list, aged: bool, on_trials: bool) -> Select:
    """Return the nearest-site walk: parameters x, y, z (the place on the unit sphere), low and
    high (`age_span`) and rows (its LIMIT)."""
    here = [bindparam(axis, type_=Float) for axis in ("x", "y", "z")]
    low, high = bindparam("low", type_=Float), bindparam("high", type_=Float)
    gap = SITE_BOX.op("<->")(func.cube(array([*here, low]), array([*here, high])))
    query = select(Site.trial_id).where(Site.lat.is_not(None), Site.lon.is_not(None), *clauses)
    if aged:
        everywhere = func.cube(array([-1.0, -1.0, -1.0, low]), array([1.0, 1.0, 1.0, high]))
        query = query.where(SITE_BOX.op("&&")(everywhere))
    if on_trials:
        query = query.join(Trial, Trial.nct_id == Site.trial_id)
    return query.order_by(gap).limit(bindparam("rows", type_=Integer))


def nearest_ids_knn(
    place: Place,
    clauses: list,
    limit: int,
    on_trials: bool = True,
    age: float | None = None,
    walk: tuple[Select, dict] | None = None,
) -> list[str]:
    """Return matching trials nearest first, walking the GiST index of sites (PostgreSQL).

    The straight line between two points of the sphere grows with the distance along it,
    so the index's `<->` order is the order of distance; each trial counts at its nearest site.
    With an age, the index also passes over the sites of trials that do not take it (`&&`:
    their span of ages misses it) and each site it gives is exactly as far as its point is.
    The walk asks for as many matching sites as trials, one statement that the driver prepares
    once it has run a few times; only when some of those sites share a trial does it walk again,
    four times further each time. (A server-side cursor read the same sites, a few at a time,
    in four round trips and a plan each: at 100,000 trials, words + age + place 11.9 -> 10.7 ms
    on average, place alone 8.4 -> 6.6, alternated.) `on_trials`: the clauses test the trial
    table's columns (else the search index's: each site read is not joined to its trial, 15 %
    of the walk). `walk`: a statement built once (`near_statements`) and its values, instead.
    """
    lat, lon = math.radians(place.lat), math.radians(place.lon)
    low, high = age_span(age)
    values = {"x": math.cos(lat) * math.cos(lon), "y": math.cos(lat) * math.sin(lon)}
    values |= {"z": math.sin(lat), "low": low, "high": high}
    if walk is None:
        walk = walk_statement(clauses, age is not None, on_trials), {}
    query, values = walk[0], walk[1] | values
    rows = limit
    while True:
        read = list(db.session.scalars(query, values | {"rows": rows}))
        found = list(dict.fromkeys(read))  # each trial once, at its nearest site
        if len(found) >= limit or len(read) < rows:  # enough trials, or every site read
            return found[:limit]
        rows *= 4


# The two statements of `with_distances`, built once: a search spent a third of its Python
# time building, and keying for the compiled cache, statements that differ only in their ids.
SHOWN_TRIALS = select(Trial).where(Trial.nct_id.in_(bindparam("ids", expanding=True)))
SHOWN_TRIALS = SHOWN_TRIALS.options(SHOWN)
THEIR_SITES = select(Site.trial_id, Site.facility, Site.city, Site.lat, Site.lon, Site.status)
THEIR_SITES = THEIR_SITES.where(Site.trial_id.in_(bindparam("ids", expanding=True)))
THEIR_SITES = THEIR_SITES.order_by(Site.trial_id, Site.position)  # as listed: the first wins ties


def with_distances(ids: list[str], place: Place) -> list[Found]:
    """Load these trials with the distance to their nearest recruiting site (else any site)."""
    trials = db.session.scalars(SHOWN_TRIALS, {"ids": ids})
    sites: dict[str, list] = {nct_id: [] for nct_id in ids}
    for site in db.session.execute(THEIR_SITES, {"ids": ids}):
        sites[site.trial_id].append(site)
    found = []
    for trial in trials:
        here = (sites[trial.nct_id], place.lat, place.lon)
        site, km = nearest_site(*here) or nearest_site(*here, statuses=None)  # one is placed
        found.append(Found(trial, km, site))
    return sorted(found, key=lambda item: (item.km, item.trial.nct_id))


def recruiting_sites(ids: list[str]) -> list[Row]:
    """Return the placed recruiting sites of these trials (facility, city, lat, lon).

    Those of a trial that takes nobody now are left out, whatever the site's own status says.
    """
    columns = (Site.facility, Site.city, Site.lat, Site.lon)
    query = select(*columns).join(Trial, Trial.nct_id == Site.trial_id)
    query = query.where(
        Site.trial_id.in_(ids),
        Site.status == "RECRUITING",
        Site.lat.is_not(None),
        Trial.status.in_(TAKING_PEOPLE),
    )
    return list(db.session.execute(query.order_by(Site.trial_id, Site.position)))
