"""Locales: the supported tuple, the locale in the URL, and catalogs compiled when stale."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Blueprint, Flask, abort, current_app, g, request, url_for
from flask_babel import format_number

LOCALES: tuple[str, ...] = ("es", "en", "ca", "fr", "pt", "ro", "ar")
DEFAULT_LOCALE = "es"
RTL_LOCALES = frozenset({"ar"})
# Each language named in itself, for the switcher and the forms.
NATIVE_NAMES = {
    "es": "Español",
    "en": "English",
    "ca": "Català",
    "fr": "Français",
    "pt": "Português",
    "ro": "Română",
    "ar": "العربية",
}


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


def text_direction(lang: str) -> str:
    """Return 'rtl' or 'ltr' for a locale."""
    return "rtl" if lang in RTL_LOCALES else "ltr"


def compile_catalogs(directory: Path) -> list[Path]:
    """Compile every .po whose .mo is missing or older; return the compiled paths."""
    compiled = []
    for po_path in sorted(directory.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        tmp_path = mo_path.with_suffix(".mo.tmp")
        with tmp_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        tmp_path.replace(mo_path)
        compiled.append(mo_path)
    return compiled


def init_app(app: Flask) -> None:
    """Compile stale catalogs and make locale helpers available to templates."""
    compile_catalogs(Path(app.config["BABEL_TRANSLATION_DIRECTORIES"]))
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.url_defaults(add_lang_to_urls)
    app.jinja_env.globals.update(switch_url=switch_url, format_number=format_number)

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


def switch_url(lang: str) -> str:
    """Return this page's address in another locale, or that locale's home page."""
    endpoint, args = request.endpoint, dict(request.view_args or {})
    if endpoint and current_app.url_map.is_endpoint_expecting(endpoint, "lang"):
        return url_for(endpoint, **{**args, "lang": lang})
    return url_for("trials.home", lang=lang)
