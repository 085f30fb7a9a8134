"""Real Chromium: the alert sign-up form, its error state and the next page, with axe."""

import re

import pytest

from tests.conftest import NCT

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_sign_up_errors_confirm_and_unsubscribe_pages_are_accessible(
    live_server, page, assert_accessible, smtp, runner, lang
):
    page.goto(f"{live_server}/{lang}/trials/{NCT}/")
    with page.expect_navigation():
        page.click(f"#contact a[href^='/{lang}/alerts?interest=']")
    assert page.locator("input[name=interests]").first.is_checked()
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert_accessible(page)
    title = page.title()

    page.fill("#email", "not an address")
    page.fill("#age_years", "130")
    with page.expect_navigation():  # the page with errors has the same address
        page.click("form.alerts-form button[type=submit]")
    assert page.title() != title and title.split(" · ")[0] in page.title()  # "Error: ..."
    assert page.locator("#email-error").is_visible()
    assert page.locator("#age_years").get_attribute("aria-invalid") == "true"
    assert page.locator("#consent-error").is_visible()
    assert_accessible(page)

    page.fill("#email", "family@example.com")
    page.fill("#age_years", "9")
    page.fill("#postal_code", "28046")
    page.check("#consent")
    with page.expect_navigation():
        page.click("form.alerts-form button[type=submit]")
    assert page.url.endswith(f"/{lang}/alerts/check-email")
    assert page.locator("[role=status]").is_visible()
    assert_accessible(page)
    (confirmation,) = smtp.to("family@example.com")
    text = confirmation.get_body(("plain",)).get_content()
    path = re.search(r"http://127.0.0.1:5000(/\S+/alerts/confirm/\S+)", text).group(1)
    page.goto(live_server + path)
    assert_accessible(page)
    assert "queued 0 digest(s)" in runner.invoke(args=["alerts", "send"]).output  # not yet
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url.endswith(f"/{lang}/alerts/confirmed")
    assert page.locator("[role=status]").is_visible()
    assert_accessible(page)

    assert "queued 1 digest(s)" in runner.invoke(args=["alerts", "send"]).output
    text = smtp.to("family@example.com")[-1].get_body(("plain",)).get_content()
    path = re.search(r"http://127.0.0.1:5000(/\S+/alerts/unsubscribe/\S+)", text).group(1)
    page.goto(live_server + path)
    assert_accessible(page)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url.endswith(f"/{lang}/alerts/unsubscribed")
    assert_accessible(page)


def test_the_form_works_with_the_keyboard_and_without_javascript(live_server, browser, smtp):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/en/alerts")
    page.fill("#email", "keys@example.com")
    page.locator("#interests-0").focus()
    page.keyboard.press("Space")
    page.locator("#consent").focus()
    page.keyboard.press("Space")
    page.locator("form.alerts-form button[type=submit]").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/alerts/check-email")
    assert "Check your email" in page.locator("h1").inner_text()
    context.close()
    assert len(smtp.to("keys@example.com")) == 1
