"""Questionnaire state in a test client's cookie, sealed and opened as the site does it."""

import time

from tests.conftest import NCT
from trialfinder.lib import sealing
from trialfinder.prescreen.model import Phrase
from trialfinder.prescreen.services import STATE_KEY, STATE_MAX_AGE, STATE_PURPOSE


def read_state(client, app) -> dict:
    """Return the sealed state in the client's cookie, opened: {"answers": ..., "shared": ...}."""
    with client.session_transaction() as session:
        token = session.get(STATE_KEY)
    opened = sealing.unseal((app.secret_key,), STATE_PURPOSE, token, STATE_MAX_AGE, time.time())
    return opened or {}


def put_state(client, app, answers=None, shared=None, nct: str = NCT, at=None) -> None:
    """Seal answers (and answers shared with the team) for a trial into the client's cookie."""
    state = {}
    if answers is not None:
        state["answers"] = {nct: answers}
    if shared is not None:
        state["shared"] = {nct: shared}
    token = sealing.seal((app.secret_key,), STATE_PURPOSE, state, time.time() if at is None else at)
    with client.session_transaction() as session:
        session[STATE_KEY] = token


def all_wordings(text) -> list[str]:
    """Return every wording of a questionnaire text (a string, or one per respondent)."""
    return [text] if isinstance(text, str | Phrase) else list(text.values())
