"""Locales: the supported tuple, the locale in the URL; catalogs are compiled before start."""

import logging
from pathlib import Path

from babel.units import format_unit
from flask import Blueprint, Flask, abort, current_app, g, jsonify, request, url_for
from flask_babel import format_number, get_locale, get_translations
from flask_babel import lazy_gettext as _l

from trialfinder import config
from trialfinder.lib.catalogs import compile_catalogs, stale_catalogs
from trialfinder.lib.geo import local_distance, rounded_distance
from trialfinder.lib.locales import DEFAULT_LOCALE, LOCALES, NATIVE_NAMES, RTL_LOCALES

__all__ = ["compile_catalogs"]  # for `make catalogs` and the tests; never called at start


def current_locale() -> str:
    """Return the locale of this request: from the URL, else negotiated, else the default."""
    lang = g.get("lang")
    if lang in LOCALES:
        return lang
    if request:
        # An address that matched no route (a 404, 405) may still say its language: /fr/...
        first = request.path.split("/", 2)[1]
        if first in LOCALES:
            return first
        return request.accept_languages.best_match(LOCALES, default=DEFAULT_LOCALE)
    return DEFAULT_LOCALE


def ngettext_count(singular: str, plural: str, num: int, **variables) -> str:
    """ngettext with %(num)s written as the locale writes numbers: 1,145, 1.145, 1 145.

    Flask-Babel's ngettext puts the bare number in %(num)s and takes no other value for it.
    Extracted as a keyword of its own (`make messages`, tests/web/test_i18n.py).
    """
    text = get_translations().ngettext(singular, plural, num)
    return text % ({"num": format_number(num)} | variables)


def distance_text(km: float, country: str, rounding=rounded_distance) -> str:
    """Say a distance in the unit of the visitor's country, as CLDR writes it: '35 km', '20 mi'.

    `rounding` takes the value in that unit: 7, 35, 120 by default (lib.geo.rounded_distance).
    """
    value, unit = local_distance(km, country)
    return format_unit(rounding(value), unit, "short", locale=get_locale())


UNKNOWN_LANGUAGE = _l("This language is not available.")


def api_language():
    """The one ?lang= rule of every JSON API: one of LOCALES, absent or empty, else a 400.

    Absent or empty, the answer comes in the browser's language (Accept-Language), else in
    DEFAULT_LOCALE. Any other value is refused rather than ignored, so a typo shows at once.
    Registered as a before_request hook of each API blueprint.
    """
    lang = request.args.get("lang")
    if not lang:
        return None
    if lang not in LOCALES:
        return jsonify(error=str(UNKNOWN_LANGUAGE), field="lang"), 400
    g.lang = lang
    return None


def text_direction(lang: str) -> str:
    """Return 'rtl' or 'ltr' for a locale."""
    return "rtl" if lang in RTL_LOCALES else "ltr"


def init_app(app: Flask) -> None:
    """Make locale helpers available to templates; say so if a catalog was not compiled.

    Catalogs are compiled by the wheel's build and by `make catalogs`, never here: workers
    starting together would race on the same files.
    """
    # The wheel's catalogs were compiled when it was built (an install may not keep mtimes).
    checkout = config.ROOT != config.SHIPPED
    stale = stale_catalogs(Path(app.config["BABEL_TRANSLATION_DIRECTORIES"])) if checkout else []
    if stale:
        logging.getLogger(__name__).warning(
            "%d catalog(s) not compiled or older than their .po (%s): run `make catalogs`",
            len(stale),
            ", ".join(path.parent.parent.name for path in stale),
        )
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.url_defaults(add_lang_to_urls)
    app.jinja_env.globals.update(
        switch_url=switch_url, format_number=format_number, distance_text=distance_text
    )

    @app.context_processor
    def locale_context() -> dict:
        lang = current_locale()
        return {
            "lang": lang,
            "dir": text_direction(lang),
            "locales": LOCALES,
            "native_names": NATIVE_NAMES,
        }


def localized_blueprint(name: str, import_name: str) -> Blueprint:
    """Create a blueprint whose routes live under /<lang>/, with unknown locales a 404."""
    bp = Blueprint(name, import_name, url_prefix="/<lang>")

    @bp.url_value_preprocessor
    def pull_lang(_endpoint: str | None, values: dict | None) -> None:
        lang = (values or {}).pop("lang", None)
        if lang not in LOCALES:
            abort(404)
        g.lang = lang

    return bp


def add_lang_to_urls(endpoint: str, values: dict) -> None:
    """Fill in the current locale for url_for on localized endpoints."""
    if "lang" in values or not g.get("lang"):
        return
    if current_app.url_map.is_endpoint_expecting(endpoint, "lang"):
        values["lang"] = g.lang


# The query words the pages read: the finder's search and a visitor's place.
KEPT_QUERY = frozenset({"q", "age", "sex", "status", "near", "country"})


def switch_url(lang: str) -> str:
    """Return this page's address in another locale, or that locale's home page.

    A page read by its address keeps the query words the site itself reads (a search, the place
    of a result), and no other: a link never carries what someone else put in an address
    (?next=//elsewhere). A page kept for every visitor (caching.form_page) carries none.
    """
    shared = bool(g.get("shared_page"))
    built = g.setdefault("switch_urls", {})  # a page names its address in 7 locales, twice
    if shared not in built:
        built[shared] = page_address(ANY_LOCALE, shared)
    return built[shared].replace(ANY_LOCALE, lang, 1)  # the path's first: it precedes the query


ANY_LOCALE = "__locale__"  # no locale's code; it stands for each in turn


def page_address(lang: str, shared: bool) -> str:
    """Return this page's address in a locale, as switch_url keeps it (or the locale's home)."""
    endpoint, args = request.endpoint, dict(request.view_args or {})
    if endpoint and current_app.url_map.is_endpoint_expecting(endpoint, "lang"):
        query = {} if shared else request.args.to_dict(flat=False)
        query = {name: values for name, values in query.items() if name in KEPT_QUERY}
        return url_for(endpoint, **{**query, **args, "lang": lang})
    return url_for("trials.home", lang=lang)
