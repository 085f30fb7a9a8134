"""Real Chromium on a phone (390×844), in Spanish and Arabic: the language switch keeps the place,
the questionnaire asks what rules people out first with an honest counter, the contact form keeps
what was typed, few trials show on the home page's first screen, glossary terms wrap like text.

`make screenshots` writes screenshots to tests/screenshots/ (not committed) for a person to
look at."""

import re
from urllib.parse import urlsplit

import pytest

from tests import conftest
from tests.conftest import NCT, kept_page, translate
from tests.prescreen.test_prescreen_engine import passing_answers

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
OTHER = {"es": "ar", "ar": "es"}
NATIVE = {"es": "Español", "ar": "العربية"}
ANSWERS = passing_answers("b_all") | {"respondent": "child", "age_years": 12}


@pytest.fixture
def phone(kept_pages, browser):
    """A phone-sized page with no cookies, kept for the module's tests (conftest.kept_page)."""

    def open_(javascript=True):
        page = kept_page(kept_pages, browser, javascript)
        page.set_viewport_size(PHONE)
        return page

    return open_


def shoot(page, name: str) -> None:
    conftest.shoot(page, f"journey-{name}.png")


def question_id(page) -> str:
    return page.get_attribute("form[data-prescreen-step]", "action").rsplit("/", 1)[1]


def counter(page) -> tuple[int, int]:
    numbers = re.findall(r"\d+", page.locator("#prescreen-progress").inner_text())
    return int(numbers[0]), int(numbers[1])


def answer(page, value) -> None:
    """Answer the question shown and press Next, as a person would."""
    before = urlsplit(page.url).path
    if page.locator("input[name=answer][type=number]").count():
        page.fill("input[name=answer]", str(value))
    else:
        page.check(f"input[name=answer][value='{value}']")
    page.locator("form[data-prescreen-step] button[type=submit]").click()
    page.wait_for_url(lambda url: urlsplit(url).path != before)


def switch_language(page, lang: str) -> None:
    page.locator(".languages summary").click()
    page.locator(f".languages [lang={lang}]").click()
    page.wait_for_url(re.compile(rf"/{lang}/"))


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
@pytest.mark.parametrize("lang", ["es", "ar"])
def test_switching_language_keeps_the_question_and_the_answers(
    live_server, phone, lang, javascript
):
    page = phone(javascript)
    page.goto(f"{live_server}/{lang}/trials/{NCT}/prescreen")
    for _ in range(3):
        answer(page, ANSWERS[question_id(page)])
    assert question_id(page) == "respondent" and counter(page) == (4, 18)
    shoot(page, f"step4-{lang}-{'js' if javascript else 'nojs'}-before")
    other = OTHER[lang]
    switch_language(page, other)
    assert urlsplit(page.url).path == f"/{other}/trials/{NCT}/prescreen/respondent"
    assert page.locator("html").get_attribute("dir") == ("rtl" if other == "ar" else "ltr")
    assert question_id(page) == "respondent" and counter(page) == (4, 18)
    shoot(page, f"step4-{other}-{'js' if javascript else 'nojs'}-after-switch")
    # The earlier answers came along: going back shows them chosen.
    page.locator("[data-prescreen-link]").first.click()
    page.wait_for_url(re.compile("/disease_status$"))
    assert page.locator("input[name=answer][value=relapsed]").is_checked()


@pytest.mark.parametrize("lang", ["es", "ar"])
def test_the_first_question_rules_out_and_the_total_never_changes(live_server, phone, app, lang):
    page = phone()
    page.goto(f"{live_server}/{lang}/trials/{NCT}/prescreen")
    assert question_id(page) == "age_years"
    shoot(page, f"first-question-{lang}")
    seen = []
    while page.locator("form[data-prescreen-step]").count():
        seen.append(counter(page))
        answer(page, ANSWERS[question_id(page)])
        assert len(seen) < 30
    assert seen == [(number, 18) for number in range(1, 19)]
    assert urlsplit(page.url).path == f"/{lang}/trials/{NCT}/prescreen/result"
    # The result is kept in the other language too.
    switch_language(page, OTHER[lang])
    fit = translate(app, OTHER[lang], "This study may fit")
    assert page.locator("#fit-title").inner_text() == fit
    shoot(page, f"result-{OTHER[lang]}-after-switch")


@pytest.mark.parametrize("lang", ["es", "ar"])
def test_a_35_year_old_learns_the_age_rule_at_once(live_server, phone, app, lang):
    page = phone()
    page.goto(f"{live_server}/{lang}/trials/{NCT}/prescreen")
    answer(page, 35)
    notice = page.locator(".prescreen-early")
    assert (
        translate(app, lang, "The study is for people aged 30 or younger.") in notice.inner_text()
    )
    box = notice.bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"]
    shoot(page, f"ruled-out-early-{lang}")
    notice.get_by_role("link").click()
    page.wait_for_url(re.compile("/prescreen/result$"))
    unlikely = translate(app, lang, "This study probably does not fit")
    assert page.locator("#fit-title").inner_text() == unlikely


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
@pytest.mark.parametrize("lang", ["es", "ar"])
def test_the_contact_form_keeps_what_was_typed_in_another_language(
    live_server, phone, lang, javascript
):
    page = phone(javascript)
    page.goto(f"{live_server}/{lang}/trials/{NCT}/contact")
    page.fill("#first_name", "Zuriñe")
    page.fill("#email", "zurine.family@example.com")
    page.fill("#message", "¿Puede participar mi hija Lucía? وعمرها تسع سنوات")
    page.check("input[name=respondent][value=child]")
    other = OTHER[lang]
    page.locator(".languages summary").click()
    shoot(page, f"contact-{lang}-{'js' if javascript else 'nojs'}-language-menu")
    page.locator(".languages summary").click()
    switch_language(page, other)
    assert urlsplit(page.url).path == f"/{other}/trials/{NCT}/contact"
    assert page.locator("html").get_attribute("lang") == other
    assert page.input_value("#first_name") == "Zuriñe"
    assert page.input_value("#email") == "zurine.family@example.com"
    assert "Lucía" in page.input_value("#message")
    assert page.locator("input[name=respondent][value=child]").is_checked()
    assert page.locator(".error-summary").count() == 0
    shoot(page, f"contact-{other}-{'js' if javascript else 'nojs'}-after-switch")


def test_the_contact_form_is_ticked_and_filled_from_the_questionnaire(live_server, phone):
    page = phone()
    page.goto(f"{live_server}/es/trials/{NCT}/prescreen")
    while page.locator("form[data-prescreen-step]").count():
        answer(page, ANSWERS[question_id(page)] if question_id(page) != "respondent" else "other")
    page.check("input[name=share]")
    page.locator("form.prescreen-share button[type=submit]").click()
    page.wait_for_url(re.compile("/contact$"))
    assert page.locator("input[name=share_prescreen]").is_checked()
    assert page.locator("input[name=respondent][value=other]").is_checked()


@pytest.mark.parametrize("lang", ["es", "ar"])
def test_few_trials_show_on_the_home_pages_first_screen(live_server, phone, lang):
    page = phone()
    page.goto(f"{live_server}/{lang}/")
    card = page.locator("main .trial-card a").first
    box = card.bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"]
    shoot(page, f"home-{lang}")


# Each line of a term's text: its start edge and the column's, in the page's direction.
TERM_LINES = """(e) => {
  e.parentElement.style.inlineSize = '9em';
  const rtl = getComputedStyle(e).direction === 'rtl';
  const range = document.createRange();
  range.selectNodeContents(e);
  const box = e.getBoundingClientRect(), column = e.parentElement.getBoundingClientRect();
  const start = (r) => Math.round(rtl ? box.right - r.right : r.left - box.left);
  const starts = [...range.getClientRects()].map(start);
  return {starts, inside: box.left >= column.left - 1 && box.right <= column.right + 1,
          whiteSpace: getComputedStyle(e).whiteSpace};
}"""


@pytest.mark.parametrize("lang", ["es", "ar"])
def test_glossary_terms_wrap_like_text(live_server, phone, lang):
    """A long term breaks between its words, each line starting where text starts, inside the
    column. (A <button>, which opens the explanation without JavaScript, stays one box in every
    browser: its lines wrap inside it rather than flowing on from the line before.)"""
    page = phone()
    page.goto(f"{live_server}/{lang}/trials/{NCT}/")
    term = page.locator("button.term").filter(has_text=re.compile(r"\S+\s+\S+\s+\S+")).first
    lines = term.evaluate(TERM_LINES)
    assert lines["whiteSpace"] == "normal" and lines["inside"]
    assert len(lines["starts"]) > 1 and set(lines["starts"]) == {0}, lines
    shoot(page, f"glossary-{lang}")
