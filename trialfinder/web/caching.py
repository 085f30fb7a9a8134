"""What browsers and shared caches may keep, pages built once, and compression of the rest.

Reading pages (finder, trial overview, FAQ, privacy, accessibility, sitemap) are the same for
every reader of a language: `reading_page` renders them once per content version, keeps them
compressed (pagecache.py) and serves them `public` with a strong ETag, so a browser, a proxy or
a CDN may reuse them. They carry no cookie and no token: a script that posts from them fetches
its token from /api/v1/csrf (security.py). A reading page that touched the visitor's session
would not be the same for everyone: it is served private and never kept.

Form pages are `private, no-store`; `form_page` renders a blank one once per path and content
version and puts this visitor's CSRF token in last. Error pages and answers to POST are never
stored at all. See SECURITY.md for why a cached page cannot leak a token or personal data.
"""

import hashlib
import json
import logging
from collections.abc import Callable
from functools import wraps

from flask import Flask, Response, current_app, g, make_response, request
from flask.globals import request_ctx
from flask_wtf.csrf import generate_csrf
from werkzeug.middleware.proxy_fix import ProxyFix

from trialfinder.extensions import compress
from trialfinder.web import content_version, typography
from trialfinder.web.pagecache import FormPage, Page, PageStore, choose_encoding
from trialfinder.web.replay import MARK, Replay, replay_key

PUBLIC_MAX_AGE = 300  # seconds a shared cache may keep a public answer before asking again
STALE_SECONDS = 60  # ...and may serve it while it asks
READING = f"public, max-age={PUBLIC_MAX_AGE}, stale-while-revalidate={STALE_SECONDS}"
PRIVATE_FORM = "private, no-store"
# Stands for the CSRF token while a form page is rendered for everyone; never sent as is.
TOKEN_PLACEHOLDER = "csrf-token-placeholder-0f3c9a"
log = logging.getLogger(__name__)


def store() -> PageStore:
    return current_app.extensions["page_store"]


def public(max_age: int = PUBLIC_MAX_AGE) -> Callable:
    """Mark a view's answer as the same for everyone: short shared caching and an ETag."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            response = make_response(view(*args, **kwargs))
            if response.status_code == 200:
                response.headers["Cache-Control"] = f"public, max-age={max_age}"
                response.add_etag()
                response.make_conditional(request)
            return response

        return wrapper

    return decorate


def reading_page(view: Callable) -> Callable:
    """Serve a page that is the same for every reader from the page store, built once."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        version = content_version.current()
        key = ("page", request.path, request.query_string, version)
        page = store().get(key)
        if page is None:
            response = make_response(view(*args, **kwargs))
            if response.status_code != 200 or session_was_read():
                return response
            typography.french_pages(response)  # kept as served: spaced before it is compressed
            page = Page.build(response.get_data(), response.content_type, version)
            store().put(key, page)
        request.environ[MARK] = (replay_key(request.environ, version), page)  # see replay.py
        return serve(page)

    return wrapper


def session_was_read() -> bool:
    """Tell whether this request has read or written the visitor's session so far."""
    context = request_ctx._get_current_object()
    # Flask 3.1.3 counts any use of the `session` proxy as a read: look at the object itself.
    own = getattr(context, "_session", None)
    own = context.session if own is None else own  # an empty session is falsy
    if own.accessed:
        log.warning("%s read the session: served private, not kept", request.endpoint)
    return bool(own.accessed)


def serve(page: Page) -> Response:
    """Answer with the encoding the client prefers, or 304 when it has this very one."""
    encoding = choose_encoding(request.accept_encodings)
    etag = page.etag(encoding)
    if request.if_none_match.contains_weak(etag):  # RFC 9110: weak comparison here
        response = current_app.response_class(status=304)
    else:
        response = current_app.response_class(page.forms[encoding], content_type=page.mimetype)
        if encoding:
            response.headers["Content-Encoding"] = encoding
    response.set_etag(etag)
    response.headers["Cache-Control"] = READING
    response.headers["Vary"] = "Accept-Encoding"  # the locale is in the address
    return response


def form_page(render: Callable[[], str | Response], *key_parts: object) -> Response:
    """Render a blank form page once per path, parts and version; add this visitor's token last.

    `key_parts` are whatever else the page shows (a visitor's earlier answers): pages are
    only shared between requests that would render them byte for byte the same.
    """
    parts = json.dumps(key_parts, sort_keys=True, default=str).encode()
    version = content_version.current()
    key = ("form", request.path, hashlib.sha256(parts).hexdigest(), version)
    page = store().get(key)
    if page is None:
        g.csrf_token = TOKEN_PLACEHOLDER  # Flask-WTF takes the request's token from g
        g.shared_page = True  # kept for every visitor: nothing from this request's query string
        try:
            rendered = render()
        finally:
            g.pop("csrf_token", None)
            g.pop("shared_page", None)
        if not isinstance(rendered, str):  # a redirect, say: not a page, never kept
            return rendered
        rendered = typography.page_text(rendered)
        page = FormPage.build(rendered.encode(), TOKEN_PLACEHOLDER.encode(), "text/html")
        store().put(key, page)
    token = generate_csrf().encode() if len(page.parts) > 1 else b""
    if request.accept_encodings["gzip"]:  # only the token is compressed now (pagecache.py)
        response = current_app.response_class(page.gzipped(token), mimetype=page.mimetype)
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = current_app.response_class(page.plain(token), mimetype=page.mimetype)
    response.headers["Cache-Control"] = PRIVATE_FORM
    response.headers["Vary"] = "Accept-Encoding, Cookie"
    return response


def default_policy(response: Response) -> Response:
    """Keep nothing that a view did not explicitly mark as cacheable."""
    if "Cache-Control" in response.headers and response.status_code < 400:
        return response
    if request.method not in ("GET", "HEAD") or response.status_code >= 400:
        response.headers["Cache-Control"] = "no-store"
    else:
        # Not a reading page: it is this visitor's (answers, a result, a confirmation).
        response.headers["Cache-Control"] = PRIVATE_FORM
    response.headers.pop("ETag", None)
    return response


def init_app(app: Flask) -> None:
    """Keep built pages, compress text (gzip, brotli) and apply the caching policy."""
    content_version.init_app(app)
    app.extensions["page_store"] = PageStore()
    app.after_request(default_policy)
    compress.init_app(app)
    # Inside ProxyFix (security.py), so that kept pages see the same host and scheme as Flask.
    outer = app.wsgi_app
    if isinstance(outer, ProxyFix):
        outer.app = Replay(app, outer.app)
    else:
        app.wsgi_app = Replay(app, outer)
