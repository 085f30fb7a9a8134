"""Real Chromium: a coordinator forwards a lead, the next one acknowledges it, with axe."""

import pytest

from tests.contact_support import MULTI, post
from tests.leads_support import link_in, multisite_app

pytestmark = pytest.mark.browser


@pytest.fixture
def app(make_app, tmp_path):
    return multisite_app(make_app, tmp_path)


@pytest.mark.parametrize("staff_lang", ["ca", "ar"])
def test_forward_then_acknowledge_in_two_clicks_with_axe(
    app, live_server, page, assert_accessible, smtp, staff_lang
):
    post(app.test_client(), "en", MULTI, postal_code="28013")
    madrid = link_in(smtp.to("madrid@hospital.test")[0])
    page.goto(live_server + madrid.replace("/es/", f"/{staff_lang}/", 1))
    assert page.locator("html").get_attribute("dir") == ("rtl" if staff_lang == "ar" else "ltr")
    assert_accessible(page)
    page.select_option("#site", label="Hospital del Mar (Barcelona)")
    page.locator("form:has(#site) button").click()  # plain HTML forms: no script needed
    assert page.locator("form").count() == 0  # the old link only says where the request went
    assert "Hospital del Mar" in page.locator(".notice").inner_text()
    assert_accessible(page)
    barcelona = link_in(smtp.to("barcelona@hospital.test")[0])
    page.goto(live_server + barcelona)
    page.locator("form:has(input[value=contacted]) button").click()
    assert page.locator("input[value=contacted]").count() == 0
    assert_accessible(page)
