"""Sharing notes (a JSON API for the trial pages) and reading them (the recipient's page)."""

from datetime import datetime
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.exceptions import NotFound

from trialfinder.extensions import db, limiter
from trialfinder.lib.locales import LOCALES
from trialfinder.notes import models, services  # noqa: F401 - models: the metadata knows every table
from trialfinder.notes.forms import PasscodeForm, RevokeForm
from trialfinder.trials.models import Trial
from trialfinder.trials.services import trial_title
from trialfinder.web.errors import render_error
from trialfinder.web.i18n import api_language, localized_blueprint

api = Blueprint("notes_api", __name__, url_prefix="/api/v1")
bp = localized_blueprint("notes", __name__)


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


@api.url_value_preprocessor
def allow_long_notes(endpoint: str | None, _values: dict | None) -> None:
    # The CSRF check reads the body before any before_request hook: raise the limit here.
    if endpoint == "notes_api.create":
        request.max_content_length = services.BODY_LIMIT


@api.before_request
def refuse_other_sites():
    """Refuse a request sent from another site's page, whatever its cookies."""
    origin = request.headers.get("Origin")
    if origin is None or request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    own = {origin_of(request.host_url), origin_of(current_app.config["BASE_URL"])}
    if origin.lower() not in own:
        return jsonify(error=_("This request came from another website."), field=None), 403
    return None


api.before_request(api_language)  # after refuse_other_sites: a foreign page gets its 403


def use_locale_of(payload: object) -> None:
    """Answer in the language of the notes, else of ?lang= (api_language), else the browser's."""
    wanted = payload.get("lang") if isinstance(payload, dict) else None
    if isinstance(wanted, str) and wanted in LOCALES:
        g.lang = wanted


def iso_utc(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@api.post("/notes")
@limiter.limit(lambda: current_app.config["RATELIMIT_NOTES"])
def create():
    payload = request.get_json(silent=True)
    use_locale_of(payload)
    try:
        draft = services.validate(payload)
    except services.InvalidNotes as error:
        return jsonify(error=error.message, field=error.field), 400
    shared = services.share(draft)
    base = current_app.config["BASE_URL"].rstrip("/")
    path = url_for("notes.show", lang=draft.lang, token=shared.token)
    revoke = url_for("notes.revoke", lang=draft.lang, token=shared.token, key=shared.revoke_key)
    response = jsonify(
        url=base + path,
        passcode=shared.passcode,
        expires_at=iso_utc(shared.expires_at),
        # The creator's own link to delete the notes early: shown once, never stored.
        revoke_url=base + revoke,
    )
    response.status_code = 201
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.after_request
def keep_private(response):
    # The notes, or the fact that a link exists, stay out of caches and search engines.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.errorhandler(services.NotesNotFound)
def not_found(_error):
    return render_error(NotFound())


@bp.errorhandler(services.NotesGone)
def gone(error: services.NotesGone):
    return render_template("notes/gone.html", reason=error.reason), 410


@bp.errorhandler(services.TryLater)
def try_later(error: services.TryLater):
    form = PasscodeForm()
    form.passcode.errors = [wait_message(error.seconds)]
    page = render_template("notes/passcode.html", form=form, token=request.view_args["token"])
    return page, 429, {"Retry-After": str(error.seconds)}


@bp.errorhandler(429)
def too_many(_error):
    """One visitor tried too many wrong passcodes, on any links: wait a minute."""
    page = render_error(_error)[0]
    return page, 429, {"Retry-After": "60"}


def wait_message(seconds: int) -> str:
    return ngettext(
        "Too many wrong passcodes for this link. Please wait %(num)d second, then try again.",
        "Too many wrong passcodes for this link. Please wait %(num)d seconds, then try again.",
        seconds,
    )


@bp.get("/notes/<token>")
def show(token: str):
    services.find(token)
    return render_template("notes/passcode.html", form=PasscodeForm(), token=token)


@bp.post("/notes/<token>")
# Per visitor: every try counts but the one that opens, so the right passcode never uses up
# the allowance, and guessing links or passcodes does.
@limiter.limit(
    lambda: current_app.config["RATELIMIT_PASSCODE"],
    deduct_when=lambda response: response.status_code != 200,
)
def unlock(token: str):
    form = PasscodeForm()
    if not form.validate_on_submit():
        services.find(token)
        return render_template("notes/passcode.html", form=form, token=token), 400
    try:
        opened = services.open_notes(token, form.passcode.data)
    except services.WrongPasscode as error:
        message = _("Wrong passcode. Please check it and try again.")
        if error.wait:
            message = wait_message(error.wait)
        form.passcode.errors = [message]
        return render_template("notes/passcode.html", form=form, token=token), 403
    # Shown in answer to the POST, never stored: there is nothing to redirect to.
    return render_template("notes/shared.html", opened=opened, **trial_details(opened))


@bp.route("/notes/<token>/revoke/<key>", methods=["GET", "POST"])
def revoke(token: str, key: str):
    """The creator deletes the notes: GET shows a button, the POST deletes."""
    if not services.may_revoke(token, key):
        abort(404)
    form = RevokeForm()
    if form.validate_on_submit():
        services.revoke(token, key)
        return redirect(url_for(".revoked"), 303)
    services.find(token)  # already deleted, or expired: the usual answers
    return render_template("notes/revoke.html", form=form, token=token, key=key)


@bp.get("/notes/revoked")
def revoked():
    return render_template("notes/revoked.html")


def trial_details(opened: services.Opened) -> dict:
    """Return the trial the notes are about, and its title in the notes' language."""
    trial = db.session.get(Trial, opened.trial_id)
    return {"trial": trial, "trial_title": trial_title(trial, opened.lang)}
