"""Run chosen tests on SQLite and on a real PostgreSQL (pytest plugin, loaded by conftest).

A test module marked `pytest.mark.databases` runs every test that uses the app once per
database. PostgreSQL comes from TRIALFINDER_TEST_POSTGRES_URL (`.ci/run` starts one); each test
gets its own schema, dropped afterwards. Without the variable the PostgreSQL runs are skipped.
"""

import os
import uuid
from urllib.parse import quote

import pytest

POSTGRES_URL = os.environ.get("TRIALFINDER_TEST_POSTGRES_URL", "")
REDIS_URL = os.environ.get("TRIALFINDER_TEST_REDIS_URL", "")
NO_POSTGRES = "TRIALFINDER_TEST_POSTGRES_URL is not set: .ci/run starts PostgreSQL and sets it"
NO_REDIS = "TRIALFINDER_TEST_REDIS_URL is not set: .ci/run starts redis-server and sets it"
DATABASES = ("sqlite", "postgresql")


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers", "databases: run the module's app tests on SQLite and on PostgreSQL"
    )


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
    import psycopg

    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(statement)


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
