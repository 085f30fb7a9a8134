"""The rules engine: from answers to a preliminary fit, the reasons and what the team checks.

Pure Python, no Flask: texts come back as the English msgids of the questionnaire and
the caller translates them.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from trialfinder.prescreen.model import Question, Questionnaire, Text, is_integer


@dataclass(frozen=True)
class Finding:
    """One criterion and the sentence that explains it."""

    question: str
    text: Text


@dataclass(frozen=True)
class Evaluation:
    fit: str
    arm: str | None
    reasons: tuple[Finding, ...]
    to_check: tuple[Finding, ...]


@dataclass(frozen=True)
class AnswerProblem:
    """Why a set of answers cannot be evaluated, and which question it concerns."""

    code: str  # answers_not_object | unknown_question | not_an_option | not_a_number
    field: str | None
    question: Question | None = None


def visible_questions(questionnaire: Questionnaire, answers: Mapping) -> list[Question]:
    """Return the questions shown for these answers, in order."""
    shown = _shown(questionnaire, answers)
    return [question for question in questionnaire.questions if question.id in shown]


def most_questions(questionnaire: Questionnaire, answers: Mapping) -> int:
    """Return the most questions these answers can still lead to: the honest "of n" total.

    A question that others depend on and is not answered yet is tried with each answer that
    can change what is shown, so the total never grows as the visitor answers.
    """
    referenced = {c.question for q in questionnaire.questions for c in q.shown_if}
    questions = questionnaire.questions

    def count(start: int, seen: dict) -> int:
        total = 0
        for index in range(start, len(questions)):
            question = questions[index]
            if not all(c.holds(seen.get(c.question)) for c in question.shown_if):
                continue
            total += 1
            if question.id in referenced and answers.get(question.id) is None:
                tries = _answers_that_matter(questionnaire, question)
                return total + max(count(index + 1, seen | {question.id: a}) for a in tries)
            seen = seen | {question.id: answers.get(question.id)}
        return total

    return count(0, {})


def _answers_that_matter(questionnaire: Questionnaire, question: Question) -> list:
    """Return answers to a question that between them meet every condition that depends on it."""
    if question.type != "integer":
        return [option.value for option in question.options] or [None]
    tries = {question.minimum, question.maximum}
    for other in questionnaire.questions:
        for condition in other.shown_if:
            if condition.question == question.id:
                for bound in (condition.at_least, condition.at_most):
                    if bound is not None:
                        tries |= {bound - 1, bound, bound + 1}
    return sorted(t for t in tries if question.minimum <= t <= question.maximum)


def relevant_answers(questionnaire: Questionnaire, answers: Mapping) -> dict:
    """Return the answers to shown questions only: answers to hidden questions do not count."""
    shown = _shown(questionnaire, answers)
    return {qid: answers[qid] for qid in shown if answers.get(qid) is not None}


def _shown(questionnaire: Questionnaire, answers: Mapping) -> dict[str, None]:
    # A condition on a hidden question sees it as unanswered.
    shown: dict[str, None] = {}
    seen: dict[str, object] = {}
    for question in questionnaire.questions:
        if all(condition.holds(seen.get(condition.question)) for condition in question.shown_if):
            shown[question.id] = None
            seen[question.id] = answers.get(question.id)
    return shown


def verdict(question: Question, answer: object) -> tuple[str, Text]:
    """Return pass, fail or unknown for one answer, with the sentence that explains a fail."""
    if question.type == "integer":
        if not is_integer(answer) or answer in question.unsure:
            return "unknown", ""
        low, high = question.passes_at_least, question.passes_at_most
        ok = (low is None or answer >= low) and (high is None or answer <= high)
        return ("pass", "") if ok else ("fail", question.reason)
    option = question.by_value.get(answer) if isinstance(answer, str) else None
    if option is None or option.verdict is None:
        return "unknown", ""
    return option.verdict, option.reason or question.reason


def evaluate(questionnaire: Questionnaire, answers: Mapping) -> Evaluation:
    """Evaluate answers; a missing answer, or one outside the options, counts as unknown."""
    reasons, to_check, arms = [], [], set()
    shown = _shown(questionnaire, answers)
    for question in questionnaire.questions:
        if question.id not in shown:
            continue
        answer = answers.get(question.id)
        option = question.by_value.get(answer) if isinstance(answer, str) else None
        if option is not None and option.arm:
            arms.add(option.arm)
        if not question.decides:
            continue
        outcome, reason = verdict(question, answer)
        if outcome == "fail":
            reasons.append(Finding(question.id, reason))
        elif outcome == "unknown":
            to_check.append(Finding(question.id, question.to_check))
    fit = "unlikely" if reasons else "possible" if to_check else "likely"
    arm = arms.pop() if len(arms) == 1 and fit != "unlikely" else None
    return Evaluation(fit, arm, tuple(reasons), tuple(to_check))


def check_answers(questionnaire: Questionnaire, answers: object) -> AnswerProblem | None:
    """Return the first problem with answers sent from outside, or None when all are valid."""
    if not isinstance(answers, dict):
        return AnswerProblem("answers_not_object", "answers")
    for qid, answer in answers.items():
        question = questionnaire.by_id.get(qid)
        if question is None:
            return AnswerProblem("unknown_question", qid)
        if question.type == "integer":
            if not (is_integer(answer) and question.minimum <= answer <= question.maximum):
                return AnswerProblem("not_a_number", qid, question)
        elif not (isinstance(answer, str) and answer in question.by_value):
            return AnswerProblem("not_an_option", qid, question)
    return None


def valid_answers(questionnaire: Questionnaire, answers: Mapping) -> dict:
    """Keep only the answers that are valid now (a stored answer may predate an edit)."""
    return {
        qid: answer
        for qid, answer in answers.items()
        if check_answers(questionnaire, {qid: answer}) is None
    }


def next_question(questionnaire: Questionnaire, answers: Mapping, after: Question | None):
    """Return the first question shown after `after` (None: the first of all), or None."""
    start = questionnaire.questions.index(after) + 1 if after else 0
    shown = _shown(questionnaire, answers)
    return next((q for q in questionnaire.questions[start:] if q.id in shown), None)


def previous_question(questionnaire: Questionnaire, answers: Mapping, before: Question | None):
    """Return the last question shown before `before` (None: the last of all), or None."""
    end = questionnaire.questions.index(before) if before else len(questionnaire.questions)
    shown = _shown(questionnaire, answers)
    return next((q for q in reversed(questionnaire.questions[:end]) if q.id in shown), None)
