"""Real Chromium in es and ar on a real completed observational record: the first screen says
the study type and that healthy volunteers can take part, the FAQ has no treatment answer and
no invitation to join, the registry's criteria read as a list. Screenshots go to
tests/screenshots/ (not committed) for a person to look at."""

import pytest

from tests.conftest import ROOT, shoot, translate

pytestmark = pytest.mark.browser

RECORDS = ROOT / "tests" / "data" / "records"
OBSERVATIONAL = "NCT05594173"  # completed, observational, healthy volunteers, 20 took part
ESCAPED = "NCT06131398"  # criteria with Markdown escapes and nested lists


@pytest.fixture
def imported(runner):
    for nct_id in (OBSERVATIONAL, ESCAPED):
        result = runner.invoke(args=["trials", "import", str(RECORDS / f"{nct_id}.json")])
        assert result.exit_code == 0, result.output


@pytest.mark.parametrize("lang", ["es", "ar"])
def test_key_facts_and_faq_of_a_completed_observational_study(
    app, live_server, browser, imported, assert_accessible, lang
):
    from trialfinder.trials import faq

    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server}/{lang}/trials/{OBSERVATIONAL}/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    facts = page.locator("dl.facts-key")
    said = facts.inner_text()
    assert translate(app, lang, "Type of study") in said
    observational = "Observational: it watches and records, it gives no study treatment"
    assert translate(app, lang, observational) in said
    assert translate(app, lang, "Can take part") in said
    assert facts.bounding_box()["y"] < 844, "the facts are on the phone's first screen"
    shoot(page, f"facts-observational-{lang}.png")
    assert_accessible(page)

    page.goto(f"{live_server}/{lang}/trials/{OBSERVATIONAL}/faq")
    texts = {entry["id"]: entry for entry in faq.load_generic(ROOT / "content", lang).faq}
    headings = page.locator("main h2").all_inner_texts()
    assert texts["can_i_take_part"]["question_completed"] in headings
    assert texts["what_is_trial"]["question_observational"] in headings
    for gone in ("new_treatment", "phases", "how_to_take_part", "is_it_free"):
        assert texts[gone]["question"] not in headings
    body = page.locator("main").inner_text()
    took_part = texts["can_i_take_part"]["facts"]["enrolment_actual"]
    assert took_part.replace("{enrolment_actual}", "20") in body
    shoot(page, f"faq-observational-{lang}.png", full_page=True)
    assert_accessible(page)
    context.close()


def test_registry_criteria_show_as_lists_not_markup(live_server, page, imported):
    page.goto(f"{live_server}/es/trials/{ESCAPED}/")
    page.locator("#who-can-join details.official summary").click()
    criteria = page.locator("#who-can-join details.official .registry-text")
    assert criteria.locator("ul > li").count() >= 5
    assert criteria.locator("ul ul > li").count() >= 2  # nested items stay under their item
    text = criteria.inner_text()
    assert "\\>" not in text and "\\[" not in text and "> 3 months" in text
    shoot(criteria, "criteria-escaped-es.png")
