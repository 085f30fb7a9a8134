"""The outbox against a real SMTP server: delivery, outages, rejections, concurrent workers."""

import socket
import threading
import time

import pytest
from sqlalchemy import select

from trialfinder.extensions import db
from trialfinder.outbox import services, state
from trialfinder.outbox.models import OutboxMessage

pytestmark = pytest.mark.databases


def queue(app, count: int, recipient: str = "staff{n}@hospital.test") -> list[int]:
    with app.app_context():
        rows = [
            OutboxMessage(
                kind="test",
                recipient=recipient.format(n=n),
                subject=f"Request TF-{n}",
                body_text=f"body {n}",
            )
            for n in range(count)
        ]
        db.session.add_all(rows)
        db.session.commit()
        return [row.id for row in rows]


def statuses(app) -> dict[int, str]:
    with app.app_context():
        return dict(db.session.execute(select(OutboxMessage.id, OutboxMessage.status)).all())


def test_pending_messages_are_delivered_once(app, smtp):
    queue(app, 3)
    with app.app_context():
        assert services.send_pending() == 3
        assert services.send_pending() == 0
    assert sorted(message["Subject"] for message in smtp.messages) == [
        "Request TF-0",
        "Request TF-1",
        "Request TF-2",
    ]
    assert set(statuses(app).values()) == {state.SENT}


def test_outage_keeps_messages_until_the_server_returns(app, smtp_port, runner):
    ids = queue(app, 4)
    with app.app_context():
        assert services.send_pending() == 0
        rows = db.session.scalars(select(OutboxMessage)).all()
        assert {row.status for row in rows} == {state.PENDING}
        assert all(row.attempts == 1 for row in rows)
        assert "cannot reach the mail server" in rows[0].last_error
    status = runner.invoke(args=["outbox", "status"])
    assert "pending 4" in status.output and "cannot reach the mail server" in status.output
    from aiosmtpd.controller import Controller

    from tests.conftest import Inbox

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        result = runner.invoke(args=["outbox", "send"])
        assert "sent 4, still pending 0" in result.output
        runner.invoke(args=["outbox", "send"])
    finally:
        controller.stop()
    assert len(inbox.messages) == len(ids)
    assert len({message["Message-ID"] for message in inbox.messages}) == len(ids)


def test_permanent_rejection_stops_retrying_and_is_visible(app, smtp, runner):
    smtp.reject.add("staff1@hospital.test")
    queue(app, 3)
    with app.app_context():
        assert services.send_pending() == 2
        assert services.send_pending() == 0
    assert sorted(statuses(app).values()) == [state.FAILED, state.SENT, state.SENT]
    output = runner.invoke(args=["outbox", "status"]).output
    assert "failed 1" in output and "SMTP 550" in output
    assert "staff1@hospital.test" not in output  # no addresses in the operator's view


def test_two_workers_at_once_send_each_message_exactly_once(app, smtp):
    queue(app, 60)
    app.config["OUTBOX_BATCH"] = 5
    errors = []

    def worker():
        try:
            with app.app_context():
                services.send_pending()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    subjects = [message["Subject"] for message in smtp.messages]
    assert len(subjects) == 60 and len(set(subjects)) == 60
    assert set(statuses(app).values()) == {state.SENT}


@pytest.fixture
def silent_server(smtp_port):
    """A server that accepts connections and never says a word."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", smtp_port))
    listener.listen(8)
    held = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    listener.close()


def test_a_stalled_server_does_not_hold_the_request(app, silent_server):
    ids = queue(app, 2)
    started = time.monotonic()
    with app.app_context():
        assert services.flush(ids) == 0
    assert time.monotonic() - started < app.config["MAIL_TIMEOUT"] * 2 + 1
    assert set(statuses(app).values()) == {state.PENDING}


def test_a_crashed_workers_claim_expires(app, smtp):
    ids = queue(app, 2)
    with app.app_context():
        claimed = services.claim(10)
        assert [row.id for row in claimed] == ids
        assert services.send_pending() == 0  # still claimed by the "dead" worker
        for row in claimed:
            row.claimed_at = row.claimed_at - services.lease() * 2
        db.session.commit()
        assert services.send_pending() == 2
    assert len(smtp.messages) == 2


def test_mailbox_folder_without_a_mail_server(app, tmp_path, caplog):
    app.config.update(MAIL_SERVER=None, MAILBOX_DIR=str(tmp_path / "mailbox"))
    queue(app, 1)
    with app.app_context(), caplog.at_level("INFO"):
        assert services.send_pending() == 1
    files = list((tmp_path / "mailbox").glob("*.eml"))
    assert len(files) == 1
    assert str(files[0]) in caplog.text
    assert b"Subject: Request TF-0" in files[0].read_bytes()


def test_long_lines_are_encoded_so_that_servers_accept_them(app, smtp):
    with app.app_context():
        row = OutboxMessage(
            kind="test",
            recipient="staff@hospital.test",
            subject="Long",
            body_text="word " * 600,
            body_html="<p>" + "word " * 600 + "</p>",
        )
        db.session.add(row)
        db.session.commit()
        assert services.send_pending() == 1
    (message,) = smtp.messages
    assert message.get_body(("plain",)).get_content().strip() == ("word " * 600).strip()
    assert "word " * 600 in message.get_body(("html",)).get_content()
