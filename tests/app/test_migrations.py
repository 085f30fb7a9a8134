"""Schema migrations: they match the models, run at start, and tolerate two processes at once."""

import subprocess
import sys
import uuid

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import func, inspect, select

from tests.conftest import NCT
from tests.databases import app_environment
from trialfinder import config, create_app
from trialfinder.database import MIGRATIONS
from trialfinder.extensions import db
from trialfinder.trials import finder
from trialfinder.trials.models import Site, Trial

pytestmark = pytest.mark.databases


def heads(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.text("SELECT version_num FROM alembic_version")))


def trials(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Trial))


def close(app) -> None:
    with app.app_context():
        db.engine.dispose()


def test_migrations_match_the_models(app, runner):
    result = runner.invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output


def test_a_model_change_without_a_migration_is_caught(app, runner):
    extra = sa.Table(
        "unmigrated_example", db.metadata, sa.Column("id", sa.Integer, primary_key=True)
    )
    try:
        assert runner.invoke(args=["db", "check"]).exit_code == 1
    finally:
        db.metadata.remove(extra)
    assert runner.invoke(args=["db", "check"]).exit_code == 0


def test_start_migrates_an_empty_database_to_the_latest_revision(app):
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
        assert {"trial", "site", "outbox_message", "alembic_version"} <= tables
        assert db.session.get(Trial, NCT) is not None
    assert heads(app) == ScriptDirectory(str(MIGRATIONS)).get_heads()


@pytest.mark.slow  # two real processes starting at once
def test_two_processes_starting_at_once_migrate_once(database_url):
    command = [sys.executable, "-c", "from trialfinder import create_app; create_app()"]
    environment = app_environment(database_url)
    processes = [
        subprocess.Popen(command, env=environment, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outcomes = [(process.communicate(timeout=60)[1], process.returncode) for process in processes]
    for errors, returncode in outcomes:
        assert returncode == 0, errors
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": database_url})
    assert len(heads(app)) == 1
    assert trials(app) == 1
    close(app)


def test_a_database_made_before_migrations_is_adopted(database_url):
    legacy = Flask("legacy")
    settings = {"DATABASE_URL": database_url, "MAILBOX_DIR": None}
    legacy.config.update(config.derived(settings, legacy.instance_path))
    db.init_app(legacy)
    with legacy.app_context():
        db.create_all()
        db.session.add(Trial(nct_id="NCT00000001", brief_title="Older trial", status="COMPLETED",
                             record={}, version="1"))  # fmt: skip
        db.session.commit()
    close(legacy)
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": database_url})
    assert heads(app) == ScriptDirectory(str(MIGRATIONS)).get_heads()
    assert trials(app) == 1  # what it held is kept; nothing shipped is added to it
    with app.app_context():
        assert [trial.nct_id for trial in finder.search("older")] == ["NCT00000001"]
    close(app)


def test_sites_imported_before_0011_get_their_trials_ages(database_url):
    """0011 copies each trial's ages to its sites; its downgrade gives 0010's schema back."""
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": database_url})
    runner = app.test_cli_runner()
    assert runner.invoke(args=["db", "downgrade", "0010"]).exit_code == 0
    with app.app_context():
        assert "youngest" not in {
            column["name"] for column in inspect(db.engine).get_columns("site")
        }
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    with app.app_context():
        query = select(Trial.min_age_years, Trial.max_age_years, Site.youngest, Site.oldest)
        rows = db.session.execute(query.join(Site)).all()
        assert rows and all(
            (low or 0, high or 1000) == (young, old) for low, high, young, old in rows
        )
        assert runner.invoke(args=["db", "check"]).exit_code == 0
    close(app)


def test_a_cube_extension_out_of_the_search_path_is_named(database_url):
    """PostgreSQL: cube() installed in another schema would fail later, and obscurely."""
    if not database_url.startswith("postgresql"):
        pytest.skip("the KNN index is PostgreSQL's")
    from tests.databases import postgres_url, run_on_postgres

    close(create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": database_url}))
    other = f"test_other_{uuid.uuid4().hex[:8]}"  # cube now lives in the first schema, not here
    run_on_postgres(f"CREATE SCHEMA {other}")
    try:
        command = [sys.executable, "-c", "from trialfinder import create_app; create_app()"]
        environment = app_environment(postgres_url(other))  # a start migrates first
        result = subprocess.run(command, env=environment, capture_output=True, text=True)
    finally:
        run_on_postgres(f"DROP SCHEMA {other} CASCADE")
    assert result.returncode == 1
    assert "cube extension is in schema 'test_" in result.stderr
    assert "not on this connection's search_path" in result.stderr
