"""The questionnaire model: questions, options and display conditions, immutable.

Pure Python (no Flask), so the rules engine and its tests need no application.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeGuard

DEFAULT_WORDING = "default"


@dataclass(frozen=True)
class Phrase:
    """An English text with named placeholders, such as %(high)s, filled after translation."""

    msgid: str
    values: Mapping[str, object] = field(default_factory=dict, compare=False)

    def __str__(self) -> str:
        return self.msgid % dict(self.values)


# A text is one English string (or phrase), or one per respondent with an optional "default".
Text = str | Phrase | Mapping[str, str | Phrase]


@dataclass(frozen=True)
class Option:
    value: str
    label: Text
    verdict: str | None = None
    arm: str | None = None
    reason: Text = ""


@dataclass(frozen=True)
class Condition:
    """Show a question only when an earlier answer is among values or within bounds."""

    question: str
    values: frozenset | None = None
    at_least: int | None = None
    at_most: int | None = None
    when_unanswered: bool = False

    def holds(self, answer: object) -> bool:
        """Return whether the condition holds for this answer (None: not answered)."""
        if answer is None:
            return self.when_unanswered
        if self.values is not None and answer not in self.values:
            return False
        if self.at_least is not None and not (is_integer(answer) and answer >= self.at_least):
            return False
        return self.at_most is None or (is_integer(answer) and answer <= self.at_most)


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    text: Text
    help: Text = ""
    options: tuple[Option, ...] = ()
    shown_if: tuple[Condition, ...] = ()
    reason: Text = ""
    to_check: Text = ""
    minimum: int = 0
    maximum: int = 120
    passes_at_least: int | None = None
    passes_at_most: int | None = None
    # Answers that may pass or fail (a whole year that a limit in months cuts): the team checks.
    unsure: frozenset[int] = frozenset()
    by_value: Mapping[str, Option] = field(default_factory=dict, compare=False, repr=False)

    @property
    def decides(self) -> bool:
        """Return whether answers to this question can pass or fail the visitor."""
        if self.type == "integer":
            return self.passes_at_least is not None or self.passes_at_most is not None
        return any(option.verdict for option in self.options)


@dataclass(frozen=True)
class Questionnaire:
    trial: str
    questions: tuple[Question, ...]
    respondent_question: str | None = None
    arms: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    always_checks: tuple[Text, ...] = ()
    basic: bool = False  # built from the registry's age and sex limits, not written by hand
    by_id: Mapping[str, Question] = field(default_factory=dict, compare=False, repr=False)


def is_integer(value: object) -> TypeGuard[int]:
    """Return whether a value is an int and not a bool (JSON true is not an age)."""
    return isinstance(value, int) and not isinstance(value, bool)


def wording(text: Text, respondent: str | None) -> str | Phrase:
    """Pick the wording of a text for the person answering."""
    if isinstance(text, str | Phrase):
        return text
    return (
        text.get(respondent or DEFAULT_WORDING)
        or text.get(DEFAULT_WORDING)
        or next(iter(text.values()))
    )
