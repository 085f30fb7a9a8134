"""Ways out for a rendered message: an SMTP server, or a local mailbox folder in development."""

import logging
import smtplib
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate
from pathlib import Path

from .models import OutboxMessage

log = logging.getLogger(__name__)


def build_message(row: OutboxMessage, sender: str, domain: str) -> EmailMessage:
    """Turn an outbox row into a MIME message with a stable Message-ID.

    The standard library picks quoted-printable for long lines; Flask-Mail writes ASCII bodies
    as 7bit whatever their length, and servers refuse lines over 998 octets.
    """
    message = EmailMessage(policy=SMTP)
    message["Subject"] = row.subject
    message["From"] = sender
    message["To"] = row.recipient
    if row.reply_to:
        message["Reply-To"] = row.reply_to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = f"<outbox-{row.id}@{domain}>"
    message.set_content(row.body_text)
    if row.body_html:
        message.add_alternative(row.body_html, subtype="html")
    # After the bodies: setting content clears Content-* headers such as Content-Language.
    for name, value in (row.headers or {}).items():
        message[name] = value
    return message


class SmtpTransport:
    """One SMTP connection, with a timeout so that a stalled server cannot hold us."""

    def __init__(self, config: dict):
        self.config = config
        self.host: smtplib.SMTP | None = None

    def __enter__(self) -> "SmtpTransport":
        cls = smtplib.SMTP_SSL if self.config["MAIL_USE_SSL"] else smtplib.SMTP
        timeout = self.config["MAIL_TIMEOUT"]
        self.host = cls(self.config["MAIL_SERVER"], self.config["MAIL_PORT"], timeout=timeout)
        if self.config["MAIL_USE_TLS"]:
            self.host.starttls()
        if self.config["MAIL_USERNAME"]:
            self.host.login(self.config["MAIL_USERNAME"], self.config["MAIL_PASSWORD"] or "")
        return self

    def __exit__(self, *_exc) -> None:
        try:
            self.host.quit()
        except (smtplib.SMTPException, OSError):
            self.host.close()

    def send(self, message: EmailMessage) -> None:
        self.host.send_message(message)


class MailboxTransport:
    """Write each message as an .eml file, for `make run` without a mail server."""

    def __init__(self, folder: str):
        self.folder = Path(folder)

    def __enter__(self) -> "MailboxTransport":
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, *_exc) -> None:
        return None

    def send(self, message: EmailMessage) -> None:
        # The time first: outbox ids start again when a development database is reset.
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        name = f"{stamp}-{message['Message-ID'].strip('<>').split('@')[0]}.eml"
        path = self.folder / name
        path.write_bytes(message.as_bytes())
        log.info("mail written to %s", path)


def transport_for(config: dict) -> SmtpTransport | MailboxTransport:
    """Return the transport the configuration asks for."""
    if config.get("MAIL_SERVER"):
        return SmtpTransport(config)
    return MailboxTransport(config["MAILBOX_DIR"])
