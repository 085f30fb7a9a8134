"""Security headers and cookie flags on every route, every method and every error page."""

from tests.conftest import CONTROLLER, DPO_EMAIL
from tests.contact_support import form_data, post
from tests.security_support import routes, write_lock
from trialfinder import create_app
from trialfinder.extensions import db


def header_problems(response) -> list[str]:
    """Return what is missing or weak in a response's security headers and cookies."""
    headers, problems = response.headers, []
    csp = headers.get("Content-Security-Policy", "")
    if "frame-ancestors 'none'" not in csp or "unsafe-" in csp or "script-src 'self'" not in csp:
        problems.append(f"CSP: {csp!r}")
    for name, value in {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY"}.items():
        if headers.get(name) != value:
            problems.append(f"{name}: {headers.get(name)!r}")
    for name in ("Referrer-Policy", "Permissions-Policy"):
        if not headers.get(name):
            problems.append(f"{name} missing")
    for cookie in headers.getlist("Set-Cookie"):
        if "HttpOnly" not in cookie or "SameSite=Lax" not in cookie:
            problems.append(f"cookie flags: {cookie}")
    return problems


def test_every_route_and_method_sends_the_security_headers(app, client):
    walked, problems = 0, []
    for method, path, endpoint in routes(app, {"GET", "POST"}):
        response = client.open(path, method=method, data=form_data())
        walked += 1
        where = f"{method} {path} ({endpoint}, {response.status_code})"
        problems += [f"{where}: {problem}" for problem in header_problems(response)]
        response.close()  # static files are streamed from an open file
    assert walked >= 20 and problems == []


def test_error_pages_send_them_too(app, client, make_app):
    answers = {
        "404": client.get("/en/nowhere"),
        "404 api": client.get("/api/v1/nowhere"),
        "405": client.get("/api/v1/notes"),
        "413": post(client, "en", message="x" * (70 * 1024)),
        "413 api": client.post("/api/v1/notes", data="x" * (2 * 1024 * 1024)),
    }
    csrf = make_app(WTF_CSRF_ENABLED=True).test_client()
    answers["400 csrf"] = post(csrf, "en")
    limited = make_app(RATELIMIT_ENABLED=True, RATELIMIT_CONTACT="1 per minute").test_client()
    post(limited, "en", first_name="")
    answers["429"] = post(limited, "en", first_name="")
    crashing = make_app()

    @crashing.get("/test-only/crash")
    def crash():
        raise RuntimeError("a bug")

    answers["500"] = crashing.test_client().get("/test-only/crash")
    busy = make_app(DATABASE_TIMEOUT=0.05)
    with write_lock(busy):
        answers["503"] = post(busy.test_client(), "en")
    for name, response in answers.items():
        assert str(response.status_code) == name.split()[0], name
        assert header_problems(response) == [], name


def test_cookies_are_secure_outside_debug_and_testing(monkeypatch, tmp_path, client):
    assert "Secure" not in client.get("/api/v1/csrf").headers["Set-Cookie"]  # plain http in tests
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    production = create_app(
        {
            "TESTING": False,
            "SECRET_KEY": "a-long-random-production-secret",
            "LEAD_EMAIL_OVERRIDE": "coordinator@hospital.test",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'production.db'}",
            "DATA_CONTROLLER": CONTROLLER,
            "DPO_EMAIL": DPO_EMAIL,
        }
    )
    try:
        client = production.test_client()
        response = client.get("/en/trials/NCT06709469/contact", base_url="http://127.0.0.1")
        (cookie,) = response.headers.getlist("Set-Cookie")
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert header_problems(response) == []
    finally:
        with production.app_context():
            db.engine.dispose()


def test_a_new_secret_key_ends_old_sessions_and_a_fallback_keeps_them(app, client):
    """The session signer is built once per key (security.SessionCookies), never kept past it."""

    def raw_token() -> str | None:  # what the session cookie holds, read as Flask reads it
        with client.session_transaction() as session:
            return session.get("csrf_token")

    client.get("/api/v1/csrf")
    first = raw_token()
    assert first
    old = app.secret_key
    try:
        app.secret_key = "a-new-and-different-secret-key"
        assert raw_token() is None  # signed with the old key: not read
        client.get("/api/v1/csrf")
        second = raw_token()
        assert second and second != first
        app.secret_key, app.config["SECRET_KEY_FALLBACKS"] = "newer-still", [app.secret_key]
        assert raw_token() == second  # signed with a key that is now a fallback: still read
    finally:
        app.secret_key, app.config["SECRET_KEY_FALLBACKS"] = old, []
