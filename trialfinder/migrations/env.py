"""Alembic environment: the app's engine, one migrating process at a time."""

from alembic import context
from flask import current_app

# Tables Alembic must not compare with the models: the full-text index is written by hand
# (migration 0002) and SQLite's FTS5 keeps shadow tables beside it.
UNMODELLED_PREFIX = "trial_search"
# PostgreSQL's nearest-site index is an expression over an extension's type (0005, then 0011).
UNMODELLED_INDEXES = {"ix_site_knn", "ix_site_knn_ages"}
# pg_advisory_xact_lock key: any constant shared by every process of this app.
MIGRATION_LOCK = 7_146_201_006


def include_name(name, type_, _parent_names) -> bool:
    if type_ == "index" and name in UNMODELLED_INDEXES:
        return False
    return not (type_ == "table" and name and name.startswith(UNMODELLED_PREFIX))


def lock(connection) -> None:
    """Wait until no other process migrates; the lock ends with our transaction."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
    elif connection.dialect.name == "sqlite":
        # Takes SQLite's write lock now, so a second process waits (busy timeout) here.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def run_migrations_online() -> None:
    db = current_app.extensions["migrate"].db
    with db.engine.connect() as connection:
        lock(connection)
        context.configure(
            connection=connection,
            target_metadata=db.metadata,
            include_name=include_name,
            render_as_batch=True,  # SQLite alters tables by copying them
            compare_type=True,
        )
        context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    raise SystemExit("Offline (--sql) migrations are not supported: run them against a database.")
run_migrations_online()
