"""Every email, family and staff, in every language: one layout, one button, directions kept.

The emails are rendered from a real request (posted through the contact form) and a real
trial; the browser tests open the HTML bodies in Chromium at 390x844, a phone's screen.
"""

import re
from email import message_from_bytes, policy
from email.utils import parseaddr

import pytest
from sqlalchemy import select

from tests.conftest import NCT, SHOTS, shoot, translate
from tests.contact_support import EMAIL, bodies, post, reference_of
from trialfinder.alerts.digest import digest_items
from trialfinder.alerts.matching import Match
from trialfinder.extensions import db
from trialfinder.leads import receiving as contact
from trialfinder.leads.links import lead_link, status_link
from trialfinder.leads.models import Lead
from trialfinder.lib.locales import LOCALES
from trialfinder.outbox.layout import LRI, PDI
from trialfinder.outbox.models import OutboxMessage
from trialfinder.outbox.services import render_email
from trialfinder.outbox.transport import build_message
from trialfinder.trials.models import Trial
from trialfinder.trials.services import trial_title

PHONE = "+351912345678"  # a Portuguese mobile: the "+" must stay in front in Arabic
LA_PAZ = "Hospital Universitario La Paz"
FAMILY = ("lead_confirmation", "lead_contacted")
STAFF = ("lead_staff", "lead_reminder", "lead_escalation")
ALERTS = ("alert_confirm", "alert_digest")
FALLBACK = "If the button does not work, copy this address into your browser:"
BUTTON = re.compile(r'<a class="tf-button" href="([^"]+)"')


def isolated(value: str) -> str:
    """Return how an HTML body shows a short left-to-right run: isolated, on one line."""
    return f'<bdi dir="ltr" style="white-space:nowrap">{value}</bdi>'


def spaced(text: str) -> str:
    """Read French typography's no-break spaces as spaces."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


def posted_lead(client, app) -> tuple[Lead, Trial]:
    """Send the contact form in Spanish with a phone number; return the stored lead and trial."""
    reference_of(post(client, "es", phone=PHONE))
    lead = db.session.scalar(select(Lead))
    return lead, db.session.get(Trial, lead.nct_id)


def contexts(lead: Lead, trial: Trial, lang: str) -> dict[str, tuple[dict, str | None]]:
    """Return, for each email, the context its sender passes and the URL of its one button."""
    lead_context = {
        "lead": lead,
        "trial": trial,
        "reference": lead.reference,
        "title": trial_title(trial, lang),
        "sender_name": contact.sender_name(trial, lead),
    }
    staff_url, status_url = lead_link(lead, lang), status_link(lead)
    confirm_url = f"http://127.0.0.1:5000/{lang}/alerts/confirm/" + "Ab1-_" * 24
    site = trial.recruiting_sites[0]
    items = digest_items([Match(trial, site, 12.4)], lang)
    result = {name: (lead_context | {"status_url": status_url}, status_url) for name in FAMILY}
    for name in STAFF:
        result[name] = (lead_context | {"lead_url": staff_url, "summary": None}, staff_url)
    result["alert_confirm"] = ({"confirm_url": confirm_url, "change": False}, confirm_url)
    unsubscribe = f"http://127.0.0.1:5000/{lang}/alerts/stop/xyz"
    result["alert_digest"] = ({"items": items, "first": True, "unsubscribe_url": unsubscribe}, None)
    return result


def rendered(app, client, lang: str) -> dict[str, tuple[str, str, str, str | None]]:
    """Render every email in a locale: name -> (subject, text, html, button URL)."""
    with app.app_context():
        lead, trial = posted_lead(client, app)
        out = {}
        for name, (context, url) in contexts(lead, trial, lang).items():
            out[name] = (*render_email(name, lang, **context), url)
        out["_reference"] = lead.reference
        return out


@pytest.mark.parametrize("lang", LOCALES)
def test_every_email_has_the_layout_one_button_and_a_text_part(app, client, smtp, lang):
    emails = rendered(app, client, lang)
    reference = emails.pop("_reference")
    direction = "rtl" if lang == "ar" else "ltr"
    for name, (subject, text, html, url) in emails.items():
        assert f'<html lang="{lang}" dir="{direction}">' in html, name
        assert 'class="tf-card"' in html and "max-width:600px" in html, name
        assert "\n" not in subject and PHONE not in subject and EMAIL not in subject
        buttons = BUTTON.findall(html)
        if url is None:  # the digest: one link per trial, no single action
            assert buttons == [], name
            continue
        assert buttons == [url], name
        assert f"\n{url}\n" in f"\n{text}\n", name  # the address alone on its own line
        assert spaced(translate(app, lang, FALLBACK)) in spaced(html), name
        if name in FAMILY + STAFF:
            assert reference in text and reference in html
            assert LA_PAZ in text and LA_PAZ in html  # the hospital, in the letterhead at least
    staff_text, staff_html = emails["lead_staff"][1:3]
    assert PHONE in staff_text and PHONE in staff_html
    for name in FAMILY + STAFF:
        text, html = emails[name][1:3]
        assert isolated(reference) in html, name
        in_isolates = f"{LRI}{reference}{PDI}" in text
        assert in_isolates == (lang == "ar"), (
            name
        )  # isolates only where the text runs right to left
    if lang == "ar":
        assert isolated(PHONE) in staff_html
        assert f"{LRI}{PHONE}{PDI}" in staff_text


def test_the_family_never_sees_the_phone_and_the_staff_see_it_isolated(app, client, smtp):
    emails = rendered(app, client, "ar")
    for name in FAMILY:
        assert PHONE not in emails[name][1] + emails[name][2]  # nothing typed, not even isolated


def test_the_sender_is_the_trial_and_hospital_with_the_address_of_the_setting(app, client, smtp):
    post(client, "ar", phone=PHONE)
    with app.app_context():
        acronym = db.session.get(Trial, NCT).acronym  # as the registry spells it
    setting = app.config["MAIL_DEFAULT_SENDER"]
    assert acronym and len(smtp.messages) == 2
    for message in smtp.messages:
        name, address = parseaddr(str(message["From"]))
        assert name == f"{acronym} · {LA_PAZ}" and address == parseaddr(setting)[1]
        assert "_sender_name" not in message  # the stored display name is not sent as a header


def test_a_non_ascii_display_name_is_encoded_and_lines_stay_short(app, client, smtp):
    with app.app_context():
        lead, trial = posted_lead(client, app)
        trial.acronym = "ReALL_CART, «niños» (Madrid)"  # a comma and quotes: formataddr quotes them
        for lang in ("es", "ar"):
            for name, (context, _url) in contexts(lead, trial, lang).items():
                subject, text, html = render_email(name, lang, **context)
                row = OutboxMessage(
                    kind=name,
                    recipient=EMAIL,
                    subject=subject,
                    body_text=text,
                    body_html=html,
                    headers={"_sender_name": contact.sender_name(trial, lead)},
                )
                raw = build_message(row, app.config["MAIL_DEFAULT_SENDER"], "x.test").as_bytes()
                assert max(len(line) for line in raw.split(b"\n")) <= 998, name
                header = raw.split(b"\nFrom: ", 1)[1].split(b"\nTo: ", 1)[0]
                assert header.isascii() and b"=?utf-8?" in header
                parsed = message_from_bytes(raw, policy=policy.default)
                assert parsed["From"].addresses[0].display_name == (
                    f"ReALL_CART, «niños» (Madrid) · {LA_PAZ}"
                )
                assert "_sender_name" not in parsed


def test_the_contact_form_delivers_both_emails_with_the_layout(app, client, smtp):
    reference = reference_of(post(client, "ar", phone=PHONE))
    (staff,) = smtp.to("lapaz-coordinator@example.org")
    (copy,) = smtp.to(EMAIL)
    staff_text, staff_html = (body.replace("\r\n", "\n") for body in bodies(staff))
    copy_text, copy_html = (body.replace("\r\n", "\n") for body in bodies(copy))
    assert '<html lang="es" dir="ltr">' in staff_html and 'class="tf-card"' in staff_html
    assert '<html lang="ar" dir="rtl">' in copy_html and 'class="tf-card"' in copy_html
    (staff_url,) = BUTTON.findall(staff_html)
    (status_url,) = BUTTON.findall(copy_html)
    assert "/es/leads/" in staff_url and f"\n{staff_url}\n" in staff_text
    assert "/ar/requests/" in status_url and f"\n{status_url}\n" in copy_text
    assert isolated(reference) in copy_html
    assert f"{LRI}{reference}{PDI}" in copy_text
    assert isolated(PHONE) in staff_html


# ---- Chromium at 390x844 -------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["es", "ar"])
def test_every_email_fits_a_phone_with_its_button_on_the_first_screen(
    app, client, smtp, browser, lang
):
    emails = rendered(app, client, lang)
    emails.pop("_reference")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    SHOTS.mkdir(exist_ok=True)
    try:
        for name, (_subject, _text, html, url) in emails.items():
            path = SHOTS / f"email-{name}-{lang}.html"  # kept beside its screenshot
            path.write_text(html, encoding="utf-8")
            page.goto(path.as_uri())
            shoot(page, f"email-{name}-{lang}.png", full_page=True)
            widths = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert widths[0] <= widths[1], f"{name} in {lang} scrolls sideways: {widths}"
            if url is None:
                continue
            button = page.locator("a.tf-button")
            assert button.count() == 1 and button.is_visible()
            box = button.bounding_box()
            assert box["y"] >= 0 and box["y"] + box["height"] <= 844, f"{name}: {box}"
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390, f"{name}: {box}"
            colour, background = button.evaluate(
                "a => [getComputedStyle(a).color,"
                " getComputedStyle(a.parentElement).backgroundColor]"
            )
            assert colour == "rgb(255, 255, 255)" and background == "rgb(11, 92, 173)"
            if lang == "ar":
                assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    finally:
        context.close()
