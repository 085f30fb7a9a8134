"""JSON API for partner sites: the questionnaire, and a result for a set of answers.

POST /prescreen stores nothing, so it needs no CSRF token.
"""

import json

from flask import Blueprint, jsonify, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from trialfinder.extensions import db
from trialfinder.lib.statuses import OPEN_STATUSES
from trialfinder.prescreen import services
from trialfinder.prescreen.engine import check_answers, evaluate, relevant_answers
from trialfinder.prescreen.model import Condition, Question
from trialfinder.trials.labels import status_reason
from trialfinder.trials.models import Trial
from trialfinder.web.i18n import api_language, current_locale
from trialfinder.web.security import csrf

bp = Blueprint("prescreen_api", __name__, url_prefix="/api/v1")
bp.before_request(api_language)

ERRORS = {
    "invalid_json": _l("The request body is not valid JSON."),
    "not_an_object": _l('The request body must be a JSON object with "answers" in it.'),
    "answers_not_object": _l('"answers" must be an object of question ids and answers.'),
    "unknown_question": _l("There is no question with this id."),
    "not_an_option": _l("This answer is not one of the options of the question."),
    "not_a_number": _l("The answer must be a whole number from %(minimum)s to %(maximum)s."),
    "unknown_respondent": _l("The respondent must be one of: %(values)s."),
    "bad_place": _l('"place" must be an object such as {"near": "28046", "country": "ES"}.'),
}


def error(code: str, field: str | None, **values):
    message = str(ERRORS[code])
    return jsonify(error=message % values if values else message, field=field), 400


def trial_questionnaire(nct_id: str):
    trial = db.session.get(Trial, nct_id.upper())
    return services.questionnaire_or_404(trial.nct_id if trial else "")


def condition_json(condition: Condition) -> dict:
    rule: dict = {"when_unanswered": condition.when_unanswered}
    if condition.values is not None:
        rule["in"] = sorted(condition.values)
    for bound in ("at_least", "at_most"):
        if getattr(condition, bound) is not None:
            rule[bound] = getattr(condition, bound)
    return rule


def question_json(question: Question, respondent: str | None) -> dict:
    return {
        "id": question.id,
        "text": services.say(question.text, respondent),
        "help": services.say(question.help, respondent),
        "type": question.type,
        "options": [
            {"value": value, "label": label}
            for value, label in services.choices(question, respondent)
        ],
        "shown_if": {c.question: condition_json(c) for c in question.shown_if} or None,
    }


@bp.get("/trials/<nct_id>/questionnaire")
def questionnaire(nct_id: str):
    """Return the questions, worded for ?respondent= (default: about "the patient")."""
    found = trial_questionnaire(nct_id)
    respondent = request.args.get("respondent")
    ref = found.by_id.get(found.respondent_question or "")
    if respondent is not None and (ref is None or respondent not in ref.by_value):
        values = ", ".join(ref.by_value) if ref else ""
        return error("unknown_respondent", "respondent", values=values)
    return jsonify(
        trial=found.trial,
        lang=current_locale(),
        questions=[question_json(question, respondent) for question in found.questions],
    )


@bp.post("/trials/<nct_id>/prescreen")
@csrf.exempt
def prescreen(nct_id: str):
    """Evaluate {"answers": {...}}; a missing answer counts as unknown.

    A study that takes nobody now or soon gets no result (409, and why, as its page says it):
    a partner would otherwise show "may fit" for a study nobody can join.
    """
    found = trial_questionnaire(nct_id)
    status = db.session.scalar(select(Trial.status).where(Trial.nct_id == found.trial))
    if status not in OPEN_STATUSES:
        return jsonify(error=status_reason(status or ""), field=None, status=status), 409
    try:
        body = json.loads(request.get_data(cache=False) or b"")
    except (ValueError, RecursionError):
        return error("invalid_json", None)
    if not isinstance(body, dict):
        return error("not_an_object", None)
    problem = check_answers(found, body.get("answers"))
    if problem is not None:
        bounds = {}
        if problem.code == "not_a_number":
            bounds = {"minimum": problem.question.minimum, "maximum": problem.question.maximum}
        return error(problem.code, problem.field, **bounds)
    place = body.get("place")
    if place is not None and not (
        isinstance(place, dict)
        and isinstance(place.get("near"), str)
        and isinstance(place.get("country", "ES"), str)
    ):
        return error("bad_place", "place")
    answers = relevant_answers(found, body["answers"])
    result = services.translated_findings(evaluate(found, answers))
    if place is not None:
        trial = db.session.get(Trial, found.trial)
        near, country = place["near"].strip()[:100], place.get("country", "ES").upper()[:2]
        result["nearest_site"] = services.distance_json(services.distance(trial, near, country))
    return jsonify(result)
