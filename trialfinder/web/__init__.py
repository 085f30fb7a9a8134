"""The web layer: the request pipeline every page goes through, wired in one place."""

from flask import Flask

from trialfinder.extensions import babel, limiter
from trialfinder.web import assets, caching, errors, i18n, security, typography, urls


def init_app(app: Flask) -> None:
    """Wire the request pipeline, in an order that matters.

    Before Flask runs, the page store may answer a kept page at once (caching's WSGI `Replay`,
    set inside `ProxyFix` so that it sees the scheme and host Flask sees). Then Flask's
    `before_request` functions run in the order registered here: the CSRF check of a POST
    (security.csrf), the rate limits (limiter), the body size limit (security). The locale
    comes from the URL (i18n's localized blueprints); an unknown Host is refused wherever the
    host is first read (TRUSTED_HOSTS, from config). After the view, Flask runs the
    `after_request` functions in reverse order: typography (registered last) spaces French
    text first, then caching compresses and sets the cache policy, then security adds its
    headers last, so that no answer leaves without them. The blueprints' URL rules, added after
    this, share the code that builds their URLs with every app of the process (urls.Rule).
    """
    urls.init_app(app)
    babel.init_app(app, locale_selector=i18n.current_locale)
    security.csrf.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    assets.init_app(app)
    caching.init_app(app)
    typography.init_app(app)
