"""Error pages: localized HTML for people, JSON for the API."""

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError

from trialfinder.extensions import db

# Seconds a visitor is asked to wait when the database is busy (sent as Retry-After).
RETRY_AFTER = 30


def messages() -> dict[int, tuple[str, str]]:
    """Return the title and the plain explanation of each error status."""
    return {
        400: (_("Something was wrong with the request"), _("Please go back and try again.")),
        403: (_("Not allowed"), _("You cannot open this page.")),
        404: (_("Page not found"), _("We could not find this page. It may have moved.")),
        405: (_("Not allowed"), _("This page cannot be used this way.")),
        410: (_("No longer available"), _("This page has expired or was closed.")),
        413: (_("Too much text"), _("What you sent is too long. Please shorten it and try again.")),
        429: (_("Too many tries"), _("Please wait a few minutes, then try again.")),
        500: (_("Something went wrong on our side"), _("Please try again in a few minutes.")),
    }


def render_error(error: HTTPException):
    """Answer an HTTP error in the visitor's language, as HTML or as JSON for the API."""
    code = error.code or 500
    title, explanation = messages().get(code, messages()[500])
    if request.path.startswith("/api/"):
        return jsonify(error=explanation if code != 400 else error.description, field=None), code
    return render_template(
        "errors/error.html", code=code, title=title, explanation=explanation
    ), code


def render_csrf_error(error: CSRFError):
    """Explain an expired or missing form token; nothing was kept."""
    if request.path.startswith("/api/"):
        return jsonify(error=_("The security token is missing or expired."), field=None), 400
    return render_template("errors/csrf.html"), 400


def render_crash(error: Exception):
    """Log an unexpected error (type and place, for the operator) and answer a plain 500."""
    current_app.logger.error(
        "unhandled %s on %s %s",
        type(error).__name__,
        request.method,
        request.url_rule,
        exc_info=error,
    )
    return render_error(InternalServerError())


def unavailable_text() -> tuple[str, str]:
    """Return the title and explanation of a busy database: after a POST, nothing was saved."""
    if request.method in ("GET", "HEAD"):
        return _("The site is busy"), _("Please try again in a minute.")
    return _("Nothing was saved"), _(
        "The site is busy, so what you sent was not saved. Please send it again in a minute."
    )


def render_unavailable(error: Exception):
    """Answer a locked, busy or unreachable database with an honest 503; nothing half saved."""
    db.session.rollback()  # whatever this request wrote is undone, not left half done
    cause = getattr(error, "orig", None) or error
    # The class and first line only: the full text can quote SQL parameters (personal data).
    first_line = (str(cause).splitlines() or [""])[0][:120]
    current_app.logger.warning(
        "database unavailable on %s %s: %s: %s",
        request.method,
        request.url_rule,
        type(cause).__name__,
        first_line,
    )
    title, explanation = unavailable_text()
    headers = {"Retry-After": str(RETRY_AFTER), "Cache-Control": "no-store"}
    if request.path.startswith("/api/"):
        return jsonify(error=explanation, field=None), 503, headers
    page = render_template("errors/error.html", code=503, title=title, explanation=explanation)
    return page, 503, headers


def init_app(app: Flask) -> None:
    """Register the error pages."""
    app.register_error_handler(CSRFError, render_csrf_error)
    app.register_error_handler(OperationalError, render_unavailable)
    app.register_error_handler(PoolTimeout, render_unavailable)
    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(Exception, render_crash)
