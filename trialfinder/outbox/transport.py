"""Ways out for a rendered message: an SMTP server, or a local mailbox folder in development."""

import logging
import smtplib
from pathlib import Path

from flask_mail import Message

from .models import OutboxMessage

log = logging.getLogger(__name__)


def build_message(row: OutboxMessage, sender: str, domain: str) -> Message:
    """Turn an outbox row into a MIME message with a stable Message-ID."""
    message = Message(
        subject=row.subject,
        recipients=[row.recipient],
        body=row.body_text,
        html=row.body_html or None,
        sender=sender,
        reply_to=row.reply_to or None,
        extra_headers=dict(row.headers or {}),
    )
    message.msgId = f"<outbox-{row.id}@{domain}>"
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

    def send(self, message: Message) -> None:
        self.host.sendmail(message.sender, message.send_to, message.as_bytes())


class MailboxTransport:
    """Write each message as an .eml file, for `make run` without a mail server."""

    def __init__(self, folder: str):
        self.folder = Path(folder)

    def __enter__(self) -> "MailboxTransport":
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, *_exc) -> None:
        return None

    def send(self, message: Message) -> None:
        name = message.msgId.strip("<>").split("@")[0] + ".eml"
        path = self.folder / name
        path.write_bytes(message.as_bytes())
        log.info("mail written to %s", path)


def transport_for(config: dict) -> SmtpTransport | MailboxTransport:
    """Return the transport the configuration asks for."""
    if config.get("MAIL_SERVER"):
        return SmtpTransport(config)
    return MailboxTransport(config["MAILBOX_DIR"])
