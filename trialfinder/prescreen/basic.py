"""The basic pre-screen: a questionnaire built from a registry record's age and sex limits.

Pure Python (no Flask). The questions and their texts are in content/prescreen/basic.yaml; this
module keeps those that apply to a trial and fills in the rules from its record.
"""

import copy
import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from trialfinder.lib.ages import Age, age_from_years, record_ages
from trialfinder.lib.files import read_yaml
from trialfinder.prescreen.model import Phrase, Question, Questionnaire, Text
from trialfinder.prescreen.questionnaire import QuestionnaireError, parse_questionnaire

SEX_OPTIONS = {"FEMALE": "female", "MALE": "male"}  # registry code -> option value


@dataclass(frozen=True)
class Limits:
    """What a registry record says about who may take part, in structured fields."""

    nct_id: str
    min_age_years: float | None = None
    max_age_years: float | None = None
    sex: str = "ALL"
    healthy_volunteers: bool = False
    conditions: tuple[str, ...] = ()
    min_age: Age | None = None  # the same limits in the record's own units, for the texts
    max_age: Age | None = None


def limits_of(nct_id: str, record: Mapping, conditions=(), min_age=None, max_age=None) -> Limits:
    """Return the limits of a trial from its imported columns and its raw registry record."""
    eligibility = (record.get("protocolSection") or {}).get("eligibilityModule") or {}
    sex = str(eligibility.get("sex") or "ALL").upper()
    low, high = record_ages(record)
    return Limits(
        nct_id=nct_id,
        min_age_years=min_age,
        max_age_years=max_age,
        min_age=low if low is not None else age_from_years(min_age),
        max_age=high if high is not None else age_from_years(max_age),
        sex=sex if sex in SEX_OPTIONS else "ALL",
        healthy_volunteers=eligibility.get("healthyVolunteers") is True,
        conditions=tuple(str(condition).strip() for condition in conditions if condition),
    )


def age_rule(question: dict, limits: Limits) -> None:
    """Pass whole-year ages within the record's ages; name the limit broken.

    A limit in months cuts a year of life: an answer of that year may pass or fail, so the
    study team checks it (a baby of "0" and a trial from 6 months: "might fit", not "may fit").
    """
    low, high = limits.min_age_years, limits.max_age_years
    reasons = question.pop("reasons")
    passes: dict = {}
    unsure = set()  # a year of life that a limit in months cuts: the study team checks it
    if low:  # someone aged floor(low) in whole years may already be old enough
        passes["at_least"] = math.floor(low)
        if low != math.floor(low):
            unsure.add(math.floor(low))
    if high is not None:  # whole years above floor(high) are past the limit
        passes["at_most"] = math.floor(high)
        if high != math.floor(high):
            unsure.add(math.floor(high))
    if passes:
        kind = "between" if len(passes) == 2 else next(iter(passes))
        question["reason"] = reasons[kind]
        question["passes"] = passes | ({"unsure": sorted(unsure)} if unsure else {})
    else:
        question.pop("to_check", None)


def sex_rule(question: dict, limits: Limits) -> None:
    """Pass the sex the record names, fail the other one; "not sure" stays unknown."""
    question["reason"] = question.pop("reasons")[limits.sex]
    wanted = SEX_OPTIONS[limits.sex]
    for option in question["options"]:
        value = option["value"]
        option["verdict"] = (
            "pass" if value == wanted else "unknown" if value == "unknown" else "fail"
        )


def applicable(questions: list[dict], limits: Limits) -> list[dict]:
    """Return the template questions that apply to this trial, with their rules filled in."""
    audience = "healthy_volunteers" if limits.healthy_volunteers else "patients"
    kept = []
    for question in copy.deepcopy(questions):
        if question.pop("for", audience) != audience:
            continue
        if question["id"] == "sex" and limits.sex == "ALL":
            continue
        if question["id"] == "age_years":
            age_rule(question, limits)
        elif question["id"] == "sex":
            sex_rule(question, limits)
        kept.append(question)
    return kept


def age_values(limits: Limits) -> dict[str, object]:
    """The ages the reasons name, each said in its unit with its plural ("6 months", "20 de ani").

    Between two ages in one unit the unit is said once, after the upper one: "18 to 65 years".
    """
    low = limits.min_age or age_from_years(limits.min_age_years)
    high = limits.max_age or age_from_years(limits.max_age_years)
    if low and high and low.unit == high.unit:
        return {"low": low.value, "high": high}
    return {"low": low or 0, "high": high or 0}


def build(template: Mapping, limits: Limits) -> Questionnaire:
    """Build the basic questionnaire of a trial from the template and its record's limits."""
    raw = dict(template) | {"trial": limits.nct_id}
    if not limits.conditions:  # nothing to name: ask nothing about it
        raw["questions"] = [q for q in template["questions"] if q.get("id") != "has_condition"]
    raw["questions"] = applicable(raw["questions"], limits)
    questionnaire = parse_questionnaire(raw)
    values = {
        **age_values(limits),
        "conditions": "; ".join(limits.conditions),
    }
    questions = tuple(with_values(question, values) for question in questionnaire.questions)
    return dataclasses.replace(
        questionnaire,
        questions=questions,
        basic=True,
        by_id={question.id: question for question in questions},
    )


def filled(text: Text, values: Mapping) -> Text:
    """Turn a text with %(name)s placeholders into a Phrase that carries the values."""
    if isinstance(text, Mapping):
        return {key: filled_wording(value, values) for key, value in text.items()}
    return filled_wording(text, values)


def filled_wording(text: str | Phrase, values: Mapping) -> str | Phrase:
    """Fill one wording of a text (see `filled`)."""
    if isinstance(text, str) and "%(" in text:
        return Phrase(text, values)
    return text


def with_values(question: Question, values: Mapping) -> Question:
    """Return the question with the record's values attached to its texts."""
    options = tuple(
        dataclasses.replace(option, label=filled(option.label, values))
        for option in question.options
    )
    return dataclasses.replace(
        question,
        text=filled(question.text, values),
        help=filled(question.help, values),
        reason=filled(question.reason, values),
        to_check=filled(question.to_check, values),
        options=options,
        by_value={option.value: option for option in options},
    )


def load_template(path: Path) -> dict:
    """Read the template of the basic pre-screen."""
    try:
        data = read_yaml(path)
    except (OSError, yaml.YAMLError) as error:
        raise QuestionnaireError(f"{path}: cannot read the basic pre-screen: {error}") from error
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        raise QuestionnaireError(f"{path}: needs a list of 'questions'")
    return data
