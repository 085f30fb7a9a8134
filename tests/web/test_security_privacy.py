"""Privacy: no personal data in any log, access logs included; the privacy page says what is
kept, for how long, and whom to ask, in every locale.

Questionnaire answers live in the visitor's session; the database holds them only inside a lead
whose sender ticked "share". Deleting old leads and their emails (`leads purge --older-than
DAYS`) is tested by test_contact_privacy.py::test_purge_deletes_old_leads_and_their_emails_only;
expired notes by test_notes_views.py; unconfirmed alert sign-ups by test_alerts_cycle.py.
"""

import json
import logging
import re
import sqlite3
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

import pytest
from sqlalchemy import select, text

from tests.alerts.test_alerts_signup import form_data as alert_form
from tests.conftest import CONTROLLER, DPO_EMAIL, NCT
from tests.contact_support import form_data, post, reference_of
from tests.prescreen.test_prescreen_engine import passing_answers
from tests.prescreen.test_prescreen_pages import walk
from trialfinder.extensions import db
from trialfinder.leads.models import Lead
from trialfinder.lib.locales import LOCALES

FIRST, LAST = "Itziar", "Oyarzabal-Queirós"
EMAIL, ALERT_EMAIL = "itziar.family@example.com", "grandad.oyarzabal@example.org"
PHONE, E164 = "699 87 65 43", "+34699876543"
POSTAL, ALERT_POSTAL = "28013", "08029"
MESSAGE = "Mi hijo Unai tiene 11 años y ha recaído"
NOTE = "Preguntar por el colegio de Unai en el hospital"


def call(base: str, path: str, data: dict | None = None, json_body: object = None) -> str:
    """Send a request to the live server like a browser would; return the page."""
    body, headers = None, {"Accept-Language": "es"}
    if data is not None:
        body = urlencode(data, doseq=True).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if json_body is not None:
        body, headers["Content-Type"] = json.dumps(json_body).encode(), "application/json"
    with urlopen(Request(base + path, data=body, headers=headers), timeout=30) as response:
        return response.read().decode()


def app_records(caplog) -> list[logging.LogRecord]:
    # aiosmtpd ("mail.log") is the test's own mail server, not the application.
    return [record for record in caplog.records if not record.name.startswith("mail.log")]


def test_a_contact_alert_and_notes_cycle_logs_no_personal_data(
    app, live_server, smtp, runner, caplog
):
    contact = f"/es/trials/{NCT}/contact"
    person = {"first_name": FIRST, "last_name": LAST, "email": EMAIL, "phone": PHONE}
    person |= {"postal_code": POSTAL, "message": MESSAGE}
    with caplog.at_level(logging.DEBUG):
        call(live_server, contact)
        call(live_server, contact, form_data(**person, consent=None))  # refused first
        call(live_server, contact, form_data(**person))
        call(live_server, "/es/alerts", alert_form(email=ALERT_EMAIL, postal_code=ALERT_POSTAL))
        mail = smtp.to(ALERT_EMAIL)[0].get_body(("plain",)).get_content()
        confirm = re.search(r"http://[^/]+(/\w+/alerts/confirm/\S+)", mail)
        call(live_server, confirm.group(1))  # the page with the button
        call(live_server, confirm.group(1), {})  # the button: confirms
        shared = json.loads(
            call(
                live_server,
                "/api/v1/notes",
                json_body={"trial": NCT, "lang": "es", "notes": [{"quote": "", "text": NOTE}]},
            )
        )
        path, passcode = urlsplit(shared["url"]).path, shared["passcode"]
        call(live_server, path, {"passcode": passcode})
        for command in (["outbox", "send"], ["outbox", "status"], ["alerts", "send"]):
            runner.invoke(args=command)
    records = app_records(caplog)
    logged = "\n".join(record.getMessage() for record in records)
    assert "werkzeug" in {record.name for record in records}  # access lines were captured
    assert contact in logged and "lead" in logged and "confirmed" in logged
    secrets = [FIRST, LAST, EMAIL, ALERT_EMAIL, PHONE, E164, "699876543", MESSAGE[:15], NOTE[:15]]
    secrets += ["itziar", "oyarzabal", passcode, passcode.replace("-", "")]
    for value in secrets:
        assert value.lower() not in logged.lower(), value
    for code in (POSTAL, ALERT_POSTAL):
        assert not re.search(rf"\b{code}\b", logged), code


RETENTION = {
    "es": ("6 meses", "7 días"),
    "en": ("6 months", "7 days"),
    "ca": ("6 mesos", "7 dies"),
    "fr": ("6 mois", "7 jours"),
    "pt": ("6 meses", "7 dias"),
    "ro": ("6 luni", "7 zile"),
    "ar": ("6 أشهر", "7 أيام"),
}


@pytest.mark.parametrize("lang", LOCALES)
def test_the_privacy_page_says_what_is_kept_how_long_and_whom_to_ask(client, lang):
    page = client.get(f"/{lang}/privacy").get_data(as_text=True)
    requests, notes = RETENTION[lang]
    assert requests in page and notes in page  # leads, then shared notes
    assert CONTROLLER in page and DPO_EMAIL in page  # who answers requests to see or delete data
    assert "Agencia Española de Protección de Datos" in page
    assert page.count("<li>") >= 6  # the list of what a contact request keeps


def test_every_locale_is_covered():
    assert set(RETENTION) == set(LOCALES)


def test_a_database_error_logs_no_value_of_the_statement(make_app, caplog):
    app = make_app()
    statement = "INSERT INTO lead (reference, first_name) VALUES (:reference, :name)"
    values = {"reference": "TF-LOGGED", "name": FIRST}  # not on a line the traceback shows

    @app.get("/test-only/db-error")
    def failing_insert():
        # A NOT NULL column left out: the database refuses, quoting the statement.
        db.session.execute(text(statement), values)
        return "unreachable"

    try:
        with caplog.at_level(logging.DEBUG):
            response = app.test_client().get("/test-only/db-error")
    finally:
        with app.app_context():
            db.engine.dispose()
    assert response.status_code == 500
    assert "IntegrityError" in caplog.text and "INSERT INTO lead" in caplog.text
    assert FIRST not in caplog.text and "TF-LOGGED" not in caplog.text


def lead_answers(app) -> list:
    with app.app_context():
        return [row.prescreen for row in db.session.scalars(select(Lead))]


def database_dump(app) -> str:
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        tables = connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        names = [row[0] for row in tables if row[0] not in ("trial", "site")]
        return " ".join(
            str(connection.execute(f'SELECT * FROM "{name}"').fetchall()) for name in names
        )


def test_questionnaire_answers_are_stored_only_when_shared_with_a_lead(app, client, smtp):
    answers = passing_answers() | {"daily_activity": "mostly_active"}
    walk(client, answers)
    assert client.get(f"/en/trials/{NCT}/prescreen/summary").status_code == 200
    assert client.post(f"/en/trials/{NCT}/prescreen/result", data={}).status_code == 302
    reference_of(post(client, "en"))  # a contact request, answers not shared
    assert lead_answers(app) == [None]
    assert "mostly_active" not in database_dump(app) and "b_all" not in database_dump(app)

    assert client.post(f"/en/trials/{NCT}/prescreen/result", data={"share": "y"}).status_code == 302
    reference_of(post(client, "en", share_prescreen="y"))
    shared = lead_answers(app)[1]
    assert shared["daily_activity"] == "mostly_active" and shared["diagnosis"] == "b_all"
