"""Database binding: SQLite tuned for concurrent writers, the schema migrated at start.

Every create_app brings the schema to the latest revision before it serves (`upgrade_schema`):

- gunicorn: each worker's create_app upgrades once when it starts. Workers starting together
  take turns (migrations/env.py takes a lock first: an advisory lock on PostgreSQL, SQLite's
  write lock), so the first one migrates and the others find the database at head.
- the dev server (`make run`, `flask run`): the same create_app, once per (re)start.
- the tests: tests/conftest.py (MigratedDatabases) migrates a template database once per
  session and copies it for each test; PostgreSQL tests migrate their own fresh schema.

A database already at head (every restarted worker, every copied test database) costs one
read of alembic_version: Alembic itself, its scripts and its lock, are not loaded.
"""

import functools
import logging
import sqlite3
import time
from pathlib import Path

import flask_migrate
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError

from trialfinder.extensions import db, migrate

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


# PostgreSQL's planner assumes by default that a page read at random costs four sequential
# ones (a spinning disk). The site's tables are small enough to stay in memory, where the two
# cost about the same: with 4, a common word at 100,000 trials read the whole search index
# table (69 ms) rather than its word index (21 ms). Only this app's connections are changed.
RANDOM_PAGE_COST = 1.1


@event.listens_for(Engine, "connect")
def _postgresql_settings(dbapi_connection, _record) -> None:
    if type(dbapi_connection).__module__.startswith("psycopg"):
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET random_page_cost = {RANDOM_PAGE_COST}")
        dbapi_connection.commit()  # a SET inside a transaction that is rolled back is undone


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets readers go on while one writer commits; foreign keys are off by default.
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        _enable_wal(cursor)
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Deleted rows are overwritten with zeros, not left readable in free pages: a purged
        # contact request or an erased family must leave the file (see `checkpoint`).
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()


def _enable_wal(cursor) -> None:
    """Switch a new database file to WAL once; the switch is not covered by the busy timeout."""
    for attempt in range(100):
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            # Two processes starting on a new file: the second waits for the first's switch.
            if "locked" not in str(error) or attempt == 99:
                raise
            time.sleep(0.05)


def checkpoint() -> None:
    """After a deletion of personal data, copy the WAL into the file and empty it (SQLite).

    Deleted text stays in the write-ahead log until a checkpoint; TRUNCATE leaves the -wal
    file empty. A reader holding an old snapshot makes it a partial checkpoint: the next
    purge, or the last connection's close, finishes it.
    """
    if db.engine.dialect.name != "sqlite":
        return
    db.session.commit()
    with db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def init_app(app: Flask) -> None:
    """Bind SQLAlchemy and Alembic, then bring the schema up to date."""
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS))
    with app.app_context():
        upgrade_schema()


@functools.cache
def head_revisions() -> frozenset[str]:
    """The latest revision(s) of the shipped migrations, read once per process."""
    return frozenset(ScriptDirectory(str(MIGRATIONS)).get_heads())


def at_head() -> bool:
    """Whether the database records the latest revision; a missing table (new database) is not.

    Alembic writes alembic_version in the same transaction as the migration, so a database
    seen at head is fully migrated, even while another process has just finished migrating.
    """
    with db.engine.connect() as connection:  # an unreachable database stops the start here
        try:
            found = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
            return frozenset(found) == head_revisions()
        except (OperationalError, ProgrammingError):
            return False  # no table yet (SQLite: OperationalError, PostgreSQL: Programming)


def upgrade_schema() -> None:
    """Apply every pending migration; processes starting together take turns (see env.py)."""
    if at_head():
        return
    alembic_log = logging.getLogger("alembic")
    level = alembic_log.level
    alembic_log.setLevel(logging.WARNING)  # not two lines of Alembic news at every start
    try:
        flask_migrate.upgrade(directory=str(MIGRATIONS))
    finally:
        alembic_log.setLevel(level)
