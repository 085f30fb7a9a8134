"""Outbox decisions, pure: what a send failure means and when to try again."""

import smtplib
import socket

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"


def smtp_code(error: BaseException) -> int | None:
    """Return the SMTP reply code carried by an error, if any."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return max(codes) if codes else None
    return getattr(error, "smtp_code", None)


def unsendable(error: BaseException) -> bool:
    """Whether the message itself cannot go out as it is, on any try.

    For example an address that needs SMTPUTF8 on a server without it, or a header value the
    email standard cannot carry; the connection is fine and the next message may go.
    """
    return isinstance(error, smtplib.SMTPNotSupportedError | ValueError)


def is_permanent(error: BaseException) -> bool:
    """A 5xx reply, or a message that cannot be sent, will not change by trying again."""
    code = smtp_code(error)
    return (code is not None and 500 <= code < 600) or unsendable(error)


def connection_lost(error: BaseException) -> bool:
    """Whether the failure was the connection's, not one message's: the rest must wait."""
    return smtp_code(error) is None and not unsendable(error)


def _timed_out_reply(error: BaseException) -> bool:
    # smtplib reports a server that stops answering as a disconnection "...: timed out".
    return isinstance(error, smtplib.SMTPServerDisconnected) and "timed out" in str(error)


def describe(error: BaseException) -> str:
    """Return a short operator-facing description, without the message itself."""
    code = smtp_code(error)
    if code is not None:
        return f"SMTP {code}: {type(error).__name__}"
    if unsendable(error):
        return f"this message cannot be sent as it is ({type(error).__name__})"
    if isinstance(error, socket.timeout | TimeoutError) or _timed_out_reply(error):
        return "timed out waiting for the mail server"
    if isinstance(error, ConnectionError | OSError):
        return f"cannot reach the mail server ({type(error).__name__})"
    return type(error).__name__


def after_failure(error: BaseException) -> str:
    """Return the status after a failed try: a permanent rejection stops, all else waits."""
    return FAILED if is_permanent(error) else PENDING
