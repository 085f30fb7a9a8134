"""The sitemap in files the protocol allows (50,000 URLs each), however many trials are imported."""

import xml.etree.ElementTree as ET

import pytest

from tests.conftest import NCT, ROOT
from trialfinder.lib.locales import LOCALES
from trialfinder.pages import views

RECORDS = ROOT / "tests" / "data" / "records"
OTHERS = ("NCT05594173", "NCT06171568")  # before the shipped trial in NCT order
BASE = "http://127.0.0.1:5000"
NAMESPACE = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def three_trials(app, runner):
    for nct in OTHERS:
        result = runner.invoke(args=["trials", "import", str(RECORDS / f"{nct}.json")])
        assert result.exit_code == 0, result.output
    return app


def locations(client, path: str) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "application/xml"
    return [loc.text for loc in ET.fromstring(response.data).iterfind(".//s:loc", NAMESPACE)]


def test_more_trials_than_a_file_holds_make_the_sitemap_an_index_of_files(
    three_trials, client, monkeypatch
):
    monkeypatch.setattr(views, "TRIALS_PER_SITEMAP", 2)
    assert locations(client, "/sitemap.xml") == [f"{BASE}/sitemap-1.xml", f"{BASE}/sitemap-2.xml"]
    first, second = locations(client, "/sitemap-1.xml"), locations(client, "/sitemap-2.xml")
    assert len(first) == (3 + 2 * 2) * len(LOCALES)  # the site's pages and two trials' pages
    assert len(second) == 2 * len(LOCALES)
    for lang in LOCALES:
        assert f"{BASE}/{lang}/privacy" in first
        assert f"{BASE}/{lang}/trials/{OTHERS[1]}/faq" in first
        assert f"{BASE}/{lang}/trials/{NCT}/" in second
    assert len(set(first + second)) == len(first + second)  # each page once
    for part in (0, 3):
        assert client.get(f"/sitemap-{part}.xml").status_code == 404


def test_few_trials_are_all_in_the_sitemap_itself(three_trials, client):
    listed = locations(client, "/sitemap.xml")
    assert len(listed) == (3 + 2 * 3) * len(LOCALES)
    assert client.get("/sitemap-2.xml").status_code == 404


def test_a_file_lists_as_many_pages_as_the_protocol_allows():
    urls = (len(views.FIXED_PAGES) + 2 * views.TRIALS_PER_SITEMAP) * len(LOCALES)
    assert 49_000 < urls <= 50_000
