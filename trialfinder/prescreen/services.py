"""The questionnaire inside a request: find it, word and translate it, keep answers in the session.

Answers live only in the visitor's session cookie, never in the database, and sealed there
(encrypted, authenticated, expiring: see sealing.py), so nobody holding the cookie can read them.
"""

import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask import abort, current_app, g, session
from flask_babel import format_decimal, format_number
from flask_babel import gettext as translate
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from trialfinder.config import ROOT
from trialfinder.extensions import db
from trialfinder.lib import sealing
from trialfinder.lib.ages import Age
from trialfinder.lib.files import trial_folder
from trialfinder.lib.geo import Place, locate, nearest_site
from trialfinder.lib.nct import is_nct_id
from trialfinder.prescreen import basic
from trialfinder.prescreen.engine import (
    Evaluation,
    evaluate,
    relevant_answers,
    valid_answers,
    visible_questions,
)
from trialfinder.prescreen.model import Phrase, Question, Questionnaire, Text, wording
from trialfinder.prescreen.questionnaire import QuestionnaireError, load_questionnaire
from trialfinder.trials.content import is_draft_locale
from trialfinder.trials.labels import age_phrase
from trialfinder.trials.models import Trial
from trialfinder.trials.nearby import rounded_km
from trialfinder.web.i18n import current_locale

BASIC_TEMPLATE = Path("prescreen") / "basic.yaml"
# One sealed value in the session: {"answers": {nct_id: answers}, "shared": {nct_id: answers}}.
STATE_KEY = "prescreen"
STATE_PURPOSE = "prescreen answers"
# Answers left alone this long are forgotten (each answer seals them again from that moment).
STATE_MAX_AGE = 6 * 60 * 60
# Before answers were sealed, shared answers sat readable under this key: dropped when seen.
LEGACY_SHARED_KEY = "prescreen_shared"
ANSWERS, SHARED = "answers", "shared"

FIT_LABELS = {
    "likely": _l("This study may fit"),
    "possible": _l("This study might fit"),
    "unlikely": _l("This study probably does not fit"),
}
NOT_ANSWERED = _l("Not answered")


def find_questionnaire(nct_id: str) -> Questionnaire | None:
    """Return the questionnaire of a trial: its own, else the basic one; None when not imported."""
    if not is_nct_id(nct_id):
        return None
    content_dir = current_app.config["CONTENT_DIR"]
    path = trial_folder(content_dir, nct_id) / "questionnaire.yaml"
    questionnaire = load_questionnaire(path)
    if questionnaire is None or is_draft_locale(content_dir, nct_id, current_locale()):
        # A scaffold still being written: the translated basic pre-screen until it is complete.
        return basic_questionnaire(nct_id)
    if questionnaire.trial != nct_id:
        raise QuestionnaireError(f"{path}: 'trial' says {questionnaire.trial}, not {nct_id}")
    return questionnaire


def basic_template_path() -> Path:
    """Return the basic pre-screen's template: the content folder's, else the shipped one."""
    path = Path(current_app.config["CONTENT_DIR"]) / BASIC_TEMPLATE
    return path if path.is_file() else ROOT / "content" / BASIC_TEMPLATE


def basic_questionnaire(nct_id: str) -> Questionnaire | None:
    """Return the basic pre-screen of an imported trial, built again only when a source changes."""
    version = db.session.scalar(select(Trial.version).where(Trial.nct_id == nct_id))
    if version is None:
        return None
    path = basic_template_path()
    return _basic(nct_id, version, path, path.stat().st_mtime)


@lru_cache(maxsize=256)
def _basic(nct_id: str, _version: str, path: Path, _mtime: float) -> Questionnaire:
    trial = db.session.get(Trial, nct_id)
    limits = basic.limits_of(
        nct_id, trial.record, trial.conditions, trial.min_age_years, trial.max_age_years
    )
    return basic.build(basic.load_template(path), limits)


def questionnaire_or_404(nct_id: str) -> Questionnaire:
    questionnaire = find_questionnaire(nct_id)
    if questionnaire is None:
        abort(404)
    return questionnaire


def has_questionnaire(nct_id: str) -> bool:
    """Tell templates whether to offer the questionnaire for a trial."""
    return find_questionnaire(nct_id) is not None


def said(value: object) -> object:
    """A value as a text shows it: an age in its unit and plural, a number in the locale."""
    if isinstance(value, Age):
        return age_phrase(value)
    return format_decimal(value) if isinstance(value, int | float) else value


def say(text: Text, respondent: str | None = None) -> str:
    """Return a questionnaire text worded for the respondent, in the current locale."""
    if not text:
        return ""
    chosen = wording(text, respondent)
    if isinstance(chosen, Phrase):
        values = {name: said(value) for name, value in chosen.values.items()}
        return translate(chosen.msgid, **values)
    return translate(chosen)


def respondent_of(questionnaire: Questionnaire, answers: dict) -> str | None:
    ref = questionnaire.respondent_question
    return answers.get(ref) if ref else None


def choices(question: Question, respondent: str | None) -> list[tuple[str, str]]:
    """Return (value, translated label) for each option of a question."""
    return [(option.value, say(option.label, respondent)) for option in question.options]


def answer_label(question: Question, answer: object, respondent: str | None) -> str:
    """Return how an answer reads in the current locale."""
    if answer is None:
        return str(NOT_ANSWERED)
    if question.type == "integer":
        return format_number(answer)
    option = question.by_value.get(answer)
    return say(option.label, respondent) if option else str(NOT_ANSWERED)


def translated_findings(evaluation: Evaluation) -> dict:
    """Return the evaluation as the API shows it, its sentences translated."""
    return {
        "fit": evaluation.fit,
        "arm": evaluation.arm,
        "reasons": [{"question": f.question, "text": say(f.text)} for f in evaluation.reasons],
        "to_check": [{"question": f.question, "text": say(f.text)} for f in evaluation.to_check],
    }


def report(questionnaire: Questionnaire, answers: dict) -> dict:
    """Return everything a result page or summary shows, translated."""
    relevant = relevant_answers(questionnaire, answers)
    respondent = respondent_of(questionnaire, relevant)
    result = translated_findings(evaluate(questionnaire, relevant))
    arm = questionnaire.arms.get(result["arm"]) if result["arm"] else None
    return result | {
        "basic": questionnaire.basic,
        "fit_label": str(FIT_LABELS[result["fit"]]),
        "arm_label": say(arm["label"]) if arm else "",
        "arm_description": say(arm["description"]) if arm else "",
        "always_checks": [say(text) for text in questionnaire.always_checks],
        "answers": [
            (
                say(question.text, respondent),
                answer_label(question, relevant.get(question.id), respondent),
            )
            for question in visible_questions(questionnaire, relevant)
        ],
    }


def secret_keys() -> tuple:
    return (current_app.secret_key, *(current_app.config.get("SECRET_KEY_FALLBACKS") or ()))


def _state() -> dict:
    """Return this visitor's sealed state, opened once a request; expired or altered: empty."""
    if "prescreen_state" not in g:
        token = session.get(STATE_KEY)
        opened = sealing.unseal(secret_keys(), STATE_PURPOSE, token, STATE_MAX_AGE, time.time())
        g.prescreen_state = opened if isinstance(opened, dict) else {}
    return g.prescreen_state


def kept(part: str, nct_id: str) -> object:
    """Return what is kept for a trial in one part of the state (answers, shared), unchecked."""
    held = _state().get(part)
    return held.get(nct_id) if isinstance(held, dict) else None


def keep(part: str, nct_id: str, value: dict | None) -> None:
    """Keep (or with None, forget) a trial's value in one part of the state, sealed again."""
    state = {name: dict(held) for name, held in _state().items() if isinstance(held, dict)}
    held = state.setdefault(part, {})
    if value is None and nct_id not in held:
        return
    if value is None:
        del held[nct_id]
    else:
        held[nct_id] = value
    state = {name: held for name, held in state.items() if held}
    g.prescreen_state = state
    session.pop(LEGACY_SHARED_KEY, None)
    if state:
        session[STATE_KEY] = sealing.seal(secret_keys(), STATE_PURPOSE, state, time.time())
    else:
        session.pop(STATE_KEY, None)


def saved_answers(questionnaire: Questionnaire) -> dict:
    """Return this visitor's answers for a trial, keeping only those still valid."""
    stored = kept(ANSWERS, questionnaire.trial)
    return valid_answers(questionnaire, stored) if isinstance(stored, dict) else {}


def stored_answers(nct_id: str) -> object:
    """Return this visitor's answers for a trial as stored, unchecked (for cache keys)."""
    return kept(ANSWERS, nct_id.upper())


def save_answer(questionnaire: Questionnaire, question: Question, answer: object) -> dict:
    """Store one answer; drop answers to questions that are now hidden."""
    answers = saved_answers(questionnaire) | {question.id: answer}
    answers = relevant_answers(questionnaire, answers)
    keep(ANSWERS, questionnaire.trial, answers)
    return answers


def clear_answers(nct_id: str) -> None:
    """Forget this visitor's answers for a trial."""
    keep(ANSWERS, nct_id, None)


@dataclass(frozen=True)
class Distance:
    """Where the visitor is (None: not found) and the nearest recruiting site, if any."""

    place: Place | None
    site: object | None = None
    km: float | None = None


def distance(trial: Trial, near: str, country: str) -> Distance:
    """Return the nearest recruiting site of a trial from a postal code or town."""
    place = locate(country, near, near)
    if place is None:
        return Distance(None)
    nearest = nearest_site(trial.sites, place.lat, place.lon)
    return Distance(place, *nearest) if nearest else Distance(place)


def distance_json(found: Distance) -> dict | None:
    """Return the nearest site as the API shows it, or None when the place is unknown."""
    if found.place is None:
        return None
    site = found.site
    return {
        "place": found.place.label,
        "facility": site.facility if site else None,
        "city": site.city if site else None,
        "km": rounded_km(found.km) if site else None,
    }
