"""Security headers on every response, error pages included; no body over the limit."""

from flask import Flask, Response, abort, request
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(self), payment=(), usb=()",
}


def add_headers(response: Response) -> Response:
    """Set the security headers that a response has not set itself."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def refuse_large_bodies() -> None:
    """Answer 413 to a body over the limit, even where the view would never read it."""
    limit = request.max_content_length  # a route may have raised it (the notes API does)
    if limit is not None and (request.content_length or 0) > limit:
        abort(413)


def init_app(app: Flask) -> None:
    """Add security headers everywhere, Secure cookies outside debug, trust PROXY_COUNT proxies."""
    app.config["SESSION_COOKIE_SECURE"] = not (app.debug or app.testing)
    app.before_request(refuse_large_bodies)
    app.after_request(add_headers)
    if proxies := app.config["PROXY_COUNT"]:  # the visitor's address, for rate limits
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
