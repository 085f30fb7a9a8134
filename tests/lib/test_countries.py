"""One country list: the same countries, named in the visitor's language, on every form."""

import re
from html import unescape

import pytest

from tests.contact_support import contact_url
from trialfinder.leads.languages import country_language
from trialfinder.lib.countries import countries, is_country
from trialfinder.trials import facts

SELECT = re.compile(r'<select[^>]*\bname="country"[^>]*>(.*?)</select>', re.DOTALL)
OPTION = re.compile(r'<option[^>]*\bvalue="([^"]*)"[^>]*>([^<]*)</option>')


def offered(html: str) -> dict[str, str]:
    """Return the countries of the page's first country menu, code to name."""
    menu = SELECT.search(html)
    assert menu, "no country menu on the page"
    return {code: unescape(name) for code, name in OPTION.findall(menu.group(1)) if code}


def test_rule_keeps_countries_and_drops_groupings():
    codes = dict(countries("en"))
    assert "XK" in codes and "ES" in codes and "PS" in codes
    for grouping in ("EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "AC", "IC", "CQ", "001"):
        assert grouping not in codes
        assert not is_country(grouping)


@pytest.mark.parametrize(
    ("lang", "germany"), [("es", "Alemania"), ("ar", "ألمانيا"), ("en", "Germany")]
)
def test_names_are_in_the_visitor_language(lang, germany):
    assert dict(countries(lang))["DE"] == germany


def test_sorted_as_a_reader_expects():
    names = [name for _code, name in countries("es")]
    assert names.index("Alemania") < names.index("Austria") < names.index("Bélgica")
    assert names.index("Bélgica") < names.index("Bolivia")


@pytest.mark.parametrize("lang", ["es", "ar"])
def test_every_form_offers_the_same_countries(client, lang):
    pages = {
        "contact": client.get(contact_url(lang)).get_data(as_text=True),
        "alerts": client.get(f"/{lang}/alerts").get_data(as_text=True),
        "finder": client.get(f"/{lang}/").get_data(as_text=True),
    }
    menus = {page: offered(html) for page, html in pages.items()}
    expected = dict(countries(lang))
    for page, menu in menus.items():
        assert menu == expected, page
        assert "XK" in menu, f"Kosovo missing on the {page} page"
    germany = {"es": "Alemania", "ar": "ألمانيا"}[lang]
    assert {menu["DE"] for menu in menus.values()} == {germany}


def test_registry_country_names_are_read_the_way_the_map_reads_them():
    # ClinicalTrials.gov writes its own English names; every reader now knows the same ones.
    assert facts.country_name("Korea, Republic of", "es") == "Corea del Sur"
    assert facts.country_name("Cote D'Ivoire", "ar") == dict(countries("ar"))["CI"]
    assert facts.country_name("Narnia", "es") == "Narnia"  # unknown: as the registry wrote it
    assert country_language("Cote D'Ivoire") == "fr"  # its staff are written to in French
