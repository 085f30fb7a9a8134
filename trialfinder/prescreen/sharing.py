"""What the visitor chose to share with the study team, and its summary for the staff email.

The contact form uses these: shared_answers() to know whether to attach a result,
reusable_answers() to fill in what the questionnaire already asked, staff_summary() to render
the result in the language of the study staff.
"""

from flask_babel import force_locale

from trialfinder.prescreen.engine import (
    evaluate,
    relevant_answers,
    valid_answers,
    visible_questions,
)
from trialfinder.prescreen.model import Questionnaire
from trialfinder.prescreen.services import (
    ANSWERS,
    FIT_LABELS,
    SHARED,
    answer_label,
    find_questionnaire,
    keep,
    kept,
    respondent_of,
    say,
)

# Staff read the questions worded for a doctor ("Does the patient ...").
STAFF_WORDING = "clinician"


def shared_answers(nct_id: str) -> dict | None:
    """Return the answers the visitor chose to share for a trial, or None."""
    answers = kept(SHARED, nct_id)
    if not isinstance(answers, dict):  # most visitors: no file to read
        return None
    questionnaire = find_questionnaire(nct_id)
    return None if questionnaire is None else valid_answers(questionnaire, answers)


def reusable_answers(nct_id: str) -> dict:
    """Return what the contact form may fill in from the questionnaire: who is answering."""
    stored = kept(ANSWERS, nct_id)
    if not isinstance(stored, dict):
        return {}
    questionnaire = find_questionnaire(nct_id)
    if questionnaire is None:
        return {}
    respondent = respondent_of(questionnaire, valid_answers(questionnaire, stored))
    return {"respondent": respondent} if respondent else {}


def share(nct_id: str, answers: dict) -> None:
    """Keep these answers for the contact form of a trial."""
    keep(SHARED, nct_id, dict(answers))


def forget_shared(nct_id: str) -> None:
    """Remove any answers shared for a trial."""
    keep(SHARED, nct_id, None)


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
