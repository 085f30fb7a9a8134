"""The content version: what a cached page was built from, shared by every process.

A number in the database, bumped in the same transaction as an import or a reindex, plus the
newest modification time under content/ and static/ (pages name static files by their hash).
Each process reads them at most every CONTENT_CHECK_SECONDS (a setting, 2 s by default), so a
change made by another worker, a `flask trials import` or another machine on the same
PostgreSQL is served within that time.
"""

import os
import threading
import time

from flask import Flask, current_app
from sqlalchemy import Integer, select, update
from sqlalchemy.orm import Mapped, mapped_column

from trialfinder.extensions import db

ROW = 1  # the table holds this one row


class ContentVersion(db.Model):
    __tablename__ = "content_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)


def bump() -> None:
    """Count one more change; call it inside the transaction that makes the change."""
    statement = update(ContentVersion).where(ContentVersion.id == ROW)
    changed = db.session.execute(statement.values(version=ContentVersion.version + 1))
    if not changed.rowcount:  # a database made before migration 0005
        db.session.add(ContentVersion(id=ROW, version=1))
    state = current_app.extensions.get("content_version")
    if state:
        state.checked_at = 0.0  # this process reads it again at its next request


def content_stamp(folder: str) -> int:
    """Return the newest modification time (ns) of any file or folder under content/."""
    newest = 0
    for directory, _dirs, files in os.walk(folder):
        for name in (directory, *(os.path.join(directory, file) for file in files)):
            try:
                newest = max(newest, os.stat(name).st_mtime_ns)
            except OSError:  # removed while we looked: the folder's own time has changed
                continue
    return newest


class State:
    """One process's last reading of the version and when it was taken."""

    def __init__(self) -> None:
        self.value = ""
        self.checked_at = 0.0
        self.lock = threading.Lock()


def read() -> str:
    """Read the database number and the stamps of content/ and static/ now."""
    number = db.session.scalar(select(ContentVersion.version).where(ContentVersion.id == ROW))
    content = content_stamp(current_app.config["CONTENT_DIR"])
    return f"{number or 0}.{content}.{content_stamp(current_app.static_folder or '')}"


def current() -> str:
    """Return the content version, read again when the last reading is old enough."""
    state: State = current_app.extensions["content_version"]
    every = current_app.config["CONTENT_CHECK_SECONDS"]
    now = time.monotonic()
    if now - state.checked_at >= every:
        with state.lock:
            if now - state.checked_at >= every:
                state.value = read()
                state.checked_at = time.monotonic()
    return state.value


def init_app(app: Flask) -> None:
    """Give the app its own reading of the version."""
    app.extensions["content_version"] = State()
