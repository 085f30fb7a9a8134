"""Kept reading pages answered before Flask: the same bytes and headers, without the work.

Flask serves a reading page once per process and content version (caching.reading_page) and
marks the answer; this WSGI layer keeps its headers beside the page. Later requests for the same
address, host checked and content version still fresh, are answered from those alone: no
request context, session, rate limiter or after-request hooks, which cost more than the page.
Anything else (another method, an untrusted Host, a stale version, a page not yet kept) goes
to Flask as usual, so the answer is always the one Flask would give.
"""

import time
from collections.abc import Callable, Iterable

from werkzeug.exceptions import SecurityError
from werkzeug.http import parse_accept_header, parse_etags, quote_etag
from werkzeug.wsgi import get_host

from trialfinder.web.pagecache import Page, PageStore, choose_encoding

MARK = "trialfinder.reading_page"  # environ key: (replay key, Page) set by reading_page
# Headers that belong to one representation; the rest are the same for every answer of a page.
OWN = {"content-type", "content-length", "content-encoding", "etag", "set-cookie"}


def replay_key(environ: dict, version: str) -> tuple:
    """Return the key of an address in a content version, from the raw WSGI values."""
    return ("replay", environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""), version)


class Replay:
    """WSGI middleware answering kept reading pages; everything else goes to the app."""

    def __init__(self, app, wsgi_app: Callable) -> None:
        self.flask = app
        self.wsgi_app = wsgi_app
        self.store: PageStore = app.extensions["page_store"]
        self.state = app.extensions["content_version"]

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        kept = self.kept(environ)
        if kept is not None:
            return answer(environ, start_response, *kept)
        captured = []

        def keep_headers(status: str, headers: list, exc_info=None):
            captured.append((status, headers))
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, keep_headers)
        mark = environ.get(MARK)
        if mark and captured and captured[0][0][:3] in ("200", "304"):
            status, headers = captured[0]
            if not any(name.lower() == "set-cookie" for name, _ in headers):  # never replayed
                shared = [(name, value) for name, value in headers if name.lower() not in OWN]
                self.store.put(mark[0], (mark[1], shared))
        return body

    def kept(self, environ: dict) -> tuple | None:
        """Return (page, shared headers) when this request may be answered from the store."""
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return None
        config = self.flask.config
        if time.monotonic() - self.state.checked_at >= config["CONTENT_CHECK_SECONDS"]:
            return None  # Flask reads the version again first
        try:
            get_host(environ, config["TRUSTED_HOSTS"])
        except SecurityError:
            return None  # Flask answers 400
        return self.store.get(replay_key(environ, self.state.value))


def answer(environ: dict, start_response: Callable, page: Page, shared: list) -> list[bytes]:
    """Answer 200 in the encoding the client prefers, or 304 when it has that very one."""
    encoding = choose_encoding(parse_accept_header(environ.get("HTTP_ACCEPT_ENCODING")))
    etag = page.etag(encoding)
    headers = [*shared, ("ETag", quote_etag(etag))]
    if parse_etags(environ.get("HTTP_IF_NONE_MATCH")).contains_weak(etag):
        start_response("304 NOT MODIFIED", headers)
        return []
    body = page.forms[encoding]
    headers += [("Content-Type", page.mimetype), ("Content-Length", str(len(body)))]
    if encoding:
        headers.append(("Content-Encoding", encoding))
    start_response("200 OK", headers)
    return [] if environ.get("REQUEST_METHOD") == "HEAD" else [body]
