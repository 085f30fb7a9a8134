"""Real Chromium: the map of sites reads well on a phone, in both directions, without script."""

import re
from urllib.parse import urlsplit

import pytest

from tests.conftest import NCT

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def inside(inner: dict, outer: dict) -> bool:
    return (
        inner["x"] >= outer["x"] - 0.5
        and inner["y"] >= outer["y"] - 0.5
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 0.5
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 0.5
    )


@pytest.mark.parametrize("lang", ["es", "ar"])
def test_map_labels_fit_and_axe_finds_nothing(live_server, browser, assert_accessible, lang):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))
    page.goto(f"{live_server}/{lang}/trials/{NCT}/?near=Coimbra&country=PT")
    svg = page.locator("#site-map svg")
    svg.scroll_into_view_if_needed()
    assert svg.is_visible()
    # Screen readers meet one picture named by a sentence that names the site and the place.
    assert page.get_by_role("img", name=re.compile("Madrid.*Coimbra")).count() == 1
    frame = svg.bounding_box()
    labels = page.locator("#site-map svg text")
    assert labels.count() == 2  # Coimbra and Madrid
    for n in range(labels.count()):
        assert inside(labels.nth(n).bounding_box(), frame), labels.nth(n).inner_html()
    madrid = page.locator("#site-map svg circle.site").bounding_box()
    centre, radius = madrid["x"] + madrid["width"] / 2, 4.5 * frame["width"] / 320
    label = page.locator("#site-map svg text.site-label")
    text = label.text_content()
    assert text.startswith("Madrid") and ("كم" if lang == "ar" else "km") in text
    # The label sits beside its point, not across it.
    box = label.bounding_box()
    assert box["x"] >= centre + radius or box["x"] + box["width"] <= centre - radius
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
    assert hosts <= {"127.0.0.1"}, f"requests left the site: {hosts}"
    context.close()


def test_distances_without_javascript(live_server, browser):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server}/pt/trials/{NCT}/")
    page.fill("#map-near", "Coimbra")
    page.select_option("#map-country", "PT")
    page.click("form.site-map-near button[type=submit]")
    assert "near=Coimbra" in page.url and page.url.endswith("#site-map")
    text = page.locator("#site-map svg text.site-label").text_content()
    assert text.startswith("Madrid") and "km" in text
    context.close()
