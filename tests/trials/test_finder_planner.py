"""What the PostgreSQL planner is given: the matches as a constant array of checked NCT ids,
and this app's connections priced for tables that stay in memory."""

import pytest
from sqlalchemy import text

from tests.trials.test_finder import MADRID, site, trial
from tests.trials.test_finder_index_copy import imported
from trialfinder.database import RANDOM_PAGE_COST
from trialfinder.extensions import db
from trialfinder.lib.geo import Place
from trialfinder.trials import finder
from trialfinder.trials.services import ANALYZE_AFTER


def test_the_id_array_is_written_only_from_nct_numbers():
    written = finder.id_array(["NCT00000001", "NCT12345678"])
    assert str(written) == "'{NCT00000001,NCT12345678}'::varchar[]"
    assert str(finder.id_array([])) == "'{}'::varchar[]"
    for bad in (["NCT0000001"], ["NCT00000001}'; DROP TABLE trial; --"], ["NCT00000001,x"]):
        with pytest.raises(ValueError, match="not an NCT number"):
            finder.id_array(bad)


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


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_statements_with_written_in_ids_are_not_kept_compiled(app, runner, tmp_path):
    studies = [
        trial(f"NCT00002{n:03d}", f"Bilby study {n}", sites=[site("Madrid", MADRID)])
        for n in range(30)
    ]
    imported(runner, tmp_path, "page.json", studies)
    with app.app_context():
        place = Place(*MADRID, "Madrid", "city")
        finder.find("bilby", place=place)
        kept = len(db.engine._compiled_cache)
        for n in range(30):  # thirty searches, thirty different sets of ids
            assert finder.find(f"bilby {n}", place=place).total >= 1
        assert len(db.engine._compiled_cache) == kept
