"""Static files under content-hashed names, cached by browsers for a year.

`url_for('static', filename='css/main.css')` gives /static/css/main.<hash>.css, where the hash
is taken from the file's bytes: a changed file gets a new name, so the old one may be cached
forever (`immutable`). Every machine computes the same names from the same files.

A bundle is one name served as several files joined: the stylesheets are written apart (design
tokens, components, a page's own rules) and a page asks for them in one request, which counts on
a slow phone network (the first view of a trial page is at most 4 requests).
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
BUNDLES = {"css/main.css": ("css/tokens.css", "css/site.css", "css/contact.css")}


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


def bundle_digest(folder: Path, parts: tuple[str, ...]) -> str | None:
    """Return the hash of a bundle, from its parts' hashes; None when a part is missing."""
    digests = [digest(folder / part) for part in parts]
    if None in digests:
        return None
    return hashlib.sha256(" ".join(digests).encode()).hexdigest()[:12]


def source_digest(name: str) -> str | None:
    """Return the current hash of a static file or bundle, None when there is none."""
    folder = Path(current_app.static_folder)
    if name in BUNDLES:
        return bundle_digest(folder, BUNDLES[name])
    path = safe_join(str(folder), name)
    return digest(Path(path)) if path else None


def read_source(name: str) -> bytes:
    folder = Path(current_app.static_folder)
    if name in BUNDLES:
        return b"\n".join((folder / part).read_bytes() for part in BUNDLES[name])
    return Path(safe_join(str(folder), name)).read_bytes()


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
    file_digest = source_digest(values["filename"])
    if file_digest:
        values["filename"] = hashed_name(values["filename"], file_digest)


def serve(filename: str) -> Response:
    """Serve a static file: for a year under its current hash, else to be revalidated."""
    name, requested = original_name(filename)
    current = source_digest(name)
    if current is None:
        abort(404)
    mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
    # Read whole (the files are small), so that the body can be gzipped like any other.
    response = current_app.response_class(read_source(name), mimetype=mimetype)
    # An old hash (a page cached across a deploy) gets today's file, but only for now.
    response.headers["Cache-Control"] = IMMUTABLE if requested == current else "no-cache"
    response.set_etag(current)
    return response.make_conditional(request)


def init_app(app: Flask) -> None:
    """Hash static file names in URLs and serve them with the right caching."""
    app.url_defaults(add_digest)
    app.view_functions["static"] = serve
