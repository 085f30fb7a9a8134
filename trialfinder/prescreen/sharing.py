"""Answers a visitor chose to share with a lead.

A minimal stand-in with the agreed interface, so that the contact form runs and is tested on its own
branch; the questionnaire's own module replaces it at merge.
"""

from flask import session

SESSION_KEY = "prescreen_shared"


def shared_answers(nct_id: str) -> dict | None:
    """Return the answers attached to this trial in the session, or None."""
    answers = (session.get(SESSION_KEY) or {}).get(nct_id)
    return dict(answers) if isinstance(answers, dict) and answers else None


def forget_shared(nct_id: str) -> None:
    """Drop this trial's shared answers from the session."""
    shared = dict(session.get(SESSION_KEY) or {})
    if shared.pop(nct_id, None) is not None:
        session[SESSION_KEY] = shared


def staff_summary(nct_id: str, answers: dict, lang: str) -> dict:
    """Summarize shared answers for the study staff (raw ids as labels in this stand-in)."""
    return {
        "fit": "",
        "fit_code": "unknown",
        "arm": None,
        "reasons": [],
        "to_check": [],
        "answers": [(str(question), str(value)) for question, value in answers.items()],
    }
