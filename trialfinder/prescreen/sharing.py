"""What the visitor chose to share with the study team, and its summary for the staff email.

The contact form uses these: shared_answers() to know whether to attach a result,
staff_summary() to render it in the language of the study staff.
"""

from flask import session
from flask_babel import force_locale

from .engine import evaluate, relevant_answers, valid_answers, visible_questions
from .model import Questionnaire
from .services import FIT_LABELS, SHARED_KEY, answer_label, find_questionnaire, say

# Staff read the questions worded for a doctor ("Does the patient ...").
STAFF_WORDING = "clinician"


def shared_answers(nct_id: str) -> dict | None:
    """Return the answers the visitor chose to share for a trial, or None."""
    answers = session.get(SHARED_KEY, {}).get(nct_id)
    if not isinstance(answers, dict):  # most visitors: no file to read
        return None
    questionnaire = find_questionnaire(nct_id)
    return None if questionnaire is None else valid_answers(questionnaire, answers)


def share(nct_id: str, answers: dict) -> None:
    """Keep these answers for the contact form of a trial."""
    session[SHARED_KEY] = session.get(SHARED_KEY, {}) | {nct_id: dict(answers)}


def forget_shared(nct_id: str) -> None:
    """Remove any answers shared for a trial."""
    stored = dict(session.get(SHARED_KEY, {}))
    if stored.pop(nct_id, None) is not None:
        session[SHARED_KEY] = stored


def staff_summary(nct_id: str, answers: dict, lang: str) -> dict:
    """Return the result and the answers in `lang`, for the study staff email."""
    questionnaire = find_questionnaire(nct_id)
    if questionnaire is None:
        raise LookupError(f"{nct_id} has no questionnaire")
    answers = relevant_answers(questionnaire, valid_answers(questionnaire, answers))
    with force_locale(lang):
        return _summary(questionnaire, answers)


def _summary(questionnaire: Questionnaire, answers: dict) -> dict:
    evaluation = evaluate(questionnaire, answers)
    return {
        "fit": str(FIT_LABELS[evaluation.fit]),
        "fit_code": evaluation.fit,
        "arm": evaluation.arm,
        "reasons": [say(finding.text) for finding in evaluation.reasons],
        "to_check": [say(finding.text) for finding in evaluation.to_check],
        "answers": [
            (
                say(question.text, STAFF_WORDING),
                answer_label(question, answers.get(question.id), STAFF_WORDING),
            )
            for question in visible_questions(questionnaire, answers)
        ],
    }
