"""PostgreSQL keeps the search index's rows in title order after an import (migration 0010).

A word's matches then share pages: the rows of trials whose titles share words lie together.
"""

import pytest
from sqlalchemy import text

from tests.trials.test_trials_import import study, write
from trialfinder.extensions import db
from trialfinder.trials import search_index

pytestmark = pytest.mark.databases
PUT_IN_ORDER = "search index: rows put back in title order"


def titles(count: int, first: int = 1) -> list[tuple[str, str]]:
    return [(f"NCT{900 + n:08d}", f"Zz study {n:03d}") for n in range(first, first + count)]


def import_page(runner, tmp_path, trials: list[tuple[str, str]], name: str):
    page = {"studies": [study(nct_id, title) for nct_id, title in trials]}
    return runner.invoke(args=["trials", "import", str(write(tmp_path, name, page))])


def dialect(app) -> str:
    with app.app_context():
        return db.engine.dialect.name


def stored_order(app) -> list[str]:
    """The NCT ids as the table holds them (PostgreSQL: in the order of their rows)."""
    with app.app_context():
        rows = db.session.execute(text(f"SELECT nct_id FROM {search_index.TABLE} ORDER BY ctid"))
        return [nct_id for (nct_id,) in rows]


def in_title_order(app) -> list[str]:
    with app.app_context():
        rows = db.session.execute(
            text(f"SELECT nct_id FROM {search_index.TABLE} ORDER BY brief_title, nct_id")
        )
        return [nct_id for (nct_id,) in rows]


def test_rows_written_out_of_title_order_are_put_back_in_it(app, runner, tmp_path):
    result = import_page(runner, tmp_path, list(reversed(titles(40))), "reversed.json")
    assert result.exit_code == 0, result.output
    if dialect(app) == "sqlite":  # FTS5 keeps no titles: nothing to order
        assert PUT_IN_ORDER not in result.output
        return
    assert PUT_IN_ORDER in result.output
    assert stored_order(app) == in_title_order(app)
    with app.app_context():  # its indexes rebuilt with it: a word search still finds them
        assert len(db.session.execute(search_index.matching("postgresql", ["zz"])).all()) == 40


def test_rows_already_in_order_are_left_as_they_are(app, runner, tmp_path):
    result = import_page(runner, tmp_path, titles(40), "ordered.json")
    assert result.exit_code == 0, result.output
    assert PUT_IN_ORDER not in result.output
    if dialect(app) == "postgresql":
        before = stored_order(app)
        with app.app_context(), db.engine.connect() as connection:
            autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
            assert search_index.keep_in_title_order(autocommit) is False
        assert stored_order(app) == before
