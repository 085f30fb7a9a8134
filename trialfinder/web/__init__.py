"""The web layer: the request pipeline every page goes through, wired in one place."""

from flask import Flask

from trialfinder.extensions import babel, limiter
from trialfinder.web import assets, caching, errors, i18n, security, typography


def init_app(app: Flask) -> None:
    """Wire the request pipeline, in an order that matters.

    Before a request, in this order: the page store may answer a kept page at once (caching's
    WSGI `Replay`, inside `ProxyFix`, so it sees the scheme and host Flask sees); the locale
    comes from the URL (i18n); an unknown Host is refused and a large body too (security);
    CSRF and rate limits apply to POSTs. After a request, Flask runs `after_request`
    functions in reverse order of registration: typography (registered last) spaces French
    text first, then caching compresses and sets the cache policy, then security adds its
    headers last, so that no page leaves without them.
    """
    babel.init_app(app, locale_selector=i18n.current_locale)
    security.csrf.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    assets.init_app(app)
    caching.init_app(app)
    typography.init_app(app)
