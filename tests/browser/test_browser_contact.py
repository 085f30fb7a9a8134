"""Real Chromium: the contact form filled and sent in es and ar, with axe at every step."""

import shutil

import pytest

from tests.conftest import NCT, ROOT, translate
from tests.contact_support import DATA, EMAIL, MESSAGE, MULTI, OPERATOR_FILE

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(app_config, tmp_path):
    """Serve the shipped trial and the multi-site test trial side by side."""
    content = tmp_path / "content" / "trials"
    shutil.copytree(ROOT / "content" / "trials" / NCT, content / NCT)
    (content / MULTI).mkdir()
    shutil.copy(DATA / "contact_multisite.json", content / MULTI / "record.json")
    (content / MULTI / "sites.yaml").write_text(OPERATOR_FILE, encoding="utf-8")
    return app_config | {"CONTENT_DIR": str(tmp_path / "content")}


def fill(page, first_name: str) -> None:
    page.fill("#first_name", first_name)
    page.fill("#last_name", "Etxeberria")
    page.fill("#email", EMAIL)
    page.fill("#phone", "612 34 56 78")
    page.check("#respondent-1")
    page.select_option("#country", "ES")
    page.fill("#postal_code", "28013")
    page.fill("#message", MESSAGE)
    page.check("#consent")


@pytest.mark.parametrize("lang", ["es", "ar"])
def test_fill_and_send_with_axe_on_the_form_the_errors_and_the_confirmation(
    app, live_server, page, assert_accessible, smtp, lang
):
    page.goto(f"{live_server}/{lang}/trials/{NCT}/")
    with page.expect_navigation():
        page.click(f"#contact a[href='/{lang}/trials/{NCT}/contact']")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert_accessible(page)

    page.fill("#first_name", "Zuriñe")
    with page.expect_navigation():  # the page with errors has the same address: wait for it
        page.click("form.contact button[type=submit]")
    assert page.title().startswith(translate(app, lang, "Error: %(title)s", title=""))
    assert page.locator("#last_name-error[role=alert]").is_visible()
    assert page.locator("#consent-error[role=alert]").is_visible()
    assert page.input_value("#first_name") == "Zuriñe"  # what was typed is kept
    assert_accessible(page)

    fill(page, "Zuriñe")
    page.click("form.contact button[type=submit]")
    page.wait_for_url(f"**/{lang}/trials/{NCT}/contact/sent/TF-*")
    reference = page.locator(".reference-number").inner_text()
    assert reference.startswith("TF-") and "Hospital Universitario La Paz" in page.content()
    assert_accessible(page)
    assert len(smtp.messages) == 2
    assert {message["Content-Language"] for message in smtp.messages} == {"es", lang}


def test_use_my_location_routes_by_the_browser_position(live_server, browser, smtp):
    context = browser.new_context(
        geolocation={"latitude": 41.3874, "longitude": 2.1686}, permissions=["geolocation"]
    )
    page = context.new_page()
    page.goto(f"{live_server}/en/trials/{MULTI}/contact")
    fill(page, "Ana")  # the postal code says Madrid; the browser says Barcelona
    page.click("#locate-button")
    page.wait_for_function("document.getElementById('lat').value !== ''")
    assert page.locator("#locate-status").inner_text()
    page.click("form.contact button[type=submit]")
    page.wait_for_url("**/contact/sent/TF-*")
    assert "Hospital del Mar" in page.content()
    assert len(smtp.to("barcelona@hospital.test")) == 1
    context.close()


def test_the_form_works_without_javascript(live_server, browser, smtp):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/en/trials/{NCT}/contact")
    assert not page.locator("#locate").is_visible()  # the location button needs JavaScript
    fill(page, "Ana")
    page.click("form.contact button[type=submit]")
    page.wait_for_url("**/contact/sent/TF-*")
    assert page.locator(".reference-number").inner_text().startswith("TF-")
    assert len(smtp.messages) == 2
    context.close()


SUBMIT = "form.contact button[type=submit]"


def summary_targets_exist_once(page) -> list[str]:
    """Return the ids the error summary links to, after checking each names one element."""
    hrefs = [link.get_attribute("href") for link in page.locator("#error-summary a").all()]
    assert hrefs and all(page.locator(href).count() == 1 for href in hrefs)
    return hrefs


def test_which_language_appears_only_for_another_language_with_javascript(
    app, live_server, page, assert_accessible
):
    page.goto(f"{live_server}/ar/trials/{MULTI}/contact")
    other = page.locator("#other_language")
    assert other.is_hidden()
    page.select_option("#preferred_language", "other")
    assert other.is_visible() and page.locator("#other_language-hint").is_visible()
    page.select_option("#preferred_language", "fr")
    assert other.is_hidden()
    page.select_option("#preferred_language", "other")
    with page.expect_navigation():
        page.click(SUBMIT)
    assert page.title().startswith(translate(app, "ar", "Error: %(title)s", title=""))
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert other.is_visible()  # still chosen, still shown, with its error beside it
    assert "#other_language" in summary_targets_exist_once(page)
    page.click("#error-summary a[href='#other_language']")
    assert page.evaluate("document.activeElement.id") == "other_language"
    assert_accessible(page)


def test_which_language_and_a_town_without_a_postal_code_work_without_javascript(
    live_server, browser, smtp
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server}/es/trials/{MULTI}/contact")
    other = page.locator("#other_language")
    assert other.is_hidden() and page.locator("#locate").is_hidden()
    page.select_option("#preferred_language", "other")
    assert other.is_visible()
    page.fill("#first_name", "Zuriñe")
    with page.expect_navigation():
        page.click(SUBMIT)
    # Playwright cannot evaluate scripts here (nor run axe): ask the page's CSS what has focus.
    assert page.locator("#error-summary:focus").count() == 1
    assert summary_targets_exist_once(page)[:2] == ["#last_name", "#email"]

    page.fill("#last_name", "Etxeberria")
    page.fill("#email", EMAIL)
    page.fill("#other_language", "Euskara")
    page.check("#respondent-1")
    page.select_option("#country", "PT")
    page.fill("#city", "Coimbra")  # no postal code: the town is enough outside Spain
    page.fill("#message", MESSAGE)
    page.check("#consent")
    with page.expect_navigation():
        page.click(SUBMIT)
    assert "/contact/sent/TF-" in page.url
    assert "Hospital de Santa Maria" in page.content()
    (staff,) = smtp.to("lisboa@hospital.test")
    assert "Euskara" in staff.get_body(preferencelist=("plain",)).get_content()
    context.close()
