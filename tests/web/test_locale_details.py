"""Details per locale: Arabic plurals in CLDR order, one set of digits, the not-reviewed notice."""

import re
from gettext import c2py

import pytest
from babel import Locale
from babel.messages.pofile import read_po
from flask_babel import force_locale, gettext, ngettext
from markupsafe import escape

from tests.conftest import ROOT
from trialfinder.web.typography import space_text

CLDR_ORDER = ("zero", "one", "two", "few", "many", "other")
EASTERN_DIGITS = re.compile(r"[\u0660-\u0669\u06f0-\u06f9]")
NOTICE = (
    "This translation has not yet been checked by a medical translator. "
    "If something is unclear, ask the study team."
)
UNREVIEWED = ("en", "es", "ca", "fr", "pt", "ro", "ar")  # no named reviewer for any yet


def arabic_catalog():
    with open(ROOT / "translations/ar/LC_MESSAGES/messages.po", "rb") as po_file:
        return read_po(po_file, locale="ar")


def test_arabic_plural_forms_follow_the_cldr_order():
    catalog, cldr = arabic_catalog(), Locale("ar").plural_form
    assert catalog.num_plurals == 6
    form = c2py(catalog.plural_expr)
    for n in range(1200):
        assert CLDR_ORDER[form(n)] == cldr(n), n


@pytest.mark.parametrize(
    ("count", "text"),
    [
        (0, "لم يُعثر على أي تجربة"),
        (1, "تم العثور على تجربة واحدة"),
        (2, "تم العثور على تجربتين"),
        (3, "تم العثور على 3 تجارب"),
        (11, "تم العثور على 11 تجربة"),
        (100, "تم العثور على 100 تجربة"),
    ],
)
def test_arabic_counts_read_naturally(app, count, text):
    with app.test_request_context(), force_locale("ar"):
        found = ngettext("%(num)s trial found", "%(num)s trials found", count)
    assert found == text


def test_arabic_uses_western_digits_everywhere(client):
    files = [
        ROOT / "content/trials/NCT06709469/ar.yaml",
        ROOT / "content/site/ar.yaml",
        ROOT / "translations/ar/LC_MESSAGES/messages.po",
    ]
    for path in files:
        assert not EASTERN_DIGITS.search(path.read_text(encoding="utf-8")), path
    for page in ("/ar/", "/ar/trials/NCT06709469/"):
        body = client.get(page).get_data(as_text=True)
        assert not EASTERN_DIGITS.search(body), page
    assert "2025" in client.get("/ar/trials/NCT06709469/faq").get_data(as_text=True)


@pytest.mark.parametrize("lang", UNREVIEWED)
def test_unreviewed_translations_say_so_in_their_language(app, client, lang):
    with app.test_request_context(), force_locale(lang):
        notice = gettext(NOTICE)
    assert notice != NOTICE or lang == "en"
    shown = space_text(notice) if lang == "fr" else notice
    body = client.get(f"/{lang}/trials/NCT06709469/").get_data(as_text=True)
    assert shown in body or str(escape(shown)) in body


def test_the_english_notice_does_not_call_the_source_a_translation(client):
    body = client.get("/en/trials/NCT06709469/").get_data(as_text=True)
    assert "This translation" not in body
    assert "A medical reviewer has not yet checked the texts on this page." in body
