"""Creating, opening and purging shared notes; the passcode and the plain text are never kept."""

import hashlib
import json
import math
import re
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import format_number, ngettext
from flask_babel import lazy_gettext as _l
from itsdangerous import BadData
from sqlalchemy import delete, or_, update

from trialfinder.extensions import db
from trialfinder.lib.clock import utcnow
from trialfinder.lib.locales import LOCALES
from trialfinder.lib.nct import is_nct_id
from trialfinder.lib.plurals import Plural
from trialfinder.lib.signing import serializer
from trialfinder.notes import crypto
from trialfinder.notes.models import SharedNotes
from trialfinder.trials.models import Trial

MAX_NOTES, MAX_QUOTE, MAX_TEXT = 50, 1000, 2000
# The trial pages' notes panel enforces the same limits as the API, before anything is sent.
LIMITS = {"notes": MAX_NOTES, "quote": MAX_QUOTE, "text": MAX_TEXT}
VALID_FOR = timedelta(days=7)
# Wrong passcodes: the first few cost nothing, then each opens a refusal window that doubles, up
# to a minute. A stranger slows the guessing of a passcode with 80 bits, and never locks out the
# family: the right passcode opens as soon as the window has passed.
FREE_TRIES = 5
MAX_DELAY = 60
REVOKE_SALT = "trialfinder.notes.revoke"
# Room for the longest notes allowed, every character written as a 6-byte \uXXXX JSON escape.
BODY_LIMIT = MAX_NOTES * (MAX_QUOTE + MAX_TEXT) * 6 + 64 * 1024
# Control characters other than tab and newline are dropped: they are invisible and break pages.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

NOT_AN_OBJECT = _l("Please send the notes as a JSON object.")
UNKNOWN_TRIAL = _l("We do not know this trial.")
UNKNOWN_LANG = _l("This language is not offered.")
NOT_A_LIST = _l("Please send the notes as a list.")
NO_NOTES = _l("There is no note to send.")
TOO_MANY = Plural(
    lambda n: ngettext(
        "You can send at most %(max)s note at once.",
        "You can send at most %(max)s notes at once.",
        n,
        max=format_number(n),
    )
)
NOT_TEXT = _l("Each note needs a quoted passage and a text, written as text.")
EMPTY_NOTE = _l("A note cannot be empty.")
QUOTE_TOO_LONG = Plural(
    lambda n: ngettext(
        "A quoted passage can be at most %(max)s character long.",
        "A quoted passage can be at most %(max)s characters long.",
        n,
        max=format_number(n),
    )
)
TEXT_TOO_LONG = Plural(
    lambda n: ngettext(
        "A note can be at most %(max)s character long.",
        "A note can be at most %(max)s characters long.",
        n,
        max=format_number(n),
    )
)
BAD_CHARACTERS = _l("A note contains characters that cannot be kept.")


class InvalidNotes(Exception):
    """The notes cannot be accepted; `message` says why in plain words, `field` where."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


class NotesNotFound(Exception):
    """No notes were ever shared under this link (or they were purged)."""


class NotesGone(Exception):
    """The link expired."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class WrongPasscode(Exception):
    """The passcode does not open the notes; the next try waits `wait` seconds (0: none)."""

    def __init__(self, wait: int):
        super().__init__(wait)
        self.wait = wait


class TryLater(Exception):
    """A wrong passcode was tried moments ago: no try is taken for `seconds` more."""

    def __init__(self, seconds: int):
        super().__init__(seconds)
        self.seconds = max(1, seconds)


@dataclass(frozen=True)
class Draft:
    trial_id: str
    lang: str
    notes: list[dict]


@dataclass(frozen=True)
class Shared:
    token: str
    passcode: str
    expires_at: datetime
    revoke_key: str


@dataclass(frozen=True)
class Opened:
    trial_id: str
    lang: str
    notes: list[dict]
    expires_at: datetime


def clean_text(value: object, limit: int, too_long, field: str) -> str:
    """Return a note's text tidied, or raise InvalidNotes."""
    if not isinstance(value, str):
        raise InvalidNotes(str(NOT_TEXT), field)
    text = CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: JSON allows it, a page cannot show it
        raise InvalidNotes(str(BAD_CHARACTERS), field) from None
    if len(text) > limit:
        raise InvalidNotes(too_long % {"max": limit}, field)
    return text


def clean_note(note: object, index: int) -> dict:
    """Return one note as {"quote", "text"}, or raise InvalidNotes naming it."""
    where = f"notes[{index}]"
    if not isinstance(note, dict):
        raise InvalidNotes(str(NOT_TEXT), where)
    quote = clean_text(note.get("quote", ""), MAX_QUOTE, QUOTE_TOO_LONG, f"{where}.quote")
    text = clean_text(note.get("text", ""), MAX_TEXT, TEXT_TOO_LONG, f"{where}.text")
    if not quote and not text:
        raise InvalidNotes(str(EMPTY_NOTE), where)
    return {"quote": quote, "text": text}


def validate(payload: object) -> Draft:
    """Check a request body against the API contract; return the notes to share."""
    if not isinstance(payload, dict):
        raise InvalidNotes(str(NOT_AN_OBJECT))
    trial_id = payload.get("trial")
    if not isinstance(trial_id, str) or not is_nct_id(trial_id.strip().upper()):
        raise InvalidNotes(str(UNKNOWN_TRIAL), "trial")
    trial = db.session.get(Trial, trial_id.strip().upper())
    if trial is None:
        raise InvalidNotes(str(UNKNOWN_TRIAL), "trial")
    lang = payload.get("lang")
    if not isinstance(lang, str) or lang not in LOCALES:
        raise InvalidNotes(str(UNKNOWN_LANG), "lang")
    notes = payload.get("notes")
    if not isinstance(notes, list):
        raise InvalidNotes(str(NOT_A_LIST), "notes")
    if not notes:
        raise InvalidNotes(str(NO_NOTES), "notes")
    if len(notes) > MAX_NOTES:
        raise InvalidNotes(TOO_MANY % {"max": MAX_NOTES}, "notes")
    return Draft(trial.nct_id, lang, [clean_note(note, i) for i, note in enumerate(notes)])


def context(token: str, trial_id: str, lang: str) -> bytes:
    """Bind the ciphertext to its row: moving it to another link or trial breaks it."""
    return f"{token}|{trial_id}|{lang}".encode()


def share(draft: Draft) -> Shared:
    """Encrypt and store the notes; return the link token and the passcode, shown once."""
    token, passcode, now = secrets.token_urlsafe(24), crypto.new_passcode(), utcnow()
    plaintext = json.dumps({"notes": draft.notes}, ensure_ascii=False).encode("utf-8")
    sealed = crypto.seal(plaintext, passcode, context(token, draft.trial_id, draft.lang))
    row = SharedNotes(
        id=token,
        trial_id=draft.trial_id,
        lang=draft.lang,
        salt=sealed.salt,
        nonce=sealed.nonce,
        ciphertext=sealed.ciphertext,
        created_at=now,
        expires_at=now + VALID_FOR,
    )
    db.session.add(row)
    db.session.commit()
    return Shared(token, passcode, row.expires_at, revoke_key(token))


def _revoke_serializer():
    return serializer(current_app.secret_key, REVOKE_SALT, time.time, digest_method=hashlib.sha256)


def revoke_key(token: str) -> str:
    """Return the creator's proof for deleting the notes: signed, shown once, never stored."""
    return _revoke_serializer().dumps(token)


def may_revoke(token: str, key: str) -> bool:
    """Whether a key is the creator's proof for these notes."""
    try:
        return _revoke_serializer().loads(key) == token
    except (BadData, TypeError, ValueError):
        return False


def revoke(token: str, key: str) -> bool:
    """Delete the notes when the key is the creator's; return whether they were deleted."""
    if not may_revoke(token, key):
        return False
    deleted = db.session.execute(delete(SharedNotes).where(SharedNotes.id == token)).rowcount
    db.session.commit()
    return deleted == 1


def find(token: str) -> SharedNotes:
    """Return the notes behind a link that can still be opened, or raise why not."""
    row = db.session.get(SharedNotes, token) if len(token) <= 64 else None
    if row is None:
        raise NotesNotFound
    if row.expires_at <= utcnow():
        raise NotesGone("expired")
    return row


def delay_after(failures: int) -> int:
    """Return the seconds the next try waits after this many wrong passcodes in a row."""
    if failures < FREE_TRIES:
        return 0
    return min(2 ** (failures - FREE_TRIES), MAX_DELAY)


def _change_attempts(token: str, *conditions, **values) -> bool:
    result = db.session.execute(
        update(SharedNotes)
        .where(SharedNotes.id == token, *conditions)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def open_notes(token: str, passcode: str) -> Opened:
    """Decrypt the notes with the passcode; a wrong one opens a short refusal window."""
    row = find(token)
    trial_id, lang, expires_at = row.trial_id, row.lang, row.expires_at
    sealed, seen, now = (
        crypto.Sealed(row.salt, row.nonce, row.ciphertext),
        row.failed_attempts,
        utcnow(),
    )
    if row.blocked_until is not None and row.blocked_until > now:
        raise TryLater(math.ceil((row.blocked_until - now).total_seconds()))
    # Each try is taken in one UPDATE, as if wrong: parallel guesses cannot skip the window.
    taken = _change_attempts(
        token,
        SharedNotes.failed_attempts == seen,
        or_(SharedNotes.blocked_until.is_(None), SharedNotes.blocked_until <= now),
        SharedNotes.expires_at > now,
        failed_attempts=seen + 1,
        blocked_until=now + timedelta(seconds=delay_after(seen + 1)),
    )
    if not taken:
        raise TryLater(1)  # another try on this link is being checked right now
    try:
        plaintext = crypto.unseal(sealed, passcode, context(token, trial_id, lang))
    except crypto.WrongPasscode:
        raise WrongPasscode(delay_after(seen + 1)) from None
    _change_attempts(token, failed_attempts=0, blocked_until=None)  # the right one clears all
    return Opened(trial_id, lang, json.loads(plaintext)["notes"], expires_at)


def purge(now: datetime | None = None) -> int:
    """Delete expired notes; return how many links were removed."""
    expired = SharedNotes.expires_at <= (now or utcnow())
    result = db.session.execute(delete(SharedNotes).where(expired))
    db.session.commit()
    return result.rowcount
