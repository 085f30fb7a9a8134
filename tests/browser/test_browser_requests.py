"""Real Chromium on a phone (390 x 844): a family opens the status link from its email.

`make screenshots` writes screenshots to tests/screenshots/ (not committed) for a person to
look at."""

import pytest

from tests.conftest import shoot, translate
from tests.contact.test_contact_delivery import LA_PAZ
from tests.contact_support import EMAIL, FIRST, post, reference_of
from tests.leads_support import link_in
from tests.requests.test_requests_status import status_path

pytestmark = pytest.mark.browser
SIDEWAYS = "document.documentElement.scrollWidth - window.innerWidth"


@pytest.mark.parametrize("lang", ["es", "ar"])
def test_the_status_page_reads_on_a_phone(
    app, client, smtp, browser, live_server, assert_accessible, lang
):
    reference = reference_of(post(client, lang))
    path = status_path(smtp.to(EMAIL)[0])
    client.post(link_in(smtp.to(LA_PAZ)[0]), data={"action": "contacted"})
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        response = page.goto(live_server + path)
        assert response.status == 200 and response.headers["cache-control"] == "no-store"
        shoot(page, f"request-status-{lang}-390x844.png", full_page=True)
        html = page.locator("html")
        assert html.get_attribute("lang") == lang
        assert html.get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
        label = page.locator(".state-label")
        assert label.inner_text().strip() == translate(app, lang, "The study team has it")
        box = label.bounding_box()
        assert box["y"] + box["height"] <= 844  # the answer is on the first screen
        assert page.locator(".reference-number").inner_text() == reference
        assert page.locator("a.team-email").get_attribute("href") == f"mailto:{LA_PAZ}"
        assert page.evaluate(SIDEWAYS) <= 0
        assert FIRST not in page.content()
        assert_accessible(page)
    finally:
        context.close()
