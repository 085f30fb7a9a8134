"""Site pages: language negotiation, privacy, accessibility, sitemap, robots."""

from flask import Blueprint, Response, abort, current_app, redirect, render_template, url_for
from sqlalchemy import select

from trialfinder.extensions import db
from trialfinder.lib.locales import LOCALES
from trialfinder.pages.content import fill_placeholders, load_site_page
from trialfinder.trials.models import Trial
from trialfinder.web.caching import public, reading_page
from trialfinder.web.i18n import current_locale, localized_blueprint

bp = localized_blueprint("pages", __name__)
root = Blueprint("root", __name__)


@root.get("/")
def index():
    response = redirect(url_for("trials.home", lang=current_locale()))
    response.headers["Vary"] = "Accept-Language"
    return response


@bp.get("/privacy")
@reading_page
def privacy():
    return site_page("privacy")


@bp.get("/accessibility")
@reading_page
def accessibility():
    return site_page("accessibility")


def site_page(name: str):
    page = load_site_page(current_app.config["CONTENT_DIR"], current_locale(), name)
    if page is None:
        abort(404)
    return render_template("pages/text.html", page=fill_placeholders(page, page_values()))


def page_values() -> dict[str, str]:
    """Return what site texts name from the settings: the controller, its DPO, a contact.

    Unset (only where no public server runs: see config.PRIVACY_SETTINGS), the setting's name
    shows instead, for the operator to see what is missing.
    """
    config = current_app.config
    dpo = config["DPO_EMAIL"] or "TRIALFINDER_DPO_EMAIL"
    return {
        "controller": config["DATA_CONTROLLER"] or "TRIALFINDER_DATA_CONTROLLER",
        "dpo_email": dpo,
        "contact_email": config["CONTACT_EMAIL"] or dpo,
    }


def sitemap_urls() -> list[dict]:
    """Return every public page with its alternates in each locale."""
    base = current_app.config["BASE_URL"].rstrip("/")
    pages = [("trials.home", {}), ("pages.privacy", {}), ("pages.accessibility", {})]
    for nct_id in db.session.scalars(select(Trial.nct_id).order_by(Trial.nct_id)):
        pages += [("trials.overview", {"nct_id": nct_id}), ("trials.faq", {"nct_id": nct_id})]
    return [
        {lang: base + url_for(endpoint, lang=lang, **args) for lang in LOCALES}
        for endpoint, args in pages
    ]


@root.get("/sitemap.xml")
@reading_page
def sitemap():
    xml = render_template("pages/sitemap.xml", urls=sitemap_urls(), locales=LOCALES)
    return Response(xml, mimetype="application/xml")


@root.get("/robots.txt")
@public()
def robots():
    base = current_app.config["BASE_URL"].rstrip("/")
    lines = ["User-agent: *", "Disallow: /api/", f"Sitemap: {base}/sitemap.xml", ""]
    return Response("\n".join(lines), mimetype="text/plain")
