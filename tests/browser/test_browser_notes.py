"""Real Chromium: select a passage, note it, send it, and read it elsewhere with the passcode."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import NCT

pytestmark = pytest.mark.browser

NOTE = "Ask whether we can stay nearby <img src=x onerror=alert(1)>"


@pytest.fixture
def app_config(app_config):
    """CSRF on, as in production: the page has no token, the panel asks /api/v1/csrf for one."""
    return app_config | {"WTF_CSRF_ENABLED": True}


@pytest.fixture
def site(app, live_server):
    """The live server, with links made for it rather than for BASE_URL's default."""
    app.config["BASE_URL"] = live_server
    return live_server


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_note_on_a_passage_reaches_the_recipient(
    site, browser, page, assert_accessible, no_dialogs, lang
):
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(f"{site}/{lang}/trials/{NCT}/")
    assert page.context.cookies() == []  # a reading page sets no cookie
    paragraph = page.locator("#summary p").first
    paragraph.click(click_count=3)  # a triple click selects the paragraph, as a reader would
    passage = words(paragraph.inner_text())
    assert f"{site}/api/v1/csrf" not in asked  # nothing asked until the panel opens
    page.locator(".notes-add-selection").click()
    expect(page.locator(".notes-editor blockquote")).to_have_text(passage)
    expect(page.locator("#notes-text")).to_be_focused()
    page.locator("#notes-text").fill(NOTE)
    page.locator(".notes-editor button[type=submit]").click()

    item = page.locator(".notes-list li")
    expect(item).to_have_count(1)
    expect(item.locator("blockquote")).to_have_text(passage)
    expect(item.locator(".notes-item-text")).to_have_text(NOTE)
    expect(page.locator(".notes-toggle")).to_have_attribute("aria-expanded", "true")
    assert_accessible(page)

    page.locator(".notes-send-button").click()
    expect(page.locator("#notes-link")).to_have_value(re.compile(rf"^{site}/{lang}/notes/"))
    link = page.locator("#notes-link").input_value()
    passcode = page.locator("#notes-passcode").input_value()
    expect(page.locator(".notes-valid")).to_contain_text("7")
    assert_accessible(page)

    elsewhere = browser.new_context()
    try:
        recipient = elsewhere.new_page()
        recipient.on("dialog", lambda dialog: no_dialogs.append(dialog.message))
        recipient.goto(link)
        assert recipient.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
        assert_accessible(recipient)
        recipient.locator("#passcode").fill(passcode)
        recipient.locator("main button[type=submit]").click()
        note = recipient.locator(".shared-note")
        expect(note.locator("blockquote")).to_have_text(passage)
        expect(note.locator(".shared-text")).to_contain_text(NOTE)
        assert recipient.locator("main img").count() == 0
        assert_accessible(recipient)
    finally:
        elsewhere.close()


def test_the_notes_panel_works_with_the_keyboard_alone(site, page, no_dialogs):
    page.goto(f"{site}/en/trials/{NCT}/faq")
    toggle = page.locator(".notes-toggle")
    expect(toggle).to_have_text("Notes: 0")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#notes-title")).to_be_focused()
    page.keyboard.press("Tab")  # nothing is selected: the passage button is hidden, skipped
    expect(page.locator(".notes-add-plain")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#notes-text")).to_be_focused()
    page.keyboard.type("Is there a school at the hospital?")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator(".notes-status")).to_have_text("Note saved.")
    edit = page.get_by_role("button", name="Edit note 1")
    expect(edit).to_be_focused()
    expect(toggle).to_have_text("Notes: 1")

    page.reload()  # kept in this browser, not on the server
    page.locator(".notes-toggle").focus()
    page.keyboard.press("Enter")
    edit = page.get_by_role("button", name="Edit note 1")
    edit.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#notes-text")).to_have_value("Is there a school at the hospital?")
    page.keyboard.press("End")
    page.keyboard.type(" And for siblings?")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator(".notes-item-text")).to_have_text(
        "Is there a school at the hospital? And for siblings?"
    )

    page.get_by_role("button", name="Delete note 1").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".notes-status")).to_have_text("Note deleted.")
    expect(page.locator(".notes-list li")).to_have_count(0)
    expect(page.locator(".notes-empty")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator(".notes-panel")).to_be_hidden()
    expect(page.locator(".notes-toggle")).to_be_focused()
    assert page.evaluate("localStorage.getItem('trialfinder.notes.NCT06709469')") == "[]"


def test_a_selection_outside_the_page_text_offers_nothing(site, page, no_dialogs):
    page.goto(f"{site}/en/trials/{NCT}/")
    page.locator(".site-footer p").click(click_count=3)
    page.locator(".notes-toggle").click()
    expect(page.locator(".notes-add-selection")).to_be_hidden()
    expect(page.locator(".notes-add-quote")).to_be_hidden()
    page.locator("#summary p").first.click(click_count=3)
    expect(page.locator(".notes-add-selection")).to_be_visible()
    expect(page.locator(".notes-add-quote")).to_be_visible()


def test_copy_buttons_put_the_link_and_passcode_on_the_clipboard(site, browser):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        page.goto(f"{site}/en/trials/{NCT}/")
        page.locator(".notes-toggle").click()
        page.locator(".notes-add-plain").click()
        page.locator("#notes-text").fill("Bring the last blood test")
        page.locator(".notes-editor button[type=submit]").click()
        page.locator(".notes-send-button").click()
        expect(page.locator("#notes-passcode")).not_to_have_value("")
        page.get_by_role("button", name="Copy the passcode").click()
        expect(page.locator(".notes-status")).to_have_text("Passcode copied.")
        clipboard = page.evaluate("navigator.clipboard.readText()")
        assert clipboard == page.locator("#notes-passcode").input_value()
        page.get_by_role("button", name="Copy the link", exact=True).click()
        expect(page.locator(".notes-status")).to_have_text("Link copied.")
        link = page.evaluate("navigator.clipboard.readText()")
        assert link.startswith(f"{site}/en/notes/")
        page.get_by_role("button", name="Copy the link to delete the notes").click()
        revoke = page.evaluate("navigator.clipboard.readText()")
        assert revoke.startswith(link + "/revoke/")  # the creator's own, shown beside the link
        page.goto(revoke)
        with page.expect_navigation():
            page.get_by_role("button", name="Delete the notes").click()
        assert page.locator("[role=status]").is_visible()
        assert page.goto(link).status == 404
    finally:
        context.close()


def test_without_javascript_the_feature_is_absent(site, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{site}/en/trials/{NCT}/")
        page.locator("#summary p").first.click(click_count=3)
        assert page.get_by_role("button", name=re.compile("note", re.I)).count() == 0
        assert page.get_by_role("complementary").count() == 0
        advice = page.locator("main .notes-noscript")
        expect(advice).to_be_visible()
        expect(advice).to_contain_text("turn on JavaScript")
    finally:
        context.close()
