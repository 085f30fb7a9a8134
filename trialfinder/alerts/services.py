"""Alert sign-ups, confirmation, unsubscribing and the digest run."""

import logging
import secrets
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from trialfinder.alerts import tokens
from trialfinder.alerts.matching import folded
from trialfinder.alerts.models import AlertSent, Subscriber
from trialfinder.extensions import db
from trialfinder.lib.clock import utcnow
from trialfinder.outbox.models import OutboxMessage
from trialfinder.outbox.services import flush, queue_email
from trialfinder.trials.models import Trial
from trialfinder.web import content_version
from trialfinder.web.urls import absolute_url

log = logging.getLogger(__name__)
ABOUT = "alert_subscriber"
PREFERENCES = ("language", "interests", "age_years", "country", "postal_code")
INTERESTS = "alerts.interests"  # app.extensions: (content version, the conditions offered)


def normalize_email(address: str) -> str:
    """Return the address as stored: trimmed, domain in lower case and in ASCII (IDNA)."""
    try:
        valid = validate_email(address.strip(), check_deliverability=False)
        return valid.ascii_email or valid.normalized
    except EmailNotValidError:
        local, _at, domain = address.strip().rpartition("@")
        return f"{local}@{domain.lower()}"


def interest_choices() -> list[str]:
    """Return the distinct conditions of the imported trials, sorted.

    Read once per content version (an import changes it): at 100,000 trials, reading every
    trial's conditions took 1.3 s of each sign-up page and each sign-up.
    """
    version = content_version.current()
    kept = current_app.extensions.get(INTERESTS)
    if kept is None or kept[0] != version:
        seen: dict[str, str] = {}
        for conditions in db.session.scalars(select(Trial.conditions)):
            for condition in conditions or []:
                seen.setdefault(folded(condition), condition.strip())
        kept = (version, sorted(seen.values(), key=str.casefold))
        current_app.extensions[INTERESTS] = kept
    return list(kept[1])


def confirm_link(subscriber: Subscriber) -> str:
    data = tokens.LinkData(subscriber.id, subscriber.nonce)
    token = tokens.make_link(current_app.secret_key, tokens.CONFIRM_SALT, data)
    lang = (subscriber.pending or {}).get("language", subscriber.language)
    return absolute_url("alerts.confirm", lang=lang, token=token)


def unsubscribe_token(subscriber: Subscriber) -> str:
    data = tokens.LinkData(subscriber.id, subscriber.unsubscribe_key)
    return tokens.make_link(current_app.secret_key, tokens.UNSUBSCRIBE_SALT, data)


def sign_up(email: str, preferences: dict) -> Subscriber:
    """Record a sign-up and queue its confirmation email; a confirmed address keeps its choices."""
    try:
        subscriber = _record_sign_up(normalize_email(email), preferences)
    except IntegrityError:
        db.session.rollback()  # the same address signed up at the same moment: use that row
        subscriber = _record_sign_up(normalize_email(email), preferences)
    lang = (subscriber.pending or {}).get("language", subscriber.language)
    message = queue_email(
        "alert_confirm",
        subscriber.email,
        lang,
        {"confirm_url": confirm_link(subscriber), "change": subscriber.confirmed},
        about=(ABOUT, subscriber.id),
    )
    db.session.commit()
    log.info("alerts: confirmation queued for subscriber %s", subscriber.id)
    flush([message.id])
    return subscriber


def _record_sign_up(email: str, preferences: dict) -> Subscriber:
    subscriber = db.session.scalar(select(Subscriber).where(Subscriber.email == email))
    if subscriber is None:
        subscriber = Subscriber(email=email, unsubscribe_key=secrets.token_urlsafe(16))
        db.session.add(subscriber)
    if subscriber.confirmed:
        # Anyone can type anyone's address: the owner must confirm before anything changes.
        subscriber.pending = dict(preferences)
    else:
        for name in PREFERENCES:
            setattr(subscriber, name, preferences[name])
    subscriber.nonce = secrets.token_urlsafe(16)
    subscriber.requested_at = utcnow()
    db.session.flush()
    return subscriber


def _named_by(token: str, salt: str, max_age: timedelta | None = None) -> Subscriber | None:
    """Return the subscriber a valid link names, None if gone; raise InvalidLink/ExpiredLink."""
    data = tokens.read_link(current_app.secret_key, salt, token, max_age)
    subscriber = db.session.get(Subscriber, data.subscriber_id)
    if subscriber is None:
        return None
    secret = subscriber.nonce if salt == tokens.CONFIRM_SALT else subscriber.unsubscribe_key
    return subscriber if secrets.compare_digest(secret, data.secret) else None


def unsubscribe_target(token: str) -> Subscriber | None:
    """Return who an unsubscribe link names, None if already gone; raise InvalidLink."""
    return _named_by(token, tokens.UNSUBSCRIBE_SALT)


def confirm_target(token: str) -> Subscriber:
    """Return who a confirmation link names, changing nothing; raise on a bad or dead link."""
    subscriber = _named_by(token, tokens.CONFIRM_SALT, tokens.CONFIRM_MAX_AGE)
    if subscriber is None:
        raise tokens.ExpiredLink  # replaced by a newer link, or unsubscribed since
    return subscriber


def confirm(token: str) -> Subscriber:
    """Confirm an address, applying choices that were waiting; raise on a bad or dead link."""
    subscriber = confirm_target(token)
    if subscriber.pending:
        for name in PREFERENCES:
            setattr(subscriber, name, subscriber.pending[name])
        subscriber.pending = None
    if not subscriber.confirmed:
        subscriber.confirmed_at = utcnow()
    db.session.commit()
    log.info("alerts: subscriber %s confirmed", subscriber.id)
    return subscriber


def unsubscribe(token: str) -> bool:
    """Delete the subscriber a link names, with their log and mail; False if already gone."""
    subscriber = unsubscribe_target(token)
    if subscriber is None:
        return False
    forget(subscriber)
    db.session.commit()
    log.info("alerts: a subscriber unsubscribed")
    return True


def forget(subscriber: Subscriber) -> None:
    """Delete a subscriber, what they were sent, and every email about them."""
    db.session.execute(delete(AlertSent).where(AlertSent.subscriber_id == subscriber.id))
    db.session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.subject_type == ABOUT, OutboxMessage.subject_id == subscriber.id
        )
    )
    db.session.delete(subscriber)


def purge_unconfirmed(now: datetime | None = None) -> int:
    """Forget sign-ups whose confirmation link expired; drop stale pending changes too."""
    cutoff = (now or utcnow()) - tokens.CONFIRM_MAX_AGE
    stale = select(Subscriber).where(Subscriber.requested_at < cutoff)
    forgotten = 0
    for subscriber in db.session.scalars(stale).all():
        if subscriber.confirmed:
            subscriber.pending = None
        else:
            forget(subscriber)
            forgotten += 1
    db.session.commit()
    return forgotten
