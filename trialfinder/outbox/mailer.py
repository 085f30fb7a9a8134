"""Flask-Mail, with the fixes the outbox needs: quoted-printable bodies, a timeout, SMTPUTF8.

Flask-Mail 0.10 registers utf-8 without a body encoding, so an ASCII body goes out as 7bit
whatever its line lengths, and servers refuse lines over 998 octets (RFC 5322). Its connection
has no timeout, so a silent server would hold a web request for ever.
"""

import smtplib
from email.charset import QP, Charset
from email.headerregistry import Address
from email.mime.text import MIMEText

import flask_mail
from flask import current_app


def quoted_printable_utf8() -> Charset:
    """Return a utf-8 charset whose bodies are quoted-printable: short lines, any text."""
    charset = Charset("utf-8")
    charset.body_encoding = QP
    return charset


class EncodedMessage(flask_mail.Message):
    """A Flask-Mail message whose text and HTML bodies are encoded quoted-printable.

    `from_header`, when set, replaces the From header: Flask-Mail would parse a display name
    out of a string, and split a name holding a comma.
    """

    from_header: Address | None = None

    def _message(self):
        message = super()._message()
        if self.from_header:
            message.replace_header("From", self.from_header)
        return message

    def _mimetext(self, text: str | None, subtype: str = "plain") -> MIMEText:
        return MIMEText(text or "", _subtype=subtype, _charset=quoted_printable_utf8())


class TimedConnection(flask_mail.Connection):
    """One SMTP connection with MAIL_TIMEOUT, that refuses what it cannot carry."""

    def configure_host(self) -> smtplib.SMTP:
        cls = smtplib.SMTP_SSL if self.mail.use_ssl else smtplib.SMTP
        host = cls(self.mail.server, self.mail.port, timeout=self.mail.timeout)
        if self.mail.use_tls:
            host.starttls()
        if self.mail.username:
            host.login(self.mail.username, self.mail.password or "")
        return host

    def __exit__(self, *_exc) -> None:
        if self.host is None:
            return
        try:
            self.host.quit()
        except (smtplib.SMTPException, OSError):  # the server went away: nothing to close
            self.host.close()

    def send(self, message: flask_mail.Message, envelope_from: str | None = None) -> None:
        if message.has_bad_headers():  # a line break in an address or the subject
            raise ValueError("a header value holds a line break")
        if self.host is not None and not all(str(to).isascii() for to in message.send_to):
            self.host.ehlo_or_helo_if_needed()
            if not self.host.has_extn("smtputf8"):
                raise smtplib.SMTPNotSupportedError("the server cannot take non-ASCII addresses")
            message.mail_options = [*message.mail_options, "SMTPUTF8", "BODY=8BITMIME"]
        super().send(message, envelope_from)


class Mail(flask_mail.Mail):
    """Flask-Mail bound from MAIL_* settings; the outbox, not TESTING, decides what is sent."""

    def init_mail(self, config, debug=False, testing=False):
        state = super().init_mail(config, debug, testing=False)
        state.timeout = config.get("MAIL_TIMEOUT")
        return state

    def connect(self) -> TimedConnection:
        """Open one connection to the mail server, for a whole outbox drain."""
        return TimedConnection(current_app.extensions["mail"])


mail = Mail()
