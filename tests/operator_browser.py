"""Real Chromium through the operator's https site: run by .ci/operator (not a pytest module).

    python tests/operator_browser.py https://localhost:PORT MAILDIR

A family opens the trial page in es and ar (with its stylesheet) and sends the contact form; the
study team opens the link in the staff email that reached the SMTP server and presses
"contacted"; the family's email arrives. Exits non-zero, saying what failed.
"""

import mailbox
import re
import sys
import time
from email import message_from_bytes, policy

from playwright.sync_api import sync_playwright

NCT = "NCT06709469"
FAMILY = "zurine.family@example.com"  # the SMTP server is local: nothing leaves
STAFF = "ensayos.lapaz@hospital.test"  # .ci/operator writes it into the content's sites.yaml
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic"]


def say(text: str) -> None:
    print(f"operator: browser: {text}", flush=True)


def received(folder: str, to: str, count: int, seconds: float = 20.0) -> list:
    """Wait until `count` messages to `to` reached the SMTP server's Maildir; return them."""
    deadline = time.monotonic() + seconds
    while True:
        found = [
            message_from_bytes(message.as_bytes(), policy=policy.default)
            for message in mailbox.Maildir(folder, create=False)
        ]
        found = [message for message in found if to in (message["To"] or "")]
        if len(found) >= count or time.monotonic() > deadline:
            assert len(found) >= count, f"{len(found)} message(s) to {to}, wanted {count}"
            return found
        time.sleep(0.2)


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def check_trial_page(page, site: str, lang: str) -> None:
    styles = []
    page.on("response", lambda r: r.url.endswith(".css") and styles.append(r.status))
    response = page.goto(f"{site}/{lang}/trials/{NCT}/")
    assert response.status == 200, response.status
    assert styles and set(styles) == {200}, f"stylesheet answers: {styles}"
    direction = page.locator("html").get_attribute("dir")
    assert direction == ("rtl" if lang == "ar" else "ltr"), direction
    # The browser's default body margin is 8px and font Times: the stylesheet replaced them.
    font, margin = page.evaluate(
        "() => { const s = getComputedStyle(document.body); return [s.fontFamily, s.margin]; }"
    )
    assert "Times" not in font and margin != "8px", (font, margin)
    say(f"{lang} trial page over https, stylesheet applied ({font.split(',')[0]}, {direction})")


def send_contact_form(page, site: str) -> str:
    page.goto(f"{site}/es/trials/{NCT}/contact")
    page.fill("#first_name", "Zuriñe")
    page.fill("#last_name", "Etxeberria")
    page.fill("#email", FAMILY)
    page.check("#respondent-1")
    page.select_option("#country", "ES")
    page.fill("#postal_code", "28046")
    page.fill("#message", "Mi hija tiene 9 años y recayó en marzo. ¿Podría participar?")
    page.check("#consent")
    with page.expect_response(lambda answer: answer.request.method == "POST") as answer:
        page.click("form.contact button[type=submit]")
    if answer.value.status != 303:
        errors = page.locator("[role=alert]").all_inner_texts()
        raise AssertionError(f"the contact form answered {answer.value.status}: {errors}")
    page.wait_for_url(f"**/es/trials/{NCT}/contact/sent/TF-*")
    reference = page.locator(".reference-number").inner_text()
    say(f"contact form sent: {reference}")
    return reference


def main(site: str, folder: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        context = browser.new_context(ignore_https_errors=True)
        page = context.new_page()
        for lang in ("es", "ar"):
            check_trial_page(page, site, lang)
        reference = send_contact_form(page, site)
        (staff,) = received(folder, STAFF, 1)
        (confirmation,) = received(folder, FAMILY, 1)
        assert reference in staff["Subject"] + text_of(staff), staff["Subject"]
        say(f"SMTP server got the staff email and the confirmation: {confirmation['Subject']}")
        (link,) = set(
            re.findall(re.escape(site) + r"/[a-z]{2}/leads/[A-Za-z0-9_.\-]+", text_of(staff))
        )
        response = page.goto(link)
        assert response.status == 200 and response.headers["referrer-policy"] == "same-origin"
        with page.expect_response(lambda answer: answer.request.method == "POST") as answer:
            page.click("form:has(input[value=contacted]) button")
        assert answer.value.status == 303, f"'contacted' answered {answer.value.status}"
        sent = answer.value.request.all_headers()
        assert sent.get("origin") == site, sent.get("origin")
        page.wait_for_url(link)
        assert page.locator("input[value=contacted]").count() == 0
        say("staff link opened from the email, 'contacted' recorded (303, Origin sent)")
        (told,) = [
            message
            for message in received(folder, FAMILY, 2)
            if message["Message-ID"] != confirmation["Message-ID"]
        ]
        assert reference in told["Subject"], told["Subject"]
        say(f"the family's email arrived: {told['Subject']}")
        context.close()
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:3])
