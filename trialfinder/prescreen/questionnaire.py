"""Read a trial's questionnaire.yaml and check it, so a sponsor learns at once what is wrong.

Pure Python (no Flask). The file format is described at the top of
content/trials/NCT06709469/questionnaire.yaml.
"""

import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypedDict

import yaml

from trialfinder.lib.files import ContentFiles, read_yaml, yaml_problem
from trialfinder.prescreen.model import (
    DEFAULT_WORDING,
    Condition,
    Option,
    Question,
    Questionnaire,
    Text,
)

VERDICTS = frozenset({"pass", "fail", "unknown"})
TYPES = frozenset({"choice", "integer"})
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Question ids are path segments beside these pages.
RESERVED_IDS = frozenset({"result", "summary", "restart"})
QUOTE_HINT = 'put yes, no, on and off in quotes ("yes"): without them YAML reads true or false'
CONDITION_KEYS = frozenset({"in", "at_least", "at_most", "when_unanswered"})


class QuestionnaireError(ValueError):
    """The YAML does not describe a usable questionnaire; the message says where."""


class Context(TypedDict):
    """What every question may refer to: the wording variants and the arms."""

    respondents: frozenset[str]
    arms: Mapping[str, Mapping[str, str]]


class Rules(TypedDict, total=False):
    """The fields of a Question that its rules set (the integer ones only for an integer)."""

    minimum: int
    maximum: int
    passes_at_least: int | None
    passes_at_most: int | None
    unsure: frozenset[int]
    reason: Text
    to_check: Text


def require(ok: object, where: str, problem: str) -> None:
    if not ok:
        raise QuestionnaireError(f"{where}: {problem}")


def mapping(raw: object, where: str, problem: str) -> dict[Any, Any]:
    """Return a YAML mapping as it is, or raise the problem when raw is something else."""
    if not isinstance(raw, dict):
        raise QuestionnaireError(f"{where}: {problem}")
    return raw


def identifier(raw: object, where: str, problem: str) -> str:
    """Return an id or an option value like 'age_years', or raise the problem."""
    if not isinstance(raw, str) or not ID_PATTERN.match(raw):
        raise QuestionnaireError(f"{where}: {problem}")
    return raw


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def parse_text(
    raw: object, where: str, respondents: frozenset[str], optional: bool = False
) -> Text:
    """Return a plain text or a per-respondent mapping, checked."""
    if optional and raw in (None, ""):
        return ""
    require(not isinstance(raw, bool), where, QUOTE_HINT)
    if isinstance(raw, str):
        require(raw.strip(), where, "is empty")
        return raw.strip()
    raw = mapping(raw, where, "must be a text or one text per respondent")
    require(raw, where, "must be a text or one text per respondent")
    keys = set(raw)
    require(keys <= respondents | {DEFAULT_WORDING}, where, f"unknown respondents {keys}")
    require(DEFAULT_WORDING in keys or keys >= respondents, where, "needs 'default'")
    for key, value in raw.items():
        require(isinstance(value, str) and value.strip(), f"{where}.{key}", "is empty")
    return MappingProxyType({key: value.strip() for key, value in raw.items()})


def parse_option(raw: object, where: str, context: Context) -> Option:
    raw = mapping(raw, where, "must be a mapping")
    verdict, arm = raw.get("verdict"), raw.get("arm")
    require(not isinstance(raw.get("value"), bool), where, QUOTE_HINT)
    value = identifier(raw.get("value"), where, "needs a value like 'yes'")
    require(verdict is None or verdict in VERDICTS, where, f"verdict must be one of {VERDICTS}")
    require(arm is None or arm in context["arms"], where, f"arm {arm!r} is not under 'arms'")
    label = parse_text(raw.get("label"), f"{where}.label", context["respondents"])
    reason = parse_text(raw.get("reason"), f"{where}.reason", frozenset(), optional=True)
    return Option(value, label, verdict, arm, reason)


def parse_condition(
    ref: object, raw: object, where: str, earlier: Mapping[str, Question]
) -> Condition:
    if not isinstance(ref, str) or ref not in earlier:
        raise QuestionnaireError(f"{where}: {ref!r} is not an earlier question")
    target = earlier[ref]
    if isinstance(raw, list):
        raw = {"in": raw}
    raw = mapping(raw, where, "bad condition")
    require(set(raw) <= CONDITION_KEYS, where, "bad condition")
    values = raw.get("in")
    if values is not None:
        require(isinstance(values, list) and values, where, "'in' needs a list of values")
        require(all(isinstance(value, str) for value in values), where, "values are words")
        require(set(values) <= set(target.by_value), where, f"values not options of {ref}")
    bounds = (raw.get("at_least"), raw.get("at_most"))
    for bound in bounds:
        require(bound is None or (is_int(bound) and target.type == "integer"), where, "bad bound")
    unanswered = raw.get("when_unanswered", False)
    require(isinstance(unanswered, bool), where, "'when_unanswered' must be true or false")
    chosen = frozenset(values) if values is not None else None
    return Condition(ref, chosen, bounds[0], bounds[1], unanswered)


def parse_rules(
    raw: Mapping[str, Any], where: str, kind: str, options: tuple[Option, ...]
) -> Rules:
    """Return the integer bounds and the pass range; check that deciding questions explain."""
    rules: Rules = {}
    if kind == "integer":
        rules["minimum"], rules["maximum"] = raw.get("minimum", 0), raw.get("maximum", 120)
        require(is_int(rules["minimum"]) and is_int(rules["maximum"]), where, "bad bounds")
        require(rules["minimum"] <= rules["maximum"], where, "minimum is above maximum")
        passes = raw.get("passes") or {}
        require(isinstance(passes, dict), where, "'passes' takes at_least and/or at_most")
        require(
            set(passes) <= {"at_least", "at_most", "unsure"},
            where,
            "'passes' takes at_least, at_most and unsure",
        )
        bounds = {key: passes[key] for key in ("at_least", "at_most") if key in passes}
        require(all(is_int(bound) for bound in bounds.values()), where, "bounds are whole numbers")
        unsure = passes.get("unsure", [])
        require(
            isinstance(unsure, list) and all(is_int(value) for value in unsure),
            where,
            "'unsure' lists whole numbers",
        )
        rules["passes_at_least"] = bounds.get("at_least")
        rules["passes_at_most"] = bounds.get("at_most")
        rules["unsure"] = frozenset(unsure)
        decides = bool(bounds)
        fails_without_reason = decides
    else:
        require(len(options) >= 2, where, "a choice needs at least two options")
        values = [option.value for option in options]
        require(len(set(values)) == len(values), where, "option values repeat")
        verdicts = [option.verdict for option in options]
        require(all(verdicts) or not any(verdicts), where, "give every option a verdict or none")
        decides = any(verdicts)
        fails_without_reason = any(o.verdict == "fail" and not o.reason for o in options)
    rules["reason"] = parse_text(raw.get("reason"), f"{where}.reason", frozenset(), True)
    rules["to_check"] = parse_text(raw.get("to_check"), f"{where}.to_check", frozenset(), True)
    require(not fails_without_reason or rules["reason"], where, "needs a 'reason'")
    require(not decides or rules["to_check"], where, "needs a 'to_check' sentence")
    return rules


def parse_question(
    raw: object, index: int, context: Context, earlier: Mapping[str, Question]
) -> Question:
    where = f"questions[{index}]"
    raw = mapping(raw, where, "must be a mapping")
    qid = identifier(raw.get("id"), where, "needs an id like 'age_years'")
    kind = raw.get("type", "choice")
    where = f"question {qid}"
    require(qid not in earlier and qid not in RESERVED_IDS, where, "id is repeated or reserved")
    require(kind in TYPES, where, f"type must be one of {sorted(TYPES)}")
    require(kind == "choice" or not raw.get("options"), where, "only a choice has options")
    options = tuple(
        parse_option(option, f"{where}.options[{n}]", context)
        for n, option in enumerate(raw.get("options") or [])
    )
    shown_if = raw.get("shown_if") or {}
    require(isinstance(shown_if, dict), where, "shown_if must be a mapping")
    return Question(
        id=qid,
        type=kind,
        text=parse_text(raw.get("text"), f"{where}.text", context["respondents"]),
        help=parse_text(raw.get("help"), f"{where}.help", context["respondents"], True),
        options=options,
        shown_if=tuple(
            parse_condition(ref, cond, f"{where}.shown_if", earlier)
            for ref, cond in shown_if.items()
        ),
        by_value=MappingProxyType({option.value: option for option in options}),
        **parse_rules(raw, where, kind, options),
    )


def respondent_values(raw: Mapping[str, Any]) -> frozenset[str]:
    """Return the values of the respondent question, which name the wording variants."""
    ref = raw.get("respondent_question")
    if ref is None:
        return frozenset()
    for question in raw.get("questions") or []:
        if isinstance(question, dict) and question.get("id") == ref:
            options = [o for o in question.get("options") or [] if isinstance(o, dict)]
            return frozenset(str(option.get("value")) for option in options)
    raise QuestionnaireError(f"respondent_question: no question {ref!r}")


def parse_arms(raw: object) -> Mapping[str, Mapping[str, str]]:
    raw = mapping(raw, "arms", "must map an arm name to its label and description")
    for name, arm in raw.items():
        for key in ("label", "description"):
            require(isinstance(arm, dict) and arm.get(key), f"arms.{name}", f"needs a {key}")
    return MappingProxyType({str(name): MappingProxyType(arm) for name, arm in raw.items()})


def parse_questionnaire(raw: object) -> Questionnaire:
    """Build a questionnaire from parsed YAML, or raise QuestionnaireError saying what is wrong."""
    raw = mapping(raw, "file", "must be a mapping with 'trial' and 'questions'")
    require(isinstance(raw.get("trial"), str), "trial", "needs the registry number")
    require(isinstance(raw.get("questions"), list) and raw["questions"], "questions", "missing")
    context = Context(respondents=respondent_values(raw), arms=parse_arms(raw.get("arms") or {}))
    questions: dict[str, Question] = {}
    for index, item in enumerate(raw["questions"]):
        question = parse_question(item, index, context, questions)
        questions[question.id] = question
    respondent = raw.get("respondent_question")
    require(
        respondent is None or not questions[respondent].decides,
        "respondent_question",
        "must only choose the wording, never decide",
    )
    checks = raw.get("always_checks") or []
    require(isinstance(checks, list), "always_checks", "must be a list of sentences")
    return Questionnaire(
        trial=raw["trial"],
        questions=tuple(questions.values()),
        respondent_question=respondent,
        arms=context["arms"],
        always_checks=tuple(
            parse_text(item, f"always_checks[{n}]", frozenset()) for n, item in enumerate(checks)
        ),
        by_id=MappingProxyType(questions),
    )


def read_questionnaire(path: Path) -> Questionnaire:
    """Read one questionnaire file; QuestionnaireError names the file when it is broken."""
    try:
        data = read_yaml(path)
    except yaml.YAMLError as error:
        raise QuestionnaireError(yaml_problem(path, error)) from None
    try:
        return parse_questionnaire(data)
    except QuestionnaireError as error:
        raise QuestionnaireError(f"{path}: {error}") from error


FILES = ContentFiles(read_questionnaire, (QuestionnaireError,))


def load_questionnaire(path: Path) -> Questionnaire | None:
    """Return the questionnaire in a file, None when there is none; re-read when it changes.

    An edit that breaks it keeps its last good version (lib/files.py); a file never read
    well is left out, and the trial gets the basic pre-screen from its record.
    """
    return FILES.get(path)
