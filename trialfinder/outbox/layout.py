"""What every email shares: its sender's display name, and text that keeps its direction.

Numbers, references, phone numbers and addresses are left-to-right runs inside right-to-left
text: without isolation the bidi algorithm moves a phone's "+" to the other end ("351912345678+").
"""

from email.headerregistry import Address
from email.utils import parseaddr

from flask import Flask
from jinja2 import pass_context
from markupsafe import Markup, escape

LRI, PDI = "\u2066", "\u2069"  # LEFT-TO-RIGHT ISOLATE ... POP DIRECTIONAL ISOLATE

#: The key in an outbox row's headers that holds the sender's display name, not sent as a header.
SENDER_NAME = "_sender_name"


#: Runs up to this long (references, NCT ids, phones, postal codes) are never broken across
#: lines ("TF-" on one line, the rest on the next); longer ones (addresses) may wrap.
UNBROKEN = 20


def ltr_html(value) -> Markup:
    """Wrap a value in an isolated left-to-right run for an HTML body."""
    if len(str(value)) <= UNBROKEN:
        return Markup('<bdi dir="ltr" style="white-space:nowrap">%s</bdi>') % escape(value)
    return Markup('<bdi dir="ltr">%s</bdi>') % escape(value)


def ltr_text(value, direction: str) -> str:
    """Wrap a value in Unicode isolates when a plain-text body is right to left."""
    return f"{LRI}{value}{PDI}" if direction == "rtl" and value else str(value)


@pass_context
def _ltr(context, value) -> Markup:
    return ltr_html(value)


@pass_context
def _isolate(context, value) -> str:
    return ltr_text(value, context.get("dir", "ltr"))


def sender(setting: str, name: str) -> Address:
    """Return the From address: this display name, and the address of the setting.

    An Address rather than a formataddr() string: the message's SMTP policy parses a string
    header again, and refolds a decoded encoded-word holding a comma into two addresses. From
    an Address it quotes and encodes the name itself (RFC 2047 words, ASCII on the wire).
    """
    default_name, address = parseaddr(setting)
    return Address(display_name=name or default_name, addr_spec=address)


def default_sender_name(setting: str) -> str:
    """Return the display name of the MAIL_DEFAULT_SENDER setting, or the site's name."""
    return parseaddr(setting)[0] or "trialfinder"


def init_app(app: Flask) -> None:
    """Give email templates the `ltr` (HTML) and `isolate` (plain text) filters."""
    app.jinja_env.filters.update(ltr=_ltr, isolate=_isolate)
