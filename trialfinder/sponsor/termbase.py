"""The termbase: the register and, per concept, the preferred and forbidden words per locale."""

import re
from dataclasses import dataclass
from pathlib import Path

from trialfinder.lib.files import read_yaml

TERMBASE_FILE = Path("terms") / "terms.yaml"


@dataclass(frozen=True)
class Variant:
    """A wording one locale must not use, and the concept (or register) it belongs to."""

    concept: str
    words: str
    preferred: str
    pattern: re.Pattern
    literal: str | None = None  # the words in lower case, when the pattern is word_pattern's

    def used_in(self, text: str, lowered: str) -> bool:
        """Whether the text uses this variant (`lowered`: the text in lower case)."""
        # The words' letters must be there before the pattern can match: a quick look first.
        return (self.literal is None or self.literal in lowered) and bool(self.pattern.search(text))


# A locale whose register says `digits: western` writes 0-9, never Arabic-Indic digits.
EASTERN_DIGITS = Variant(
    "digits",
    "Arabic-Indic digits",
    "Western digits 0-9",
    re.compile("[\u0660-\u0669\u06f0-\u06f9]"),
)


def word_pattern(words: str) -> re.Pattern:
    """Match the words on their own, not inside longer words, ignoring case."""
    return re.compile(rf"(?<!\w){re.escape(words)}(?!\w)", re.IGNORECASE)


def load_termbase(content_dir: Path) -> dict:
    return read_yaml(content_dir / TERMBASE_FILE) or {}


def _variants(concept: str, entry: dict) -> list[Variant]:
    preferred = entry.get("preferred") or entry.get("address", "")
    return [
        Variant(concept, words, preferred, word_pattern(words), words.lower())
        for words in entry.get("forbidden", [])
    ]


def forbidden_variants(termbase: dict, lang: str) -> tuple[list[Variant], list[str]]:
    """Return a locale's forbidden variants and the phrases in which they are allowed."""
    variants, allowed = [], []
    register = termbase.get("register", {}).get(lang) or {}
    variants += _variants("register", register)
    allowed += register.get("allowed", [])
    if register.get("digits") == "western":
        variants.append(EASTERN_DIGITS)
    for concept in termbase.get("concepts", []):
        entry = concept.get(lang) or {}
        variants += _variants(concept["id"], entry)
        allowed += entry.get("allowed", [])
    return variants, allowed


@dataclass(frozen=True)
class Requirement:
    """A term a locale must introduce in a file that names the concept ("... (LAL)")."""

    concept: str
    term: str
    mentions: tuple[str, ...]

    def mentioned(self, text: str) -> bool:
        return any(word_pattern(words).search(text) for words in self.mentions)

    def introduced(self, text: str) -> bool:
        """The term follows a mention in brackets: 'leucémie aiguë lymphoblastique (LAL'."""
        return any(
            re.search(rf"{re.escape(words)}\s*\(\s*{re.escape(self.term)}(?!\w)", text, re.I)
            for words in self.mentions
        )


def required_terms(termbase: dict, lang: str) -> list[Requirement]:
    """Return the terms a locale must introduce wherever the concept is named."""
    found = []
    for concept in termbase.get("concepts", []):
        entry = concept.get(lang) or {}
        if entry.get("required") and entry.get("mentioned_as"):
            mentions = tuple(entry["mentioned_as"])
            found.append(Requirement(concept["id"], entry["required"], mentions))
    return found


def find_forbidden(text: str, variants: list[Variant], allowed: list[str]) -> list[Variant]:
    """Return the forbidden variants a text uses outside the allowed phrases."""
    for phrase in allowed:
        text = text.replace(phrase, " ")
    lowered = text.lower()
    return [variant for variant in variants if variant.used_in(text, lowered)]
