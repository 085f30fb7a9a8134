"""What the PostgreSQL planner is given: counts that stop, a nearest-site walk that looks up
the sites it reads, and this app's connections priced for tables that stay in memory."""

import pytest
from sqlalchemy import text

from tests.trials.test_finder import MADRID, site, trial
from tests.trials.test_finder_index_copy import imported
from trialfinder.database import RANDOM_PAGE_COST
from trialfinder.extensions import db
from trialfinder.lib.geo import Place
from trialfinder.trials import finder
from trialfinder.trials.services import ANALYZE_AFTER


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_postgresql_connections_price_random_reads_as_in_memory(app):
    with app.app_context():
        for _ in range(2):  # a new connection each time: the setting outlives a rollback
            assert float(db.session.scalar(text("SHOW random_page_cost"))) == RANDOM_PAGE_COST
            db.session.rollback()
            db.session.close()
            db.engine.dispose()


@pytest.mark.databases
def test_words_and_a_place_count_every_match_and_rank_them_by_distance(
    app, runner, tmp_path, monkeypatch
):
    far = (40.0, 2.0)
    imported(runner, tmp_path, "page.json", [
        trial("NCT00000401", "Numbat fever, far", sites=[site("Far", far)]),
        trial("NCT00000402", "Numbat fever, near", sites=[site("Madrid", MADRID)]),
        trial("NCT00000403", "Numbat fever, adults", sites=[site("Madrid", MADRID)],
              minimum="18 Years"),
    ])  # fmt: skip
    with app.app_context():
        place = Place(*MADRID, "Madrid", "city")
        for few in (10**9, 0):  # rank all their sites, or walk the nearest sites
            monkeypatch.setattr(finder, "FEW", few)
            results = finder.find("numbat", age=10, place=place)
            assert [found.trial.nct_id for found in results.found] == ["NCT00000402", "NCT00000401"]
            assert results.total == 2


@pytest.mark.databases
def test_a_large_import_leaves_the_tables_analyzed_and_on_postgresql_vacuumed(
    app, runner, tmp_path
):
    studies = [trial(f"NCT00001{n:03d}", f"Quoll study {n}") for n in range(ANALYZE_AFTER)]
    imported(runner, tmp_path, "page.json", studies)
    with app.app_context():
        assert finder.find("quoll").total == ANALYZE_AFTER
        if db.engine.dialect.name == "sqlite":
            assert db.session.scalar(text("SELECT count(*) FROM sqlite_stat1")) > 0
        else:
            marked = "SELECT relallvisible FROM pg_class WHERE oid = 'trial'::regclass"
            assert db.session.scalar(text(marked)) > 0  # pages all visible: the vacuum ran


@pytest.mark.databases
def test_many_matches_near_a_place_are_counted_to_the_limit_and_walked_nearest_first(
    app, runner, tmp_path, monkeypatch
):
    """More matches than are counted: the walk from the place tests each site it reads."""
    # The first study also has the four sites next nearest: a walk of three sites reads it
    # alone, then walks again four times further.
    districts = [site(f"Town 0 district {k}", (40.0 + k / 100, -3.7)) for k in range(1, 5)]
    studies = [
        trial(f"NCT00002{n:03d}", f"Bilby study {n}", minimum="18 Years" if n % 2 else None,
              sites=[site(f"Town {n}", (40.0 + n / 10, -3.7)), *(districts if n == 0 else [])])
        for n in range(30)
    ]  # fmt: skip
    imported(runner, tmp_path, "page.json", studies)
    monkeypatch.setattr(finder, "COUNTED", 5)
    monkeypatch.setattr(finder, "FEW", 5)
    place = Place(40.0, -3.7, "Town 0", "city")
    with app.app_context():
        results = finder.find("bilby", age=10, place=place)  # the even ones take children
        expected = [f"NCT00002{n:03d}" for n in range(0, 30, 2)]
        assert [found.trial.nct_id for found in results.found] == expected
        assert (results.total, results.more) == (5, True)
        assert [f.trial.nct_id for f in finder.find("bilby", place=place, limit=3).found] == [
            "NCT00002000", "NCT00002001", "NCT00002002"
        ]  # fmt: skip


# Trials at the edges of the ages searched below, all in Madrid: (minimum, maximum) as written.
EDGES = {
    "NCT00004001": (None, None),
    "NCT00004002": ("5 Years", None),
    "NCT00004003": ("66 Months", None),  # 5.5 years: a child of 5 may be 5 and a half
    "NCT00004004": ("6 Years", None),
    "NCT00004005": (None, "5 Years"),
    "NCT00004006": (None, "4 Years"),
    "NCT00004007": ("2 Months", "6 Months"),
}


def ours(results: finder.Results) -> list[str]:
    """The trials of EDGES found, in order (a search without words finds the shipped one too)."""
    return [item.trial.nct_id for item in results.found if item.trial.nct_id in EDGES]


@pytest.mark.databases
def test_the_nearest_site_walk_takes_exactly_the_trials_open_to_the_age(
    app, runner, tmp_path, monkeypatch
):
    """The walk asks the sites' index for the ages first (PostgreSQL, migration 0011): it finds
    what the trials' own limits find, at the edges too, with words or without, nearest first."""
    studies = [
        trial(nct_id, f"Wombat study {nct_id}", minimum=minimum, maximum=maximum,
              sites=[site("Far", (40.0 + int(nct_id[-1]) / 10, -3.7))])
        for nct_id, (minimum, maximum) in EDGES.items()
    ]  # fmt: skip
    imported(runner, tmp_path, "page.json", studies)
    place = Place(40.0, -3.7, "Madrid", "city")
    expected = {
        5: ["NCT00004001", "NCT00004002", "NCT00004003", "NCT00004005"],
        5.5: ["NCT00004001", "NCT00004002", "NCT00004003"],
        0.25: ["NCT00004001", "NCT00004005", "NCT00004006", "NCT00004007"],
        40: ["NCT00004001", "NCT00004002", "NCT00004003", "NCT00004004"],
    }
    with app.app_context():
        for few in (10**9, 0):  # rank all their sites, or walk the nearest sites
            monkeypatch.setattr(finder, "FEW", few)
            for words in ("wombat", ""):
                for age, nct_ids in expected.items():
                    found = ours(finder.find(words, age=age, place=place))
                    assert found == nct_ids, (few, words, age)
                    outside = ours(finder.find(words, age=age, place=place, outside=True))
                    assert outside == sorted(set(EDGES) - set(nct_ids)), (few, words, age)


@pytest.mark.databases
def test_words_with_more_matches_than_counted_give_the_first_titles_of_all(
    app, runner, tmp_path, monkeypatch
):
    """The count stops before the matches end: the page is still the first of them all by title,
    whether it is found by walking the first titles or by sorting all the matches.

    The trials are written in the reverse of their titles' order, and the words searched for
    alternate in the titles.
    """
    titles = {
        f"NCT00003{n:03d}": f"Quokkas {99 - n} and {'dingoes' if n % 3 else 'bandicoots'}"
        for n in range(60)
    }
    imported(runner, tmp_path, "page.json", [trial(*item) for item in titles.items()])
    monkeypatch.setattr(finder, "COUNTED", 5)
    with app.app_context():
        for words in ("quokkas", "bandicoots"):
            matches = [item for item in titles.items() if words in item[1].lower()]
            by_title = [nct_id for nct_id, _title in sorted(matches, key=lambda item: item[::-1])]
            # The page among the first titles walked, or not (a walk of 1 title): all sorted
            for limit, walked in ((3, finder.WALKED), (3, 1), (20, finder.WALKED), (20, 1)):
                monkeypatch.setattr(finder, "WALKED", walked)
                results = finder.find(words, limit=limit)
                assert [found.trial.nct_id for found in results.found] == by_title[:limit]
                assert (results.total, results.more) == (5, True)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_searches_do_not_grow_the_cache_of_compiled_statements(app, runner, tmp_path, monkeypatch):
    studies = [
        trial(f"NCT00002{n:03d}", f"Bilby study {n}", sites=[site("Madrid", MADRID)])
        for n in range(30)
    ]
    imported(runner, tmp_path, "page.json", studies)
    with app.app_context():
        place = Place(*MADRID, "Madrid", "city")
        for few in (10**9, 0):  # rank all their sites, or walk the nearest sites
            monkeypatch.setattr(finder, "FEW", few)
            finder.find("bilby", age=30, place=place)
            kept = len(db.engine._compiled_cache)
            for n in range(30):  # thirty searches, thirty different sets of words
                assert finder.find(f"bilby {n}", age=30, place=place).total >= 1
            assert len(db.engine._compiled_cache) == kept


# Wombat studies on a line north of Madrid, nearest first: (sex, status, minimum, maximum).
WOMBATS = [
    ("ALL", "RECRUITING", None, None),
    ("FEMALE", "RECRUITING", "18 Years", None),
    ("MALE", "RECRUITING", None, "17 Years"),
    ("ALL", "COMPLETED", "6 Months", "2 Years"),
    ("MALE", "COMPLETED", "30 Years", "70 Years"),
    ("FEMALE", "RECRUITING", "1 Year", "1 Year"),
    ("ALL", "RECRUITING", "65 Years", None),
]
SEARCHES = [
    (age, status, sex, outside)
    for age in (None, 1, 0.5, 17, 30, 70)
    for status in ("", "RECRUITING", "COMPLETED")
    for sex in ("", "female", "male")
    for outside in (False, True)
]


def wombat_takes(limits: tuple, age: float | None, sex: str) -> bool:
    """The age and sex rules of `finder.limit_clauses`, in Python."""
    sex_limit, _status, minimum, maximum = limits
    low = float(minimum.split()[0]) / (12 if "Month" in minimum else 1) if minimum else None
    high = float(maximum.split()[0]) if maximum else None
    if age is not None:
        whole = float(age).is_integer()
        if low is not None and not (low < age + 1 if whole else low <= age):
            return False
        if high is not None and high < age:
            return False
    return not sex or sex_limit in ("ALL", sex.upper())


@pytest.mark.databases
def test_statements_built_once_run_with_each_searchs_own_values(app, runner, tmp_path, monkeypatch):
    """PostgreSQL builds the count and the walk of a search by words near a place once for each
    shape, with stand-in values (a woman, recruiting, one year old): every search of that shape
    must find what its own values find, here 108 of them, each against the rules in Python."""
    studies = []
    for n, (sex, status, minimum, maximum) in enumerate(WOMBATS):
        record = trial(f"NCT00005{n:03d}", f"Wombat study {n}", minimum=minimum, maximum=maximum,
                       status=status, sites=[site(f"Town {n}", (40.5 + n / 10, -3.7))])  # fmt: skip
        record["protocolSection"]["eligibilityModule"]["sex"] = sex
        studies.append(record)
    imported(runner, tmp_path, "page.json", studies)
    monkeypatch.setattr(finder, "COUNTED", 0)
    monkeypatch.setattr(finder, "FEW", 0)  # always the walk (on PostgreSQL)
    place = Place(*MADRID, "Madrid", "city")
    with app.app_context():
        for age, status, sex, outside in SEARCHES:
            found = finder.find("wombat", age, status, place, sex=sex, outside=outside).found
            expected = [
                f"NCT00005{n:03d}"
                for n, limits in enumerate(WOMBATS)
                if (not status or limits[1] == status)
                and wombat_takes(limits, age, sex) is not outside
            ]
            search = (age, status, sex, outside)
            assert [item.trial.nct_id for item in found] == expected, search
