"""Ways out for a rendered message: an SMTP server, or a local mailbox folder in development."""

import logging
import secrets
from datetime import UTC, datetime
from pathlib import Path

from trialfinder.outbox.layout import SENDER_NAME
from trialfinder.outbox.layout import sender as from_header
from trialfinder.outbox.mailer import EncodedMessage, TimedConnection, mail
from trialfinder.outbox.models import OutboxMessage

log = logging.getLogger(__name__)


def new_message_id(domain: str) -> str:
    """Return a Message-ID unique for ever: random, never derived from a row id.

    SQLite reuses the ids of deleted rows, so an id-based Message-ID would repeat after a purge,
    and mail systems may thread or drop the new message as a duplicate of the old one.
    """
    # 128 random bits, short enough that the header is never folded onto a second line.
    return f"<{secrets.token_hex(16)}@{domain}>"


def build_message(row: OutboxMessage, sender: str, domain: str) -> EncodedMessage:
    """Turn an outbox row into a message with a stable Message-ID.

    The Message-ID is stored in the row when queued, so that a message sent twice (a reply lost
    after the server took it) is one message to mail clients. A row without one (queued by an
    older version) gets one now, saved with the outcome of this try.
    """
    if not row.message_id:
        row.message_id = new_message_id(domain)
    headers = dict(row.headers or {})
    name = headers.pop(SENDER_NAME, "")
    message = EncodedMessage(
        subject=row.subject,
        recipients=[row.recipient],
        body=row.body_text,
        html=row.body_html or None,
        sender=sender,
        reply_to=row.reply_to or None,
        extra_headers=headers,
    )
    message.msgId = row.message_id
    # The hospital or trial as the display name; the address stays the MAIL_DEFAULT_SENDER one.
    message.from_header = from_header(sender, name)
    return message


class SmtpTransport:
    """One Flask-Mail connection per drain, with a timeout so a stalled server cannot hold us."""

    def __init__(self):
        self.connection: TimedConnection | None = None

    def __enter__(self) -> "SmtpTransport":
        self.connection = mail.connect().__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.connection.__exit__(*exc)

    def send(self, message: EncodedMessage) -> None:
        self.connection.send(message)


class MailboxTransport:
    """Write each message as an .eml file, for `make run` without a mail server."""

    def __init__(self, folder: str):
        self.folder = Path(folder)

    def __enter__(self) -> "MailboxTransport":
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, *_exc) -> None:
        return None

    def send(self, message: EncodedMessage) -> None:
        # The time first: outbox ids start again when a development database is reset.
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        name = f"{stamp}-{message.msgId.strip('<>').split('@')[0]}.eml"
        path = self.folder / name
        path.write_bytes(message.as_bytes())
        log.info("mail written to %s", path)


def transport_for(config: dict) -> SmtpTransport | MailboxTransport:
    """Return the transport the configuration asks for."""
    if config.get("MAIL_SERVER"):
        return SmtpTransport()
    return MailboxTransport(config["MAILBOX_DIR"])
