"""Health data minimised: delivered bodies dropped, deleted text gone from the SQLite file."""

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from tests.alerts.test_alerts_cycle import sign_up
from tests.conftest import NCT
from tests.contact_support import EMAIL, FIRST, LAST, MESSAGE, outbox_rows, post, reference_of
from trialfinder.database import _sqlite_pragmas
from trialfinder.extensions import db

NOTE = {"quote": "The leukaemia has come back", "text": "Ask how often we would travel"}
DISTINCTIVE = [MESSAGE[-30:], LAST, FIRST]


def database_bytes(app) -> bytes:
    """Return the SQLite file and its write-ahead log, as they are on disk."""
    path = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_every_connection_overwrites_what_it_deletes(app, tmp_path):
    with app.app_context():
        assert db.session.execute(text("PRAGMA secure_delete")).scalar() == 1
    # Some SQLite builds (Debian's) turn it on by default, others do not: the app sets it.
    connection = sqlite3.connect(tmp_path / "plain.db")
    connection.execute("PRAGMA secure_delete=OFF")
    _sqlite_pragmas(connection, None)
    assert connection.execute("PRAGMA secure_delete").fetchone() == (1,)
    connection.close()


def test_a_delivered_email_keeps_no_body_and_the_report_still_counts_it(client, app, smtp, runner):
    reference = reference_of(post(client, "es"))
    (staff,) = [m for m in smtp.messages if EMAIL not in m["To"]]
    assert MESSAGE in staff.get_body(preferencelist=("plain",)).get_content()  # it went out
    rows = outbox_rows(app)
    assert {row.kind for row in rows} == {"lead_staff", "lead_confirmation"}
    for row in rows:
        assert row.status == "sent" and row.sent_at is not None
        assert row.body_text == "" and row.body_html == ""
        assert FIRST not in row.subject and MESSAGE[:12] not in row.subject
    assert "sent 2" in runner.invoke(args=["outbox", "status"]).output
    assert reference in rows[0].subject


def test_a_purged_request_leaves_the_database_file(client, app, smtp, runner):
    smtp.reject.add(EMAIL)  # a refused copy keeps its body: still there until the purge
    reference_of(post(client, "es"))
    stored = database_bytes(app)
    assert all(value.encode() in stored for value in DISTINCTIVE)  # the test can fail
    result = runner.invoke(args=["leads", "purge", "--older-than", "0"])
    assert "deleted 1 lead(s) and 2 email(s)" in result.output
    left = database_bytes(app)
    for value in DISTINCTIVE:
        assert value.encode() not in left, value
    assert EMAIL.encode() not in left


def test_purged_notes_leave_the_database_file(client, app, runner):
    answer = client.post("/api/v1/notes", json={"trial": NCT, "lang": "en", "notes": [NOTE]})
    token = answer.get_json()["url"].rsplit("/", 1)[1]
    assert token.encode() in database_bytes(app)
    with app.app_context():
        db.session.execute(text("UPDATE shared_notes SET expires_at = '2000-01-01 00:00:00'"))
        db.session.commit()
    assert "deleted 1 shared notes" in runner.invoke(args=["notes", "purge"]).output
    assert token.encode() not in database_bytes(app)


OTHER = {"first_name": "أمينة", "last_name": "Benali", "email": "amina.benali@example.org"}


def family_with_requests_and_alerts(client, smtp) -> list[str]:
    """One family: two requests (the second typed in capitals) and an alert sign-up."""
    references = [
        reference_of(post(client, "es")),
        reference_of(post(client, "en", email=EMAIL.upper())),
    ]
    sign_up(client, "fr", email=EMAIL.title())
    reference_of(post(client, "ar", **OTHER, message="رسالة أخرى من عائلة أخرى"))
    return references


def test_export_prints_everything_held_about_an_address_whatever_its_case(
    client, app, smtp, runner
):
    references = family_with_requests_and_alerts(client, smtp)
    result = runner.invoke(args=["leads", "export", "--email", "Zurine.FAMILY@example.com"])
    assert result.exit_code == 0, result.output
    held = json.loads(result.output)
    requests = held["contact_requests"]
    assert [r["reference"] for r in requests] == references
    assert {r["message"] for r in requests} == {MESSAGE}
    assert requests[0]["first_name"] == FIRST and requests[0]["phone"] == "+34612345678"
    assert requests[0]["created_at"].startswith(str(datetime.now(UTC).year))
    assert requests[0]["site_facility"] == "Hospital Universitario La Paz"
    kinds = sorted(email["kind"] for email in held["emails"])
    assert kinds == ["alert_confirm", *["lead_confirmation"] * 2, *["lead_staff"] * 2]
    assert all(email["sent_at"] for email in held["emails"])
    (alerts,) = held["alert_subscriptions"]
    assert alerts["language"] == "fr" and alerts["postal_code"] == "28046"
    assert "amina" not in result.output.lower() and "أمينة" not in result.output
    nobody = runner.invoke(args=["leads", "export", "--email", "nobody@example.com"])
    assert json.loads(nobody.output)["contact_requests"] == []


def test_erase_deletes_everything_about_an_address_and_leaves_the_file(client, app, smtp, runner):
    family_with_requests_and_alerts(client, smtp)
    assert EMAIL.encode() in database_bytes(app) and MESSAGE[-30:].encode() in database_bytes(app)
    result = runner.invoke(args=["leads", "erase", "--email", EMAIL.upper()])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        "deleted 2 contact request(s), 5 email(s) and 1 alert subscription(s)"
    )
    left = database_bytes(app)
    for value in [*DISTINCTIVE, EMAIL, EMAIL.upper(), EMAIL.title()]:
        assert value.encode() not in left, value
    held = json.loads(runner.invoke(args=["leads", "export", "--email", EMAIL]).output)
    assert held == {"email": EMAIL, "contact_requests": [], "emails": [], "alert_subscriptions": []}
    other = json.loads(runner.invoke(args=["leads", "export", "--email", OTHER["email"]]).output)
    assert len(other["contact_requests"]) == 1 and len(other["emails"]) == 2
    again = runner.invoke(args=["leads", "erase", "--email", EMAIL])
    assert "deleted 0 contact request(s), 0 email(s) and 0 alert subscription(s)" in again.output


def test_export_and_erase_need_an_address(runner):
    for command in ("export", "erase"):
        result = runner.invoke(args=["leads", command])
        assert result.exit_code == 2 and "--email" in result.output
