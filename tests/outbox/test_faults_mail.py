"""The mail server down, silent, slow after the data, or refusing one recipient.

For each: every lead, sign-up and note is kept, the visitor is told the truth, the operator sees
what waits and why, and nothing goes out twice, except in SMTP's own window (see the slow server).
"""

import contextlib
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from tests.alerts.test_alerts_signup import form_data as alert_form
from tests.conftest import NCT, Inbox
from tests.contact.test_contact_delivery import LA_PAZ, SAVED_NOT_SENT, confirmation
from tests.contact_support import EMAIL, outbox_rows, post, reference_of
from tests.security_support import SlowInbox, count, smtp_server
from trialfinder.alerts.models import Subscriber
from trialfinder.extensions import db
from trialfinder.leads.models import Lead
from trialfinder.notes.models import SharedNotes
from trialfinder.outbox import state
from trialfinder.outbox.models import OutboxMessage

NOTES = {"trial": NCT, "lang": "en", "notes": [{"quote": "q", "text": "t"}]}


@contextlib.contextmanager
def silent_server(port: int) -> Iterator[None]:
    """Accept connections on a port and never say a word (a hung mail server)."""
    listener = socket.create_server(("127.0.0.1", port), reuse_port=False)
    listener.settimeout(0.1)
    held, stop = [], threading.Event()

    def accept() -> None:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                held.append(listener.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        listener.close()


def send(runner) -> str:
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    return result.output


def message_ids(inbox: Inbox) -> Counter:
    return Counter(message["Message-ID"] for message in inbox.messages)


def test_with_the_mail_server_down_everything_is_kept_and_later_sent_once(
    app, client, runner, smtp_port
):
    reference = reference_of(post(client, "en"))
    assert client.post("/en/alerts", data=alert_form()).status_code == 302
    assert client.post("/api/v1/notes", json=NOTES).status_code == 201  # notes need no mail
    assert SAVED_NOT_SENT in confirmation(client, reference)
    assert count(app, Lead) == count(app, Subscriber) == count(app, SharedNotes) == 1
    status = runner.invoke(args=["outbox", "status"]).output
    assert "pending 3" in status and status.count("cannot reach the mail server") == 3
    with smtp_server(smtp_port, Inbox()) as inbox:
        assert "sent 3, still pending 0" in send(runner)
        assert "sent 0, still pending 0" in send(runner)
    assert sorted(message_ids(inbox).values()) == [1, 1, 1]
    assert "We have sent your request" in confirmation(client, reference)


def test_a_silent_server_cannot_hold_the_visitor_and_the_request_goes_later(
    app, client, runner, smtp_port
):
    with silent_server(smtp_port):
        reference = reference_of(post(client, "en"))
        assert SAVED_NOT_SENT in confirmation(client, reference)
        status = runner.invoke(args=["outbox", "status"]).output
    assert "pending 2" in status and "timed out waiting for the mail server" in status
    with smtp_server(smtp_port, Inbox()) as inbox:
        assert "sent 2, still pending 0" in send(runner)
    assert sorted(message_ids(inbox).values()) == [1, 1]


@pytest.fixture
def impatient_app(make_app):
    return make_app(MAIL_TIMEOUT=0.5)


def wait_for(inbox: Inbox, count: int) -> None:
    deadline = time.monotonic() + 10
    while len(inbox.messages) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(inbox.messages) >= count


def test_a_server_that_answers_after_the_timeout_is_the_one_window_for_a_duplicate(
    impatient_app, smtp_port
):
    """SMTP's known gap: the server kept the message but we never heard its 250, so we retry.

    The copy that may arrive twice carries the same Message-ID, so mail clients and the site
    staff can tell; every other message arrives exactly once.
    """
    app, client, runner = (
        impatient_app,
        impatient_app.test_client(),
        impatient_app.test_cli_runner(),
    )
    with smtp_server(smtp_port, SlowInbox(delay=1.5, keep_first=True)) as slow:
        reference = reference_of(post(client, "en"))
        wait_for(slow, 1)  # the server kept the staff email after we gave up on its answer
    rows = {row.kind: row for row in outbox_rows(app)}
    staff = rows["lead_staff"]
    assert (
        staff.status == state.PENDING
        and staff.last_error == "timed out waiting for the mail server"
    )
    assert rows["lead_confirmation"].status == state.PENDING  # never tried: the link was gone
    assert SAVED_NOT_SENT in confirmation(client, reference)
    with smtp_server(smtp_port, Inbox()) as fast:
        assert "sent 2, still pending 0" in send(runner)
    received = message_ids(slow) + message_ids(fast)
    staff_id = slow.messages[0]["Message-ID"]
    assert staff_id == staff.message_id and staff_id.endswith("@127.0.0.1>")
    assert received == Counter({staff_id: 2, rows["lead_confirmation"].message_id: 1})


def test_a_family_address_refused_by_its_server_is_told_and_the_staff_still_get_it(
    client, app, smtp, runner
):
    smtp.reject.add(EMAIL)
    reference = reference_of(post(client, "en"))
    assert len(smtp.to(LA_PAZ)) == 1 and smtp.to(EMAIL) == []
    page = confirmation(client, reference)
    assert "We could not send a copy to your email address" in page
    assert "and a copy to your email address" not in page
    with app.app_context():
        statuses = dict(db.session.execute(select(OutboxMessage.kind, OutboxMessage.status)).all())
    assert statuses == {"lead_staff": state.SENT, "lead_confirmation": state.FAILED}
    assert "sent 0, still pending 0" in send(runner)  # a 5xx is final: never retried
    status = runner.invoke(args=["outbox", "status"]).output
    assert "failed 1" in status and "lead_confirmation failed" in status and "SMTP 550" in status
    assert EMAIL not in status
    assert len(smtp.messages) == 1


def test_one_message_the_server_cannot_take_never_blocks_the_others(app, client, runner, smtp_port):
    with app.app_context():  # an address from before the forms refused such addresses
        db.session.add(
            OutboxMessage(
                kind="alert_confirm", recipient="zoë@example.com", subject="s", body_text="b"
            )
        )
        db.session.commit()
    references = [reference_of(post(client, "en", first_name=f"Ana{n}")) for n in range(2)]
    # A server that does not offer SMTPUTF8 cannot take a non-ASCII address: that one fails,
    # visibly and for good; the requests queued after it still go.
    with smtp_server(smtp_port, Inbox(), enable_SMTPUTF8=False) as inbox:
        assert "sent 4, still pending 0" in send(runner)
    subjects = " ".join(message["Subject"] for message in inbox.messages)
    assert len(inbox.messages) == 4 and all(subjects.count(ref) == 2 for ref in references)
    status = runner.invoke(args=["outbox", "status"]).output
    assert "failed 1" in status and "cannot be sent as it is (SMTPNotSupportedError)" in status
    assert "zoë" not in status


def test_alert_addresses_are_kept_in_ascii_or_refused_like_the_contact_form(app, client, smtp):
    refused = client.post("/en/alerts", data=alert_form(email="zoë@example.com"))
    assert refused.status_code == 200 and 'role="alert"' in refused.get_data(as_text=True)
    assert client.post("/en/alerts", data=alert_form(email="ana@exämple.com")).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Subscriber.email)) == "ana@xn--exmple-cua.com"
    assert [message["To"] for message in smtp.messages] == ["ana@xn--exmple-cua.com"]
