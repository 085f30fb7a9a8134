"""Every page in every locale, the URL contract, negotiation, headers and 404s."""

import json
import re

import pytest

from tests.conftest import NCT, translate
from trialfinder.lib.locales import LOCALES, RTL_LOCALES

PAGES = [
    "/{lang}/",
    f"/{{lang}}/trials/{NCT}/",
    f"/{{lang}}/trials/{NCT}/faq",
    "/{lang}/privacy",
    "/{lang}/accessibility",
]


@pytest.fixture
def app(module_app):
    """The tests here only read pages: one app for the module (see conftest.module_app)."""
    return module_app


def html_attrs(body: str) -> tuple[str, str]:
    match = re.search(r'<html lang="([^"]+)" dir="([^"]+)">', body)
    assert match, "no <html lang dir>"
    return match.group(1), match.group(2)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_in_every_locale(client, lang, path):
    response = client.get(path.format(lang=lang))
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert html_attrs(body) == (lang, "rtl" if lang in RTL_LOCALES else "ltr")
    for other in LOCALES:
        assert f'hreflang="{other}"' in body
    assert 'name="csrf' not in body  # the same page for everyone: no token in it


@pytest.mark.parametrize("path", PAGES)
def test_switcher_keeps_the_page(client, path):
    body = client.get(path.format(lang="es")).get_data(as_text=True)
    for other in LOCALES:
        assert f'href="{path.format(lang=other)}"' in body


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("fr-FR,fr;q=0.9,en;q=0.5", "/fr/"),
        ("ar", "/ar/"),
        ("de-DE", "/es/"),
        ("", "/es/"),
        ("ro;q=0.2,ca", "/ca/"),
    ],
)
def test_root_negotiates_the_language(client, accept, expected):
    response = client.get("/", headers={"Accept-Language": accept})
    assert response.status_code == 302
    assert response.headers["Location"] == expected
    assert "Accept-Language" in response.headers["Vary"]


def test_unknown_locale_is_a_localized_404(client):
    response = client.get("/de/", headers={"Accept-Language": "fr"})
    assert response.status_code == 404
    assert html_attrs(response.get_data(as_text=True))[0] == "fr"


def test_unknown_trial_is_a_404_in_the_page_language(client):
    english = client.get("/en/trials/NCT00000000/").get_data(as_text=True)
    arabic = client.get("/ar/trials/NCT00000000/")
    assert arabic.status_code == 404
    assert html_attrs(arabic.get_data(as_text=True)) == ("ar", "rtl")
    assert "Page not found" in english
    assert "Page not found" not in arabic.get_data(as_text=True)


def test_overview_has_sections_official_text_and_json_ld(client):
    body = client.get(f"/en/trials/{NCT}/").get_data(as_text=True)
    for section in ("summary", "details", "who-can-join", "glossary", "contact"):
        assert f'id="{section}"' in body
    assert "official English text" in body
    assert "Hospital Universitario La Paz" in body
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(1)
    data = json.loads(ld)
    assert data["@type"] == "MedicalTrial"
    assert data["identifier"] == NCT
    assert data["status"] == "https://schema.org/Recruiting"


def test_glossary_terms_open_in_place(client):
    body = client.get(f"/en/trials/{NCT}/").get_data(as_text=True)
    targets = set(re.findall(r'popovertarget="(term-[a-z0-9_]+)"', body))
    assert targets, "no glossary term is marked in the text"
    for target in targets:
        assert f'id="{target}"' in body


def test_dates_and_numbers_follow_the_locale(client):
    assert "July 8, 2025" in client.get(f"/en/trials/{NCT}/").get_data(as_text=True)
    assert "8 de julio de 2025" in client.get(f"/es/trials/{NCT}/").get_data(as_text=True)
    assert "8 de juliol del 2025" in client.get(f"/ca/trials/{NCT}/").get_data(as_text=True)


def test_home_search_by_words_age_and_status(client):
    def titles(query: str) -> bool:
        body = client.get(f"/en/?{query}").get_data(as_text=True)
        return NCT in body.split('id="held"')[0]  # the results, not the list of all trials

    assert titles("")
    assert titles("q=leukemia")
    assert titles("q=CAR-T&age=12&status=RECRUITING")
    assert not titles("q=melanoma")
    # Too old: not among the results, but listed below them with the reason.
    page = client.get("/en/?age=45").get_data(as_text=True)
    assert NCT not in page.split('id="not-fitting"')[0]
    assert "The registry lists this study for ages up to 30 years." in page
    assert not titles("status=COMPLETED")
    assert titles("age=not-a-number")


def test_security_headers_and_cookie_flags(client):
    response = client.get("/en/")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
    assert response.headers["Permissions-Policy"]
    assert "Set-Cookie" not in response.headers  # reading pages set none; the token endpoint does
    cookie = client.get("/api/v1/csrf").headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/nowhere").headers["Content-Security-Policy"] == csp


def test_a_plain_language_title_is_in_the_pages_own_language(client):
    for lang in LOCALES:
        page = client.get(f"/{lang}/trials/{NCT}/").get_data(as_text=True)
        assert re.search(r"<h1>[^<]+</h1>", page), lang  # not marked as English


def test_sitemap_lists_every_page_in_every_locale(client):
    body = client.get("/sitemap.xml").get_data(as_text=True)
    for lang in LOCALES:
        assert f"/{lang}/trials/{NCT}/faq</loc>" in body
        assert f'hreflang="{lang}"' in body


def test_robots_points_to_the_sitemap(client):
    body = client.get("/robots.txt").get_data(as_text=True)
    assert "Sitemap: http://127.0.0.1:5000/sitemap.xml" in body


UNREVIEWED = (
    "This translation has not yet been checked by a medical translator. "
    "If something is unclear, ask the study team."
)


@pytest.mark.parametrize("reviewed", [True, False])
def test_unreviewed_translation_shows_a_notice(app_config, tmp_path, reviewed):
    import shutil

    from trialfinder import create_app
    from trialfinder.config import ROOT

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    for path in (content / "trials" / NCT / "fr.yaml", content / "faq" / "fr.yaml"):
        signed = 'reviewed: true\nreviewed_by: "Claire Martin, traductrice médicale"\n'
        signed += "reviewed_on: 2026-12-04"
        text = re.sub(
            r"(?m)^reviewed: \w+$",
            signed if reviewed else "reviewed: false",
            path.read_text("utf-8"),
        )
        path.write_text(text, encoding="utf-8")
    app = create_app(app_config | {"CONTENT_DIR": str(content)})
    notice = translate(app, "fr", UNREVIEWED)
    client = app.test_client()
    for page in (f"/fr/trials/{NCT}/", f"/fr/trials/{NCT}/faq"):
        body = client.get(page).get_data(as_text=True)
        assert (notice in body) is (not reviewed)
