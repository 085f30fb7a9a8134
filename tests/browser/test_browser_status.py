"""Real Chromium: a study that takes no one new says so in plain words and offers no contact.

NCT05594173 is a real registry record (tests/data/records/SOURCE.md): completed in 2020, one
site in Toronto, no contact listed.
"""

import shutil

import pytest

from tests.conftest import ROOT, translate

pytestmark = pytest.mark.browser
COMPLETED = "NCT05594173"
ENDED = "This study has ended. It no longer takes participants."


@pytest.fixture
def app_config(app_config, tmp_path):
    folder = tmp_path / "content" / "trials" / COMPLETED
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "tests" / "data" / "records" / f"{COMPLETED}.json", folder / "record.json")
    return app_config | {"CONTENT_DIR": str(tmp_path / "content")}


@pytest.mark.parametrize("lang", ["es", "ar"])
def test_a_completed_study_shows_why_and_no_contact_action(
    app, live_server, page, assert_accessible, lang
):
    page.goto(f"{live_server}/{lang}/trials/{COMPLETED}/")
    reason = page.locator("#status-reason")
    assert reason.is_visible()
    assert reason.inner_text().strip() == translate(app, lang, ENDED)
    assert page.get_by_text(translate(app, lang, "Completed"), exact=True).first.is_visible()
    contact = translate(app, lang, "Contact the study team")
    assert page.get_by_role("link", name=contact).count() == 0
    assert page.get_by_role("button", name=contact).count() == 0
    assert page.locator(f"a[href*='/trials/{COMPLETED}/contact']").count() == 0
    assert page.locator("#reach-team").is_visible()  # the registry instead, and alerts
    assert_accessible(page)

    page.goto(f"{live_server}/{lang}/trials/{COMPLETED}/contact")
    assert page.locator("form.contact").count() == 0
    assert page.get_by_text(translate(app, lang, ENDED)).is_visible()
    assert_accessible(page)
