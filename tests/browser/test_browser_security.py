"""Real Chromium: hostile text sent through the contact form and the notes never runs, on any
page or in any email; and notes that the server cannot save stay in the browser."""

import json

import pytest
from playwright.sync_api import expect

from tests.conftest import NCT
from tests.contact_support import bodies
from tests.security_support import write_lock

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(app_config):
    # A write waits a tenth of a second for a lock held by the test, not 30.
    return app_config | {"DATABASE_TIMEOUT": 0.1}


# Each would open a dialog, or mark the page, if it ran.
PAYLOADS = [
    "<img src=x onerror=alert('img')>",
    '"><script>alert("script")</script>',
    "'><svg onload=alert('svg')>",
    "<a href=\"javascript:alert('href')\">link</a>",
    "</textarea><img src=x onerror=\"document.title='pwned'\">",
    "{{7*7}} ${7*7}",
]
# The site map is the page's own inline SVG (figure#site-map); any other SVG would be injected.
RUNNABLE = (
    "main script, main [onerror], main [onload], main svg:not(#site-map svg), main iframe, "
    "main a[href^=javascript]"
)


def assert_nothing_ran(page) -> None:
    assert page.locator(RUNNABLE).count() == 0
    assert "pwned" not in page.title()


def test_payloads_sent_through_the_contact_form_never_run(live_server, page, smtp, no_dialogs):
    page.goto(f"{live_server}/en/trials/{NCT}/contact")
    page.fill("#first_name", PAYLOADS[0])
    page.fill("#last_name", PAYLOADS[1])
    page.fill("#email", "family@example.com")
    page.fill("#city", PAYLOADS[2])
    page.fill("#postal_code", "28013")
    page.fill("#message", "\n".join(PAYLOADS))
    page.check("#respondent-1")
    with page.expect_navigation():  # no consent: the form comes back with every value in it
        page.click("form.contact button[type=submit]")
    assert page.input_value("#first_name") == PAYLOADS[0]
    assert page.input_value("#message") == "\n".join(PAYLOADS)
    assert_nothing_ran(page)
    page.check("#consent")
    page.click("form.contact button[type=submit]")
    page.wait_for_url(f"**/en/trials/{NCT}/contact/sent/TF-*")
    assert_nothing_ran(page)

    assert len(smtp.messages) == 2
    for message in smtp.messages:  # a mail app shows the HTML body: no CSP protects it there
        _text, html = bodies(message)
        page.set_content(html)
        assert page.locator("script, [onerror], [onload], svg, iframe").count() == 0
        # The staff read the name as typed; the family's copy holds nothing typed at all.
        staff = message["To"] != "family@example.com"
        assert (PAYLOADS[0] in page.inner_text("body")) is staff
        assert "pwned" not in page.title()


@pytest.fixture
def site(app, live_server):
    app.config["BASE_URL"] = live_server
    return live_server


def keep_notes(page, notes: list[dict]) -> None:
    """Put notes in the browser's storage, as the notes panel keeps them."""
    stored = [{"id": f"n{n}", **note} for n, note in enumerate(notes)]
    page.evaluate(
        "([key, value]) => localStorage.setItem(key, value)",
        [f"trialfinder.notes.{NCT}", json.dumps(stored)],
    )


def test_payloads_sent_as_notes_never_run_for_the_sender_or_the_recipient(
    site, browser, page, no_dialogs
):
    page.goto(f"{site}/en/trials/{NCT}/")
    keep_notes(page, [{"quote": payload, "text": payload} for payload in PAYLOADS])
    page.reload()
    page.locator(".notes-toggle").click()
    expect(page.locator(".notes-list li")).to_have_count(len(PAYLOADS))
    assert_nothing_ran(page)
    page.locator(".notes-send-button").click()
    expect(page.locator("#notes-passcode")).not_to_have_value("")
    link, passcode = page.input_value("#notes-link"), page.input_value("#notes-passcode")

    elsewhere = browser.new_context()
    try:
        recipient = elsewhere.new_page()
        recipient.on("dialog", lambda dialog: (no_dialogs.append(dialog.message), dialog.dismiss()))
        recipient.goto(link)
        recipient.fill("#passcode", PAYLOADS[0])  # a wrong passcode comes back on the page
        recipient.locator("main button[type=submit]").click()
        expect(recipient.locator("#passcode-error")).to_be_visible()
        recipient.fill("#passcode", passcode)
        recipient.locator("main button[type=submit]").click()
        expect(recipient.locator(".shared-note")).to_have_count(len(PAYLOADS))
        expect(recipient.locator(".shared-note").first).to_contain_text(PAYLOADS[0])
        assert_nothing_ran(recipient)
    finally:
        elsewhere.close()


def test_notes_the_server_cannot_save_stay_in_the_browser(app, site, page, no_dialogs):
    page.goto(f"{site}/en/trials/{NCT}/")
    keep_notes(page, [{"quote": "", "text": "Ask about school at the hospital"}])
    page.reload()
    page.locator(".notes-toggle").click()
    with write_lock(app):
        page.locator(".notes-send-button").click()
        expect(page.locator(".notes-error")).to_contain_text("was not saved")
    expect(page.locator(".notes-list li")).to_have_count(1)  # nothing lost: still here
    page.locator(".notes-send-button").click()  # the lock is gone: sending works
    expect(page.locator("#notes-passcode")).not_to_have_value("")
