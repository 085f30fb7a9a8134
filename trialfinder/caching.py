"""What browsers and shared caches may keep, and compression of text responses.

Only answers that are the same for everyone may be cached: static files (see assets.py),
the sitemap and robots.txt, and public JSON such as a questionnaire definition. HTML pages carry
a CSRF token in <meta name="csrf-token"> (Flask-WTF's token is signed with a time, so it
changes), many carry what a visitor typed: they are never stored by a shared cache and get no
ETag. Error pages and answers to POST are never stored at all.
"""

from collections.abc import Callable
from functools import wraps

from flask import Flask, Response, make_response, request

from .extensions import compress

PUBLIC_MAX_AGE = 300  # seconds a shared cache may keep a public answer before asking again
TEXT_TYPES = [
    "text/html",
    "text/css",
    "text/plain",
    "text/xml",
    "application/xml",
    "application/json",
    "text/javascript",
    "application/javascript",
    "image/svg+xml",
]


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


def default_policy(response: Response) -> Response:
    """Keep nothing that a view did not explicitly mark as cacheable."""
    if "Cache-Control" in response.headers and response.status_code < 400:
        return response
    if request.method not in ("GET", "HEAD") or response.status_code >= 400:
        response.headers["Cache-Control"] = "no-store"
    else:
        # The browser may keep the page for Back, but must ask again before showing it anew.
        response.headers["Cache-Control"] = "private, no-cache"
    response.headers.pop("ETag", None)
    return response


def init_app(app: Flask) -> None:
    """Compress text (gzip) and apply the caching policy to every response."""
    app.config.setdefault("COMPRESS_ALGORITHM", ["gzip"])
    app.config.setdefault("COMPRESS_MIMETYPES", TEXT_TYPES)
    app.config.setdefault("COMPRESS_LEVEL", 6)
    app.config.setdefault("COMPRESS_STREAMS", False)  # nothing streams: static files are read whole
    app.after_request(default_policy)
    compress.init_app(app)
