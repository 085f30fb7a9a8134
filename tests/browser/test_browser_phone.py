"""Real Chromium on a phone and a desktop: the trial page's first screen holds what a parent came
for, nothing pinned covers text, nothing scrolls sideways, targets are big enough to tap, axe finds
nothing in light or dark, and the page prints on A4 without its navigation.

`make screenshots` writes screenshots of the trial page to tests/screenshots/ (not committed) for
a person to look at."""

import json
import re

import pytest
from flask_babel import force_locale
from playwright.sync_api import expect

from tests.conftest import (
    COLOUR_RULES,
    NCT,
    ROOT,
    SCREENSHOTS,
    SHOTS,
    kept_page,
    shoot,
    translate,
)
from trialfinder.extensions import db
from trialfinder.lib.locales import LOCALES
from trialfinder.trials.facts import age_limit
from trialfinder.trials.models import Trial
from trialfinder.web.typography import space_text

pytestmark = pytest.mark.browser

SIZES = {"phone": (390, 844), "desktop": (1280, 800)}
TRIAL = f"/{{lang}}/trials/{NCT}/"
PAGES = ["/{lang}/", TRIAL, f"/{{lang}}/trials/{NCT}/faq", f"/{{lang}}/trials/{NCT}/prescreen"]
CONTACT = f"/{{lang}}/trials/{NCT}/contact"
EVERY_KIND = [*PAGES, CONTACT, "/{lang}/alerts", "/{lang}/privacy", "/{lang}/trials/NCT00000000/"]
# The rest of a family's way, after the trial page: each one's first screen, and what it opens on.
JOURNEY = {
    "home": ("/{lang}/", "main .trial-card a"),  # a site with few trials lists them first
    "faq": (f"/{{lang}}/trials/{NCT}/faq", "main a[href^='#faq-']"),  # the list of questions
    "prescreen": (f"/{{lang}}/trials/{NCT}/prescreen", "main form .prescreen-question"),
    "contact": (CONTACT, "main form input:not([type=hidden])"),
}
RECORD = json.loads((ROOT / "content" / "trials" / NCT / "record.json").read_text("utf-8"))

# Every rectangle of visible text that an element with position fixed or sticky overlaps, at each
# scroll position from the top of the page to its end.
COVERED_TEXT = """() => {
  const pinned = [...document.querySelectorAll("body *")].filter((element) => {
    const position = getComputedStyle(element).position;
    return (position === "fixed" || position === "sticky") && element.getClientRects().length;
  });
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.textContent.trim() && !pinned.some((element) => element.contains(node))) {
      texts.push(node);
    }
  }
  const covered = [];
  const range = document.createRange();
  const end = document.documentElement.scrollHeight;
  for (let y = 0; y <= end; y += Math.max(1, window.innerHeight / 2)) {
    window.scrollTo(0, y);
    for (const element of pinned) {
      const box = element.getBoundingClientRect();
      for (const node of texts) {
        range.selectNodeContents(node);
        for (const line of range.getClientRects()) {
          if (line.width && line.left < box.right && line.right > box.left
              && line.top < box.bottom && line.bottom > box.top) {
            covered.push(element.className + " covers " + JSON.stringify(node.textContent.trim()));
          }
        }
      }
    }
  }
  window.scrollTo(0, 0);
  return [...new Set(covered)];
}"""

# Controls (with their labels) smaller than 44 x 44 CSS pixels. Links inside a sentence are
# exempt, as WCAG 2.5.5 exempts inline targets.
SMALL_TARGETS = """() => {
  const small = [];
  for (const element of document.querySelectorAll("a, button, summary, select, input, textarea")) {
    // A box or a radio button is tapped through its label as well.
    const box = (element.closest("label") || element).getBoundingClientRect();
    if (!box.width || !box.height || element.closest("[hidden], .honeypot")) {
      continue;
    }
    const block = element.parentElement.closest("p, li, dd, td");
    const inSentence = element.matches("button.term")
      || (block && block.textContent.trim() !== element.textContent.trim());
    if (!inSentence && (box.width < 44 || box.height < 44)) {
      small.push(`${element.tagName} ${JSON.stringify(element.textContent.trim())}: `
        + `${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return small;
}"""

SIDEWAYS = "document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def open_page(kept_pages, browser, live_server):
    """Open a path at a given size and colour scheme, in a page with no cookies."""

    def open_(path, width, height, scheme="light", javascript=True):
        page = kept_page(kept_pages, browser, javascript)
        page.set_viewport_size({"width": width, "height": height})
        page.emulate_media(media="screen", color_scheme=scheme)
        response = page.goto(live_server + path)
        assert response.status == 200, path
        return page

    return open_


def inside_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    return (
        box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= width
        and (box["y"] + box["height"] <= height)
    )


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["es", "ar"])
def test_first_screen_holds_the_facts_and_both_actions(app, open_page, lang, size):
    width, height = SIZES[size]
    page = open_page(TRIAL.format(lang=lang), width, height)
    shoot(page, f"trial-{lang}-{width}x{height}.png")
    intro = page.locator(".trial-intro")
    facts = intro.locator("dl.facts dd")
    status = translate(app, lang, "Recruiting: looking for participants")
    with app.test_request_context(), force_locale(lang):  # in the record's unit, plural-aware
        ages = age_limit(db.session.get(Trial, NCT))
    assert RECORD["protocolSection"]["statusModule"]["overallStatus"] == "RECRUITING"
    assert RECORD["protocolSection"]["eligibilityModule"]["maximumAge"] == "30 Years"
    expect(facts.nth(0)).to_have_text(status)
    expect(facts.nth(1)).to_have_text(ages)
    expect(facts.nth(2)).to_contain_text("Madrid")
    fit = intro.get_by_role("link", name=translate(app, lang, "Check if it may fit"))
    contact = intro.get_by_role("link", name=translate(app, lang, "Contact the study team"))
    assert fit.get_attribute("href").endswith(f"/{lang}/trials/{NCT}/prescreen")
    assert contact.get_attribute("href").endswith(f"/{lang}/trials/{NCT}/contact")
    shown = [page.locator("h1"), intro.locator(".lede"), *(facts.nth(i) for i in range(3))]
    for element in [*shown, fit, contact]:
        assert inside_viewport(page, element), element
    assert page.evaluate("window.scrollY") == 0


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["es", "ar"])
@pytest.mark.parametrize("step", JOURNEY)
def test_each_later_page_opens_on_its_heading_and_first_question(open_page, step, lang, size):
    """Screenshots of the journey's other pages, and their heading and first control in view."""
    width, height = SIZES[size]
    path, first = JOURNEY[step]
    page = open_page(path.format(lang=lang), width, height)
    shoot(page, f"{step}-{lang}-{width}x{height}.png")
    assert inside_viewport(page, page.locator("h1")), step
    assert inside_viewport(page, page.locator(first).first), step
    assert page.evaluate(COVERED_TEXT) == [], step


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["es", "ar"])
def test_nothing_pinned_covers_text_and_the_notes_open_in_the_flow(open_page, lang, size):
    page = open_page(TRIAL.format(lang=lang), *SIZES[size])
    assert page.evaluate(COVERED_TEXT) == []
    toggle = page.locator(".notes-toggle")
    toggle.click()
    panel = page.locator(".notes-panel")
    expect(panel).to_be_visible()
    assert panel.bounding_box()["y"] >= toggle.bounding_box()["y"] + toggle.bounding_box()["height"]
    below = page.locator(".toc").bounding_box()
    box = panel.bounding_box()
    assert below["y"] >= box["y"] + box["height"], "the panel must push the text down"
    assert page.evaluate(COVERED_TEXT) == []
    # The check itself sees a pinned box over text (styled by script: the CSP refuses inline style).
    page.evaluate(
        """() => {
          const box = document.body.appendChild(document.createElement("div"));
          Object.assign(box.style, {position: "fixed", inset: "0 0 auto 0", height: "20rem"});
        }"""
    )
    assert page.evaluate(COVERED_TEXT)


@pytest.mark.parametrize("lang", LOCALES)
def test_nothing_scrolls_sideways_at_320_pixels(live_server, open_page, lang):
    page = open_page(PAGES[0].format(lang=lang), 320, 640)
    for path in (path.format(lang=lang) for path in EVERY_KIND):
        page.goto(live_server + path)
        page.locator(".languages summary").click()  # the open language list fits too
        assert page.evaluate(SIDEWAYS) <= 0, path
    if SCREENSHOTS:
        page.goto(live_server + TRIAL.format(lang=lang))
        shoot(page, f"trial-{lang}-320-full.png", full_page=True)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["es", "ar"])
def test_no_sideways_scroll_and_targets_can_be_tapped(live_server, open_page, lang, size):
    page = open_page(PAGES[0].format(lang=lang), *SIZES[size])
    for path in (path.format(lang=lang) for path in EVERY_KIND):
        page.goto(live_server + path)
        page.locator(".languages summary").click()
        page.locator("details:not([open]) > summary").evaluate_all(
            "summaries => summaries.forEach(summary => summary.click())"
        )
        assert page.evaluate(SIDEWAYS) <= 0, path
        assert page.evaluate(SMALL_TARGETS) == [], path


def test_small_targets_are_found(open_page):
    page = open_page(TRIAL.format(lang="en"), 390, 844)
    page.evaluate("document.querySelector('.brand').style.minBlockSize = '20px'")
    assert any("trialfinder" in target for target in page.evaluate(SMALL_TARGETS))


def test_the_language_switcher_fits_one_line_and_works_without_javascript(app, open_page):
    page = open_page(TRIAL.format(lang="fr"), 320, 640, javascript=False)
    brand, summary = page.locator(".brand"), page.locator(".languages summary")
    assert abs(brand.bounding_box()["y"] - summary.bounding_box()["y"]) < 2, "one line"
    assert page.locator(".site-header").bounding_box()["height"] <= 48
    # French pages put a narrow no-break space before the colon (trialfinder.web.typography).
    name = space_text(translate(app, "fr", "Language") + ": Français")
    expect(summary).to_have_accessible_name(name)
    summary.click()
    names = page.locator(".languages a")
    expect(names).to_have_text(
        ["Español", "English", "Català", "Français", "Português", "Română", "العربية"]
    )
    page.locator(".languages a[lang=ro]").click()
    assert page.url.endswith(f"/ro/trials/{NCT}/")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["es", "ar"])
def test_axe_finds_nothing_in_light_and_dark(
    live_server, open_page, assert_accessible, lang, size, scheme
):
    page = open_page(TRIAL.format(lang=lang), *SIZES[size], scheme=scheme)
    page.locator("details:not([open]) > summary").evaluate_all(
        "summaries => summaries.forEach(summary => summary.click())"
    )
    # The dark scheme changes colours only (see the test below): its pages, the same in all
    # else, are checked for what colours decide; the light scheme for every rule.
    rules = COLOUR_RULES if scheme == "dark" else None
    assert_accessible(page, rules)
    if size == "phone":
        for path in (path for path in EVERY_KIND if path != TRIAL):
            page.goto(live_server + path.format(lang=lang))
            assert_accessible(page, rules)
    if scheme == "dark":
        paper = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert paper != "rgb(255, 255, 255)", "the dark scheme is applied"


def test_the_dark_scheme_changes_colour_tokens_only():
    """What the light and dark pages share (layout, sizes, names) is checked once, in light."""
    blocks = []
    for sheet in (ROOT / "static" / "css").glob("*.css"):
        css = re.sub(r"/\*.*?\*/", "", sheet.read_text("utf-8"), flags=re.S)
        for found in re.finditer(r"@media[^{]*prefers-color-scheme[^{]*\{(.*?\})\s*\}", css, re.S):
            blocks.append(found.group(1))
    assert blocks, "the dark scheme is where this test looks for it"
    for block in blocks:
        assert re.fullmatch(r"\s*:root\s*\{[^{}]*\}\s*", block), block
        names = re.findall(r"([-\w]+)\s*:", block.split("{", 1)[1])
        assert names and all(n.startswith("--color-") or n == "color-scheme" for n in names), names


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_trial_prints_on_a4_without_navigation(open_page, lang):
    page = open_page(TRIAL.format(lang=lang), 794, 1123)  # A4 at 96 pixels per inch
    page.emulate_media(media="print")
    for hidden in (".site-header", ".site-footer", ".trial-nav", ".toc", ".actions", ".notes"):
        for element in page.locator(hidden).all():
            expect(element).to_be_hidden()
    expect(page.locator("#summary button.term").first).to_be_visible()  # words stay in sentences
    criteria = page.locator("#who-can-join details.official .registry-text")
    expect(criteria).to_be_visible()
    expect(criteria).to_contain_text("Inclusion Criteria")
    expect(page.locator("#glossary dl.glossary")).to_be_visible()
    expect(page.locator("#official .official")).to_be_visible()
    expect(page.locator("#contact .sites")).to_contain_text("Hospital Universitario La Paz")
    assert page.evaluate(SIDEWAYS) <= 0
    if SCREENSHOTS:  # the printed page, for a person to look at
        SHOTS.mkdir(exist_ok=True)
        page.pdf(path=SHOTS / f"trial-{lang}-A4.pdf", format="A4")
