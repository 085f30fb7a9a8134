"""Site pages: language negotiation, privacy, accessibility, sitemap, robots."""

from flask import Blueprint, Response, abort, current_app, redirect, render_template, url_for
from sqlalchemy import func, select

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


# The sitemap protocol allows 50,000 URLs a file, and each page is listed once per locale: the
# site's own pages and the first trials' pages go in the first file, each other file holds the
# next trials' (two pages each). Few trials: /sitemap.xml lists them all; more: it is an index.
FIXED_PAGES = (("trials.home", {}), ("pages.privacy", {}), ("pages.accessibility", {}))
TRIALS_PER_SITEMAP = (50_000 // len(LOCALES) - len(FIXED_PAGES)) // 2


def sitemap_parts() -> int:
    """Return how many sitemap files the trials need (1: /sitemap.xml lists every page)."""
    trials = db.session.scalar(select(func.count()).select_from(Trial))
    return max(1, -(-trials // TRIALS_PER_SITEMAP))


def sitemap_urls(part: int = 1) -> list[dict]:
    """Return the pages of one sitemap file, each with its address in every locale."""
    base = current_app.config["BASE_URL"].rstrip("/")
    pages = list(FIXED_PAGES) if part == 1 else []
    first = (part - 1) * TRIALS_PER_SITEMAP
    trials = select(Trial.nct_id).order_by(Trial.nct_id).offset(first).limit(TRIALS_PER_SITEMAP)
    for nct_id in db.session.scalars(trials):
        pages += [("trials.overview", {"nct_id": nct_id}), ("trials.faq", {"nct_id": nct_id})]
    return [
        {lang: base + url_for(endpoint, lang=lang, **args) for lang in LOCALES}
        for endpoint, args in pages
    ]


@root.get("/sitemap.xml")
@reading_page
def sitemap():
    parts = sitemap_parts()
    if parts == 1:
        xml = render_template("pages/sitemap.xml", urls=sitemap_urls(), locales=LOCALES)
    else:
        base = current_app.config["BASE_URL"].rstrip("/")
        files = [base + url_for("root.sitemap_part", part=part) for part in range(1, parts + 1)]
        xml = render_template("pages/sitemap_index.xml", files=files)
    return Response(xml, mimetype="application/xml")


@root.get("/sitemap-<int:part>.xml")
@reading_page
def sitemap_part(part: int):
    if not 1 <= part <= sitemap_parts():
        abort(404)
    xml = render_template("pages/sitemap.xml", urls=sitemap_urls(part), locales=LOCALES)
    return Response(xml, mimetype="application/xml")


@root.get("/robots.txt")
@public()
def robots():
    base = current_app.config["BASE_URL"].rstrip("/")
    lines = ["User-agent: *", "Disallow: /api/", f"Sitemap: {base}/sitemap.xml", ""]
    return Response("\n".join(lines), mimetype="text/plain")
