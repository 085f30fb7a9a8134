"""Database binding: SQLite tuned for concurrent writers, tables created on first start."""

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from .extensions import db, migrate


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets readers go on while one writer commits; foreign keys are off by default.
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def init_app(app: Flask) -> None:
    """Bind SQLAlchemy and Alembic, then make sure the tables exist."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        options = app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
        options.setdefault("connect_args", {"timeout": app.config["DATABASE_TIMEOUT"]})
    # Error messages and logs never quote the values of a statement: they are personal data.
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {}).setdefault("hide_parameters", True)
    db.init_app(app)
    migrate.init_app(app, db)
    with app.app_context():
        create_tables()


def create_tables() -> None:
    """Create missing tables; a second worker racing the first one is harmless."""
    try:
        db.create_all()
    except OperationalError:
        db.session.rollback()
        db.create_all()
