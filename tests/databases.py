"""Run chosen tests on SQLite and on a real PostgreSQL (pytest plugin, loaded by conftest).

A test module marked `pytest.mark.databases` runs every test that uses the app once per
database. PostgreSQL comes from TRIALFINDER_TEST_POSTGRES_URL (`.ci/run` starts one); each test
gets its own schema, dropped afterwards; an app's is filled from a migrated copy (SchemaCopy).
Without the variable the PostgreSQL runs are skipped.

Run in parallel (pytest-xdist), each worker has a database and a Redis database of its own:
trialfinder_test_gw0 beside the given one, and Redis database 2 + the worker's number (the
operator's check uses 1). Schemas alone would not do: the `cube` extension is per database, and
a test that drops its schema drops the extension with it (CASCADE) under another test's index.
"""

import glob
import os
import re
import subprocess
import uuid
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from sqlalchemy.engine import make_url

POSTGRES_URL = os.environ.get("TRIALFINDER_TEST_POSTGRES_URL", "")
REDIS_URL = os.environ.get("TRIALFINDER_TEST_REDIS_URL", "")
# "gw0", "gw1"... in a pytest-xdist worker; unset in a run without -n.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
FIRST_WORKER_REDIS_DB = 2
NO_POSTGRES = "TRIALFINDER_TEST_POSTGRES_URL is not set: .ci/run starts PostgreSQL and sets it"
NO_REDIS = "TRIALFINDER_TEST_REDIS_URL is not set: .ci/run starts redis-server and sets it"
DATABASES = ("sqlite", "postgresql")


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers", "databases: run the module's app tests on SQLite and on PostgreSQL"
    )
    global POSTGRES_URL, REDIS_URL
    if WORKER:
        POSTGRES_URL = POSTGRES_URL and worker_postgres_url(POSTGRES_URL, WORKER)
        REDIS_URL = REDIS_URL and worker_redis_url(REDIS_URL, WORKER)


def pytest_unconfigure(config) -> None:
    """Drop the worker's database: the given one is left as it was found."""
    if WORKER and POSTGRES_URL:
        given = os.environ["TRIALFINDER_TEST_POSTGRES_URL"]
        run_on(given, f'DROP DATABASE IF EXISTS "{make_url(POSTGRES_URL).database}" WITH (FORCE)')


def run_on(url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("SET client_min_messages = warning")
        for statement in statements:
            connection.execute(statement)


def worker_postgres_url(url: str, worker: str) -> str:
    """Create (afresh) the worker's own database on the test server; return its URL."""
    given = make_url(url)
    name = f"{given.database}_{worker}"
    run_on(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    return given.set(database=name).render_as_string(hide_password=False)


def worker_redis_url(url: str, worker: str) -> str:
    """The worker's own Redis database: 2 for gw0, 3 for gw1, ..."""
    index = FIRST_WORKER_REDIS_DB + int(worker.removeprefix("gw"))
    if index > 15:
        raise pytest.UsageError(f"Redis has databases 0-15: too many workers for {worker}")
    base, separator, query = url.partition("?")
    base = re.sub(r"(redis://[^/]*)(/\d*)?$", rf"\g<1>/{index}", base)
    return base + separator + query


def pytest_generate_tests(metafunc) -> None:
    if "database_url" in metafunc.fixturenames and metafunc.definition.get_closest_marker(
        "databases"
    ):
        metafunc.parametrize("database_url", DATABASES, indirect=True)


def pytest_report_header(config) -> str:
    return f"databases: sqlite, postgresql {'at ' + POSTGRES_URL if POSTGRES_URL else 'skipped'}"


def pytest_terminal_summary(terminalreporter) -> None:
    passed = [
        report
        for report in terminalreporter.stats.get("passed", [])
        if "[postgresql" in report.nodeid or "-postgresql" in report.nodeid
    ]
    skipped = "" if POSTGRES_URL else f" ({NO_POSTGRES})"
    terminalreporter.write_line(f"PostgreSQL: {len(passed)} test runs passed{skipped}")


def postgres_url(schema: str) -> str:
    """Return the test server's URL with every connection's search_path set to a schema."""
    separator = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{separator}options={quote(f'-csearch_path={schema}')}"


def run_on_postgres(statement: str) -> None:
    run_on(POSTGRES_URL, statement)


def schema_of(url: str) -> str:
    """Return the schema a test's PostgreSQL URL searches (postgres_url), or "" for another URL."""
    if not url.startswith("postgresql") or not POSTGRES_URL:
        return ""
    options = parse_qs(urlsplit(url).query).get("options", [""])[0]
    return options.removeprefix("-csearch_path=") if options.startswith("-csearch_path=") else ""


def schema_is_empty(schema: str) -> bool:
    import psycopg

    with psycopg.connect(POSTGRES_URL) as connection:
        found = connection.execute("SELECT 1 FROM pg_tables WHERE schemaname = %s", [schema])
        return found.fetchone() is None


def pg_dump() -> str:
    """The newest PostgreSQL's pg_dump (the server .ci/run starts), else the one on the PATH."""
    found = glob.glob("/usr/lib/postgresql/*/bin/pg_dump")
    return max(found, key=lambda path: int(Path(path).parts[4])) if found else "pg_dump"


class SchemaCopy:
    """A migrated schema written down once as SQL (pg_dump), replayed into each test's schema.

    Replaying the schema and its rows in one round trip costs about 70 ms where migrating and
    importing the shipped trial cost 260. The `cube` extension lives in one schema of the
    worker's database at a time (a test's, dropped with it), so each copy creates its own.
    """

    def __init__(self, schema: str):
        self.schema = schema  # a name no row holds: it is replaced by the test's schema
        command = [pg_dump(), "--schema", schema, "--no-owner", "--no-privileges"]
        command += ["--inserts", "--rows-per-insert=1000", POSTGRES_URL]
        dump = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        # Without psql's meta-commands (\restrict) and the schema's own creation.
        lines = [line for line in dump.splitlines() if not line.startswith("\\")]
        self.sql = "\n".join(lines).replace(f"CREATE SCHEMA {schema};", "")

    def into(self, schema: str) -> None:
        run_on(
            POSTGRES_URL,
            f"CREATE EXTENSION IF NOT EXISTS cube WITH SCHEMA {schema}",
            self.sql.replace(self.schema, schema),
        )


@pytest.fixture
def database_url(request, tmp_path):
    """A fresh, empty database: an SQLite file, or a PostgreSQL schema of its own."""
    if getattr(request, "param", "sqlite") == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    schema = f"test_{uuid.uuid4().hex[:12]}"
    run_on_postgres(f"CREATE SCHEMA {schema}")
    yield postgres_url(schema)
    run_on_postgres(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def redis_url():
    """The test Redis server, emptied before the test."""
    if not REDIS_URL:
        pytest.skip(NO_REDIS)
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield REDIS_URL
    client.flushdb()
    client.close()


def app_environment(database_url: str, **settings: object) -> dict[str, str]:
    """Return the environment for a `flask --app trialfinder ...` process on a test database."""
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("TRIALFINDER_")
    }
    environment |= {
        "TRIALFINDER_DATABASE_URL": database_url,
        "TRIALFINDER_SECRET_KEY": "test-secret",
        "TRIALFINDER_RATELIMIT_ENABLED": "false",
        # A production-like start refuses the shipped example address of La Paz.
        "TRIALFINDER_LEAD_EMAIL_OVERRIDE": "coordinator@hospital.test",
        # A public server refuses to start unless the privacy page can name these.
        "TRIALFINDER_DATA_CONTROLLER": "Hospital Universitario La Paz, 28046 Madrid",
        "TRIALFINDER_DPO_EMAIL": "delegado.proteccion.datos@hospital.test",
    }
    environment |= {f"TRIALFINDER_{name}": str(value) for name, value in settings.items()}
    return environment
