"""The alert run: one digest per confirmed subscriber, each trial version announced once."""

import logging
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import load_only, selectinload

from trialfinder.alerts.matching import Match, Profile, new_matches
from trialfinder.alerts.models import AlertSent, Subscriber
from trialfinder.alerts.services import ABOUT, unsubscribe_token
from trialfinder.extensions import db
from trialfinder.lib.clock import utcnow
from trialfinder.lib.geo import local_distance, locate
from trialfinder.lib.statuses import OPEN_STATUSES
from trialfinder.outbox.services import flush, queue_email
from trialfinder.trials.content import load_content
from trialfinder.trials.models import Site, Trial
from trialfinder.web.i18n import distance_text
from trialfinder.web.urls import absolute_url

log = logging.getLogger(__name__)


@dataclass
class RunReport:
    subscribers: int = 0
    emails: int = 0
    trials: int = 0
    sent_now: int = 0


def profile_of(subscriber: Subscriber) -> Profile:
    """Return what a subscriber asked for, with the place their postal code stands for."""
    place = locate(subscriber.country, subscriber.postal_code, "")
    return Profile(
        interests=tuple(subscriber.interests or ()),
        age_years=subscriber.age_years,
        location=(place.lat, place.lon) if place else None,
    )


# What matching reads of a trial and its sites. The registry record stays in the database: at
# 100,000 trials, loading every trial whole took 50 s and 3 GB; a digest reloads the few trials
# it announces (`digest_items`), whose ages its email says in the record's units.
MATCHED = (
    load_only(
        Trial.nct_id,
        Trial.brief_title,
        Trial.version,
        Trial.status,
        Trial.conditions,
        Trial.min_age_years,
        Trial.max_age_years,
    ),
    selectinload(Trial.sites).load_only(Site.facility, Site.city, Site.status, Site.lat, Site.lon),
)


def load_trials() -> list[Trial]:
    """Load the trials that may take people, with their sites, detached so that each commit
    does not reload them (matching passes over the others: `matching.new_matches`)."""
    query = select(Trial).where(Trial.status.in_(OPEN_STATUSES)).options(*MATCHED)
    trials = list(db.session.scalars(query))
    for trial in trials:
        db.session.expunge(trial)
    return trials


def unsubscribe_headers(subscriber: Subscriber) -> dict[str, str]:
    """Return the RFC 2369 and RFC 8058 headers that let mail apps unsubscribe in one click."""
    url = absolute_url(
        "alerts.one_click", lang=subscriber.language, token=unsubscribe_token(subscriber)
    )
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def distance_away(km: float, country: str) -> str:
    """Say how far a site is from a subscriber, in the unit of their country: 'about 35 km away',
    'less than 10 mi away' (rendered in the email's language)."""
    if local_distance(km, country)[0] < 10:
        return _("less than %(distance)s away", distance=distance_text(km, country, lambda _v: 10))
    return _("about %(distance)s away", distance=distance_text(km, country, round))


def digest_items(matches: list[Match], lang: str) -> list[dict]:
    """Describe each matching trial for the email: title in the reader's language, link, site."""
    content_dir = current_app.config["CONTENT_DIR"]
    announced = [match.trial.nct_id for match in matches]
    whole = db.session.scalars(select(Trial).where(Trial.nct_id.in_(announced)))
    trials = {trial.nct_id: trial for trial in whole}
    items = []
    for match in matches:
        trial = trials.get(match.trial.nct_id, match.trial)  # unless removed since
        content = load_content(content_dir, trial.nct_id, lang)
        items.append(
            {
                "trial": trial,
                "title": content.title if content and content.title else trial.brief_title,
                "title_lang": lang if content and content.title else "en",
                "url": absolute_url("trials.overview", lang=lang, nct_id=trial.nct_id),
                "site": match.site,
                "km": match.distance_km,
            }
        )
    return items


def alert_one(subscriber: Subscriber, trials: list[Trial], radius_km: float) -> tuple[int, int]:
    """Queue one subscriber's digest and log its trials; return (message id, trials) or (0, 0)."""
    already = select(AlertSent.nct_id, AlertSent.version).where(
        AlertSent.subscriber_id == subscriber.id
    )
    sent = {tuple(row) for row in db.session.execute(already)}
    matches = new_matches(profile_of(subscriber), trials, sent, radius_km)
    if not matches:
        return 0, 0
    lang = subscriber.language
    context = {
        "items": digest_items(matches, lang),
        "first": subscriber.last_alert_at is None,
        "country": subscriber.country,  # distances in its unit
        "unsubscribe_url": absolute_url(
            "alerts.unsubscribe", lang=lang, token=unsubscribe_token(subscriber)
        ),
    }
    headers = unsubscribe_headers(subscriber)
    message = queue_email(
        "alert_digest",
        subscriber.email,
        lang,
        context,
        headers=headers,
        about=(ABOUT, subscriber.id),
    )
    db.session.add_all(
        AlertSent(
            subscriber_id=subscriber.id, nct_id=match.trial.nct_id, version=match.trial.version
        )
        for match in matches
    )
    subscriber.last_alert_at = utcnow()
    try:
        db.session.commit()  # the email and its log entries stand or fall together
    except IntegrityError:
        db.session.rollback()  # a run at the same moment announced them already
        return 0, 0
    return message.id, len(matches)


def send_alerts() -> RunReport:
    """Queue a digest for every confirmed subscriber with news, then try to send them at once."""
    trials, radius = load_trials(), current_app.config["ALERT_RADIUS_KM"]
    report, queued = RunReport(), []
    confirmed = select(Subscriber.id).where(Subscriber.confirmed_at.is_not(None))
    for subscriber_id in db.session.scalars(confirmed.order_by(Subscriber.id)).all():
        subscriber = db.session.get(Subscriber, subscriber_id)
        if subscriber is None:  # unsubscribed while the run was going
            continue
        report.subscribers += 1
        message_id, count = alert_one(subscriber, trials, radius)
        if message_id:
            queued.append(message_id)
            report.emails, report.trials = report.emails + 1, report.trials + count
    log.info("alerts: %d digest(s) queued for %d trial(s)", report.emails, report.trials)
    report.sent_now = flush(queued) if queued else 0
    return report
