"""Real Chromium and axe: the pages every imported trial now has, in es and ar."""

import pytest

from tests.sponsor_support import TEST_NCT, import_test_trial

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["es", "ar"])
def test_basic_prescreen_faq_and_finder_are_accessible(
    live_server, page, runner, tmp_path, assert_accessible, lang
):
    import_test_trial(runner, tmp_path)
    base = f"{live_server}/{lang}/trials/{TEST_NCT}"
    page.goto(f"{base}/prescreen")
    assert_accessible(page)
    page.fill("input[name=answer]", "70")  # the age first: it may rule the study out
    page.click("form[data-prescreen-step] button[type=submit]")
    page.wait_for_url("**/prescreen/respondent")
    page.check("input[value=self]")
    page.click("form[data-prescreen-step] button[type=submit]")
    page.wait_for_url("**/prescreen/sex")
    page.goto(f"{base}/prescreen/result?near=Atlantis")
    assert page.locator(".prescreen-fit-unlikely").is_visible()
    assert page.locator(".prescreen-basic").is_visible()
    assert page.locator("#near-error").is_visible()
    assert_accessible(page)
    page.goto(f"{base}/faq")
    assert page.locator(".faq-item").count() >= 8
    assert_accessible(page)
    page.goto(f"{live_server}/{lang}/?age=40&sex=male")
    assert page.locator("#not-fitting").is_visible()
    assert_accessible(page)
