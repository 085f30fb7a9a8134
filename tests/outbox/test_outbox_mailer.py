"""Flask-Mail carries the outbox's mail: long lines reach a real server intact and within limits."""

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from tests.conftest import Inbox
from trialfinder.extensions import db
from trialfinder.outbox import services
from trialfinder.outbox.models import OutboxMessage

LONG_ASCII = "".join(chr(ord("a") + n % 26) for n in range(2000))  # one line, no spaces
LONG_SPANISH = "Niño con leucemia, ¿puede participar? " * 53  # about 2,000 characters


class RawInbox(Inbox):
    """Also keeps the bytes as they crossed the wire."""

    def __init__(self):
        super().__init__()
        self.raw: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):
        self.raw.append(envelope.original_content)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def raw_smtp(smtp_port):
    inbox = RawInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield inbox
    controller.stop()


@pytest.mark.parametrize("line", [LONG_ASCII, LONG_SPANISH], ids=["ascii", "accented"])
def test_a_2000_character_line_arrives_within_998_octets_and_unchanged(app, raw_smtp, line):
    assert len(line) >= 1999 and "\n" not in line
    with app.app_context():
        db.session.add(
            OutboxMessage(
                kind="test",
                recipient="staff@hospital.test",
                subject="Long line",
                body_text=line,
                body_html=f"<p>{line}</p>",
            )
        )
        db.session.commit()
        assert services.send_pending() == 1
    (raw,) = raw_smtp.raw
    assert max(len(wire_line) for wire_line in raw.split(b"\r\n")) <= 998
    (message,) = raw_smtp.messages
    assert message.get_body(("plain",)).get_content().rstrip("\n") == line
    assert message.get_body(("html",)).get_content().rstrip("\n") == f"<p>{line}</p>"
    with app.app_context():  # made when first sent (the row was written without one), then kept
        stored = db.session.scalar(select(OutboxMessage.message_id))
    assert message["Message-ID"] == stored and stored.endswith("@127.0.0.1>")


def test_the_mailbox_folder_holds_the_same_encoded_message(app, tmp_path):
    app.config.update(MAIL_SERVER=None, MAILBOX_DIR=str(tmp_path / "mailbox"))
    with app.app_context():
        db.session.add(
            OutboxMessage(
                kind="test", recipient="a@hospital.test", subject="s", body_text=LONG_ASCII
            )
        )
        db.session.commit()
        assert services.send_pending() == 1
    (eml,) = (tmp_path / "mailbox").glob("*.eml")
    assert max(len(line) for line in eml.read_bytes().splitlines()) <= 998
