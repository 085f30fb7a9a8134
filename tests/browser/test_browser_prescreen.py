"""Real Chromium: the questionnaire with the keyboard only, with and without JavaScript, and axe."""

from urllib.parse import urlsplit

import pytest

from tests.conftest import NCT
from tests.prescreen.test_prescreen_engine import passing_answers

pytestmark = pytest.mark.browser

ANSWERS = passing_answers("b_all") | {"respondent": "child", "age_years": 12}


def tab_to_answer(page) -> str:
    """Press Tab until an answer field has focus; return its type."""
    for _ in range(40):
        page.keyboard.press("Tab")
        kind = page.evaluate(
            "() => document.activeElement.name === 'answer' ? document.activeElement.type : ''"
        )
        if kind:
            return kind
    raise AssertionError("no answer field reachable with Tab")


def answer_with_keyboard(page, value) -> None:
    """Give one answer and submit it with the keyboard only."""
    if tab_to_answer(page) == "number":
        page.keyboard.type(str(value))
    else:
        values = page.evaluate(
            "() => [...document.querySelectorAll('input[name=answer]')].map(i => i.value)"
        )
        index = values.index(value)
        if index == 0:
            page.keyboard.press("Space")
        for _ in range(index):
            page.keyboard.press("ArrowDown")
        assert page.evaluate("() => document.activeElement.value") == value
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.type") == "submit"
    before = urlsplit(page.url).path
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path != before)


def question_id(page) -> str:
    action = page.get_attribute("form[data-prescreen-step]", "action")
    return action.rsplit("/", 1)[1]


@pytest.mark.parametrize(
    ("lang", "javascript"), [("en", True), ("ar", True), ("en", False), ("ar", False)]
)
def test_keyboard_walk_to_the_result_and_the_contact_form(
    live_server, browser, assert_accessible, lang, javascript
):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))
    page.goto(f"{live_server}/{lang}/trials/{NCT}/prescreen")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    # axe itself needs JavaScript: it checks the pages in the runs with JavaScript on.
    check = assert_accessible if javascript else (lambda _page: None)
    check(page)
    if javascript:
        page.evaluate("() => { window.samePage = true; }")
    steps = 0
    while page.locator("form[data-prescreen-step]").count():
        question = question_id(page)
        if question == "diagnosis":
            check(page)
        answer_with_keyboard(page, ANSWERS[question])
        steps += 1
        assert steps < 30
    assert urlsplit(page.url).path == f"/{lang}/trials/{NCT}/prescreen/result"
    assert steps == 18  # B-ALL at 12: everything but the donor question
    assert page.locator(".prescreen-fit-likely").count() == 1
    # With JavaScript, the steps swapped in place: the page never reloaded.
    assert page.evaluate("() => window.samePage === true") == javascript
    assert page.locator("h1").inner_text() and page.title() != ""
    check(page)
    # Tick "Share my answers" and press "Contact the study team", still with the keyboard.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.name") == "share":
            break
    page.keyboard.press("Space")
    assert page.locator("input[name=share]").is_checked()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{lang}/trials/{NCT}/contact")
    assert hosts <= {"127.0.0.1"}, f"requests left the site: {hosts}"
    context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_an_error_is_announced_beside_the_field_and_axe_finds_nothing(
    live_server, page, assert_accessible, lang
):
    page.goto(f"{live_server}/{lang}/trials/{NCT}/prescreen/age_years")
    tab_to_answer(page)
    page.keyboard.type("200")
    page.keyboard.press("Enter")
    alert = page.locator("#answer-error[role=alert]")
    alert.wait_for()
    assert page.title().startswith("Error: ") if lang == "en" else page.title()
    assert page.locator("#answer").get_attribute("aria-invalid") == "true"
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_summary_page_is_accessible(live_server, page, assert_accessible, lang):
    page.goto(f"{live_server}/{lang}/trials/{NCT}/prescreen")
    answer_with_keyboard(page, "self")
    page.goto(f"{live_server}/{lang}/trials/{NCT}/prescreen/summary")
    assert page.locator("h1").count() == 1
    assert_accessible(page)
