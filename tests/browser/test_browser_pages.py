"""Real Chromium: axe finds nothing on each page type, no third-party request, no script needed."""

from urllib.parse import urlsplit

import pytest

from tests.conftest import NCT

pytestmark = pytest.mark.browser

PAGES = [
    "/{lang}/",
    f"/{{lang}}/trials/{NCT}/",
    f"/{{lang}}/trials/{NCT}/faq",
    "/{lang}/privacy",
    "/{lang}/accessibility",
    "/{lang}/trials/NCT00000000/",
]


@pytest.mark.parametrize("lang", ["es", "en", "ar"])
def test_axe_finds_nothing_and_nothing_leaves_the_machine(
    live_server, page, assert_accessible, lang
):
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))
    for path in PAGES:
        response = page.goto(live_server + path.format(lang=lang))
        assert response.status == (404 if "NCT00000000" in path else 200)
        assert page.locator("html").get_attribute("lang") == lang
        assert_accessible(page)
    assert hosts <= {"127.0.0.1"}, f"requests left the site: {hosts}"


def test_glossary_term_opens_in_place_with_the_keyboard(live_server, page):
    page.goto(f"{live_server}/en/trials/{NCT}/")
    term = page.locator("button.term").first
    target = term.get_attribute("popovertarget")
    popover = page.locator(f"#{target}")
    assert not popover.is_visible()
    term.focus()
    page.keyboard.press("Enter")
    assert popover.is_visible()
    page.keyboard.press("Escape")
    assert not popover.is_visible()


def test_pages_work_without_javascript(live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/en/")
    page.fill("#q", "leukemia")
    page.click("form.search button[type=submit]")
    page.click(f"a[href='/en/trials/{NCT}/']")
    assert page.locator("h1").inner_text()
    page.click(".languages summary")  # a native disclosure opens without JavaScript
    page.click("a[lang=ar]")
    assert page.url.endswith(f"/ar/trials/{NCT}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    context.close()
