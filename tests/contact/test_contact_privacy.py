"""Privacy: no personal data in logs or on the confirmation page; honeypot; purging old leads."""

import logging
import re
from datetime import timedelta

from sqlalchemy import update

from tests.conftest import NCT
from tests.contact.test_contact_delivery import confirmation
from tests.contact_support import (
    EMAIL,
    FIRST,
    LAST,
    MESSAGE,
    leads,
    outbox_rows,
    post,
    reference_of,
)
from trialfinder.extensions import db
from trialfinder.leads.models import REFERENCE_ALPHABET, Lead
from trialfinder.outbox.models import OutboxMessage

PERSONAL = [FIRST, LAST, EMAIL, "612345678", "612 34 56 78", MESSAGE[:20], "zurine"]


def app_records(caplog) -> list[logging.LogRecord]:
    # aiosmtpd ("mail.log") is the test's own mail server, not the application: it logs envelopes.
    return [record for record in caplog.records if not record.name.startswith("mail.log")]


def test_a_full_contact_cycle_logs_no_personal_data(client, app, smtp, runner, caplog):
    with caplog.at_level(logging.DEBUG):
        client.get(f"/es/trials/{NCT}/contact")
        post(client, "es", first_name="")  # a failed attempt first
        reference = reference_of(post(client, "es"))
        confirmation(client, reference, "es")
        smtp.reject.add(EMAIL)
        reference_of(post(client, "es", first_name=FIRST + "2"))  # a rejected copy is logged
        runner.invoke(args=["outbox", "send"])
        runner.invoke(args=["outbox", "status"])
        post(client, "es", website="https://spam.example.com")
        runner.invoke(args=["leads", "purge", "--older-than", "0"])
    logged = "\n".join(record.getMessage() for record in app_records(caplog)).lower()
    assert reference.lower() in logged and "honeypot triggered" in logged  # logging did happen
    for value in PERSONAL:
        assert value.lower() not in logged, value


def test_the_confirmation_page_shows_no_personal_data(client, app, smtp):
    reference = reference_of(post(client, "en", city="Getafe"))
    stranger = app.test_client()  # anyone holding or guessing the reference
    page = confirmation(stranger, reference)
    assert reference in page and "Hospital Universitario La Paz" in page
    for value in [*PERSONAL, "28013", "Getafe", "+34"]:
        assert value not in page, value
    assert stranger.get(f"/en/trials/{NCT}/contact/sent/TF-AAAAAAAA").status_code == 404
    assert stranger.get(f"/en/trials/NCT99999999/contact/sent/{reference}").status_code == 404


def test_references_are_unambiguous_and_unique(client, app, smtp):
    references = {reference_of(post(client, "en")) for _ in range(20)}
    assert len(references) == 20
    for reference in references:
        assert re.fullmatch(f"TF-[{REFERENCE_ALPHABET}]{{8}}", reference)
        assert not set(reference[3:]) & set("01OIL2Z5S8B")


def test_a_filled_honeypot_looks_like_success_and_keeps_nothing(client, app, smtp, caplog):
    with caplog.at_level(logging.INFO):
        response = post(client, "en", website="https://spam.example.com")
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    assert page.status_code == 200 and "Your request was received." in page.get_data(as_text=True)
    assert leads(app) == [] and outbox_rows(app) == [] and smtp.messages == []
    (record,) = [r for r in app_records(caplog) if "honeypot" in r.getMessage()]
    assert FIRST not in record.getMessage() and "spam" not in record.getMessage()


def test_purge_deletes_old_leads_and_their_emails_only(client, app, smtp, runner):
    old, recent = (reference_of(post(client, "en")) for _ in range(2))
    with app.app_context():
        db.session.execute(
            update(Lead)
            .where(Lead.reference == old)
            .values(created_at=Lead.created_at - timedelta(days=40))
        )
        db.session.add(
            OutboxMessage(kind="alert", recipient="a@b.test", subject="s", body_text="b")
        )
        db.session.commit()
    result = runner.invoke(args=["leads", "purge", "--older-than", "30"])
    assert result.exit_code == 0
    assert "deleted 1 lead(s) and 2 email(s)" in result.output
    assert [lead.reference for lead in leads(app)] == [recent]
    remaining = outbox_rows(app)
    assert sorted(row.kind for row in remaining) == ["alert", "lead_confirmation", "lead_staff"]
    assert runner.invoke(args=["leads", "purge"]).exit_code != 0  # the age is required
