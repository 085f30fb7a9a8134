"""Queueing rendered emails in the outbox, and delivering them."""

import logging
import uuid
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import and_, func, or_, select, update

from trialfinder.extensions import db
from trialfinder.lib.clock import utcnow
from trialfinder.outbox import state
from trialfinder.outbox.layout import SENDER_NAME, default_sender_name
from trialfinder.outbox.models import OutboxMessage
from trialfinder.outbox.transport import build_message, new_message_id, transport_for
from trialfinder.web.i18n import text_direction
from trialfinder.web.typography import space_html, space_text

log = logging.getLogger(__name__)


def render_email(template: str, lang: str, **context) -> tuple[str, str, str]:
    """Render subject, text and HTML bodies of templates/emails/<template>/ in a locale."""
    context.setdefault("dir", text_direction(lang))
    context.setdefault(
        "sender_name", default_sender_name(current_app.config["MAIL_DEFAULT_SENDER"])
    )
    with force_locale(lang):
        subject = render_template(f"emails/{template}/subject.txt", lang=lang, **context)
        text = render_template(f"emails/{template}/body.txt", lang=lang, **context)
        html = render_template(f"emails/{template}/body.html", lang=lang, **context)
    if lang == "fr":
        subject, text, html = space_text(subject), space_text(text), space_html(html)
    # Subjects show on lock screens and are header values: one line, always.
    return " ".join(subject.split()), text, html


def queue_email(
    template: str,
    recipient: str,
    lang: str,
    context: dict,
    *,
    reply_to: str = "",
    headers: dict | None = None,
    about: tuple[str, int] | None = None,
    sender_name: str = "",
) -> OutboxMessage:
    """Add a rendered email to the session; it is sent only after the caller commits.

    `sender_name` (the hospital or trial) is the From display name and the email's letterhead.
    """
    if sender_name:
        context = {**context, "sender_name": sender_name}
        headers = {**(headers or {}), SENDER_NAME: sender_name}
    subject, text, html = render_email(template, lang, **context)
    subject_type, subject_id = about or ("", None)
    row = OutboxMessage(
        kind=template,
        recipient=recipient,
        reply_to=reply_to,
        subject=subject,
        body_text=text,
        body_html=html,
        headers=headers or {},
        subject_type=subject_type,
        subject_id=subject_id,
        message_id=new_message_id(mail_domain(current_app.config)),
    )
    db.session.add(row)
    return row


def mail_domain(config: dict) -> str:
    """Return the domain of Message-IDs: the site's host name."""
    return urlsplit(config["BASE_URL"]).hostname or "trialfinder.invalid"


def lease() -> timedelta:
    """Return how long a claim holds before its messages are due again (a dead worker's)."""
    return timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])


def claim(limit: int, ids: list[int] | None = None) -> list[OutboxMessage]:
    """Mark up to `limit` due messages as ours; several workers never claim the same one."""
    token, now = uuid.uuid4().hex, utcnow()
    due = or_(
        OutboxMessage.status == state.PENDING,
        and_(
            OutboxMessage.status == state.SENDING,
            OutboxMessage.claimed_at < now - lease(),
        ),
    )
    candidates = select(OutboxMessage.id).where(due).order_by(OutboxMessage.id).limit(limit)
    if ids is not None:
        candidates = candidates.where(OutboxMessage.id.in_(ids))
    # PostgreSQL must run the locking SELECT once: as a plain IN (subquery) it may run again
    # per row, skip the rows it has just locked itself, and claim far more than `limit`.
    candidates = (
        candidates.with_for_update(skip_locked=True)
        .cte("candidates")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(select(candidates.c.id)), due)
        .values(status=state.SENDING, claimed_by=token, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    ours = select(OutboxMessage).where(OutboxMessage.claimed_by == token)
    return list(db.session.scalars(ours.order_by(OutboxMessage.id)))  # the oldest sent first


def _release(rows: list[OutboxMessage]) -> None:
    for row in rows:
        row.status, row.claimed_by = state.PENDING, ""
    db.session.commit()


def forget_body(row: OutboxMessage) -> None:
    """Drop a delivered message's bodies: they hold names, messages and links, needed no more.

    Kept: kind (the recipient's role), recipient, status and times, for `outbox status`, the
    contact page's delivery state and `leads export`. Subjects are kept too: every template's
    subject holds only a reference, a registry id or a count (templates/emails/*/subject.txt).
    """
    row.body_text, row.body_html = "", ""


def deliver(rows: list[OutboxMessage], config: dict) -> int:
    """Send claimed messages; record each outcome at once; return how many went out."""
    sender = config["MAIL_DEFAULT_SENDER"]
    domain = mail_domain(config)
    sent = 0
    try:
        with transport_for(config) as transport:
            for index, row in enumerate(rows):
                try:
                    transport.send(build_message(row, sender, domain))
                except Exception as error:  # noqa: BLE001 - every failure is recorded
                    row.attempts += 1
                    row.status, row.last_error = state.after_failure(error), state.describe(error)
                    db.session.commit()
                    log.warning(
                        "outbox: message %s (%s) not sent: %s", row.id, row.kind, row.last_error
                    )
                    if state.connection_lost(error):  # one bad message never stops the rest
                        _release(rows[index + 1 :])
                        return sent
                    continue
                row.status, row.sent_at, row.attempts = state.SENT, utcnow(), row.attempts + 1
                row.last_error = ""
                forget_body(row)
                db.session.commit()
                sent += 1
                log.info("outbox: message %s (%s) sent", row.id, row.kind)
    except Exception as error:  # noqa: BLE001 - the server could not be reached at all
        unsent = [row for row in rows if row.status == state.SENDING]
        for row in unsent:
            row.attempts += 1
            row.last_error = state.describe(error)
        _release(unsent)
        log.warning("outbox: %d message(s) wait: %s", len(unsent), state.describe(error))
    return sent


def send_pending(limit: int | None = None, ids: list[int] | None = None) -> int:
    """Deliver due messages in batches until none is left; return how many went out."""
    config, batch, total = current_app.config, current_app.config["OUTBOX_BATCH"], 0
    while limit is None or total < limit:
        rows = claim(batch if limit is None else min(batch, limit - total), ids)
        if not rows:
            break
        sent = deliver(rows, config)
        total += sent
        if sent < len(rows):
            break
    return total


def flush(ids: list[int]) -> int:
    """Try to send just-committed messages now; never raise into the web request."""
    try:
        return send_pending(ids=ids)
    except Exception:  # noqa: BLE001 - the outbox keeps them; `outbox send` retries
        db.session.rollback()
        log.exception("outbox: immediate delivery failed; messages stay queued")
        return 0


def summary() -> dict:
    """Return counts by status and the messages that wait or failed, without addresses."""
    counts = dict(
        db.session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        ).all()
    )
    waiting = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status.in_([state.PENDING, state.SENDING, state.FAILED]))
        .order_by(OutboxMessage.id)
        .limit(200)
    )
    return {"counts": counts, "waiting": list(waiting)}
