"""Security headers on every response, trusted hosts only, HSTS, the CSRF token endpoint."""

from urllib.parse import urlsplit

from flask import Blueprint, Flask, Response, abort, current_app, g, jsonify, request
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_wtf import csrf as flask_wtf_csrf
from flask_wtf.csrf import generate_csrf
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

# GET /api/v1/csrf: the token for scripts on reading pages, which carry none (see caching.py).
bp = Blueprint("security", __name__, url_prefix="/api/v1")
HSTS = "max-age=31536000"  # a year; no includeSubDomains: other hosts of the domain are not ours
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
    headers = response.headers
    present = {name.lower() for name in headers.keys()}  # one pass, not one per header
    for name, value in HEADERS.items():
        if name.lower() not in present:
            headers.add(name, value)
    return response


def refuse_large_bodies() -> None:
    """Answer 413 to a body over the limit, even where the view would never read it."""
    limit = request.max_content_length  # a route may have raised it (the notes API does)
    if limit is not None and (request.content_length or 0) > limit:
        abort(413)


@bp.get("/csrf")
def csrf_token():
    """Return a CSRF token (and set the session cookie it is checked against); never cached."""
    response = jsonify(csrf_token=generate_csrf())
    response.headers["Cache-Control"] = "no-store"
    return response


def origin_of(url: str) -> str:
    """Return scheme://host[:port] of a URL, lower-cased, as browsers write an Origin."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def from_another_site(base_url: str) -> str | None:
    """Say why a state-changing request over https did not come from our pages, else None.

    Flask-WTF's own https check (WTF_CSRF_SSL_STRICT) wants a Referer, which a page whose
    Referrer-Policy withholds it never sends. Chromium, Firefox and Safari send `Origin` on
    every POST (`null` under `no-referrer`, and from sandboxed or opaque documents), so it is
    read first; the Referer only counts when a browser sent no Origin at all. Behind a proxy,
    the scheme and host are the ones the browser used (ProxyFix, PROXY_COUNT).
    """
    own = {origin_of(request.host_url), origin_of(base_url)}
    origin = request.headers.get("Origin")
    if origin is not None:
        return None if origin.strip().lower() in own else "The Origin is not this site."
    if not request.referrer:
        return "The request has neither an Origin nor a Referer."
    return None if origin_of(request.referrer) in own else "The Referer is not this site."


def refuse_host(_error: SecurityError) -> Response:
    """Answer a Host that is not ours with a plain 400 that repeats nothing of the request."""
    # No page template: without a trusted host there is no URL adapter to build links with.
    response = Response(_("This site is not served under that name."), 400, mimetype="text/plain")
    response.headers["Cache-Control"] = "no-store"
    return response


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed cookie sessions, with the signer built once per key, not twice a request."""

    kept: tuple = ((), None)  # (keys, serializer)

    def get_signing_serializer(self, app: Flask):
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if self.kept[0] != keys:  # a new key, or a test that set one: build it again
            self.kept = (keys, super().get_signing_serializer(app))
        return self.kept[1]


def add_hsts(response: Response) -> Response:
    response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def init_app(app: Flask) -> None:
    """Add security headers everywhere, Secure cookies outside debug, trust PROXY_COUNT proxies.

    Only the trusted host names are answered (400 for any other Host), so a forged name never
    reaches an absolute URL; HSTS when the site is served over https.
    """
    app.session_interface = SessionCookies()
    app.register_error_handler(SecurityError, refuse_host)
    app.before_request(refuse_large_bodies)
    app.after_request(add_headers)
    if app.config["BASE_URL"].lower().startswith("https://"):
        app.after_request(add_hsts)
    if proxies := app.config["PROXY_COUNT"]:  # the visitor's address, for rate limits
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)


class CSRFProtect(flask_wtf_csrf.CSRFProtect):
    """Flask-WTF's token check; over https the request must also come from one of our pages.

    That second check is `security.from_another_site` (Origin first, then Referer) instead of
    Flask-WTF's, which refuses every POST without a Referer: a staff page that keeps its link
    out of Referers could then never post (see SECURITY.md, "Forms over https").
    """

    def protect(self, apply_exemptions: bool = False) -> None:
        super().protect(apply_exemptions)
        if g.get("csrf_valid") and request.is_secure:  # a token was checked: not exempt
            if reason := from_another_site(current_app.config["BASE_URL"]):
                raise flask_wtf_csrf.CSRFError(reason)


csrf = CSRFProtect()
