"""Static files under content-hashed names, cached by browsers for a year.

`url_for('static', filename='css/site.css')` gives /static/css/site.<hash>.css, where the hash
is taken from the file's bytes: a changed file gets a new name, so the old one may be cached
forever (`immutable`). Every machine computes the same names from the same files.
"""

import hashlib
import mimetypes
import re
from functools import lru_cache
from pathlib import Path
from stat import S_ISREG

from flask import Flask, Response, abort, current_app, request
from werkzeug.security import safe_join

YEAR = 31_536_000
IMMUTABLE = f"public, max-age={YEAR}, immutable"
HASHED = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{12})(?P<suffix>\.\w+)$")


@lru_cache(maxsize=512)
def _digest(path: str, _mtime_ns: int, _size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def digest(path: Path) -> str | None:
    """Return the short content hash of a file, or None when there is no such file."""
    try:
        stat = path.stat()
    except (OSError, ValueError):  # ValueError: a NUL byte in a requested name (/static/%00)
        return None
    if not S_ISREG(stat.st_mode):
        return None
    return _digest(str(path), stat.st_mtime_ns, stat.st_size)  # re-read only when it changes


def hashed_name(filename: str, file_digest: str) -> str:
    """Return 'css/site.<digest>.css' for 'css/site.css'."""
    stem, dot, suffix = filename.rpartition(".")
    return f"{stem}.{file_digest}.{suffix}" if dot and "/" not in suffix else filename


def original_name(filename: str) -> tuple[str, str | None]:
    """Split a hashed name into the file's own name and the digest (None if not hashed)."""
    match = HASHED.match(filename)
    if not match:
        return filename, None
    return match["stem"] + match["suffix"], match["digest"]


def add_digest(endpoint: str, values: dict) -> None:
    """Give url_for('static', ...) the hashed name of the file."""
    if endpoint != "static" or "filename" not in values:
        return
    file_digest = digest(Path(current_app.static_folder) / values["filename"])
    if file_digest:
        values["filename"] = hashed_name(values["filename"], file_digest)


def serve(filename: str) -> Response:
    """Serve a static file: for a year under its current hash, else to be revalidated."""
    name, requested = original_name(filename)
    path = safe_join(current_app.static_folder, name)
    current = digest(Path(path)) if path else None
    if current is None:
        abort(404)
    mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
    # Read whole (the files are small), so that the body can be gzipped like any other.
    response = current_app.response_class(Path(path).read_bytes(), mimetype=mimetype)
    # An old hash (a page cached across a deploy) gets today's file, but only for now.
    response.headers["Cache-Control"] = IMMUTABLE if requested == current else "no-cache"
    response.set_etag(current)
    return response.make_conditional(request)


def init_app(app: Flask) -> None:
    """Hash static file names in URLs and serve them with the right caching."""
    app.url_defaults(add_digest)
    app.view_functions["static"] = serve
