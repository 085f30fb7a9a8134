"""The rules of `flask content check`, each a pure function returning located problems."""

import re
from collections import Counter
from dataclasses import dataclass

from trialfinder.sponsor.readability import Score
from trialfinder.sponsor.register import informal_forms
from trialfinder.sponsor.termbase import Requirement, Variant, find_forbidden
from trialfinder.sponsor.texts import Entry
from trialfinder.trials.content import TERM_PATTERN

MARK = re.compile(r"\[([^\[\]]+)\]\(#([^)\s]*)\)")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
TODO = "TODO"
# A phone number or an email address written into a text (dates and postal codes are shorter).
PHONE = re.compile(r"\+?\d[\d\s().-]{7,}\d")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Keys whose texts are read as labels (titles, headings, questions, the glossary itself): a
# glossary link there would open a definition from inside a heading or another definition.
UNLINKED_KEYS = frozenset(
    {"title", "lede", "heading", "can_heading", "cannot_heading", "question", "term", "definition"}
)
LEDE_LENGTH = 150  # characters: the line under the title leaves the key facts on a phone's screen


@dataclass(frozen=True)
class Problem:
    """What is wrong, where: the file, the key or line, and the text at fault."""

    path: str
    where: str
    message: str
    text: str = ""

    def __str__(self) -> str:
        quoted = f": {shorten(self.text)!r}" if self.text else ""
        return f"{self.path}: {self.where}: {self.message}{quoted}"


def shorten(text: str, width: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def forbidden(path: str, texts: dict[str, str], variants: list[Variant], allowed) -> list[Problem]:
    """A forbidden termbase variant appears in a text."""
    return [
        Problem(path, key, f"{v.concept}: {v.words!r} is forbidden, write {v.preferred!r}", text)
        for key, text in texts.items()
        for v in find_forbidden(text, variants, allowed)
    ]


def register_forms(path: str, texts: dict[str, str], lang: str, allowed) -> list[Problem]:
    """A text addresses the reader in a verb form the locale's register does not use."""
    found = []
    for key, text in texts.items():
        if words := informal_forms(text, lang, allowed):
            message = (
                f"register: {', '.join(words)} does not address the reader as the termbase says"
            )
            found.append(Problem(path, key, message, text))
    return found


def required(path: str, texts: dict[str, str], requirements: list[Requirement]) -> list[Problem]:
    """A file names a concept but never introduces the term the termbase requires for it."""
    found = []
    for need in requirements:
        where = [key for key, text in texts.items() if need.mentioned(text)]
        if where and not any(need.introduced(text) for text in texts.values()):
            message = (
                f"{need.concept}: names {need.mentions[0]!r} but never introduces "
                f"{need.term!r} (write {need.mentions[0]!r} ({need.term}) once)"
            )
            found.append(Problem(path, where[0], message, texts[where[0]]))
    return found


def dead_links(path: str, texts: dict[str, str], term_ids: set[str]) -> list[Problem]:
    """A glossary link [text](#term) names a term the trial's glossary does not define."""
    return [
        Problem(path, key, f"glossary link to #{term}, which the glossary does not define", text)
        for key, text in texts.items()
        for _words, term in MARK.findall(text)
        if term not in term_ids
    ]


def missing_keys(path: str, texts: dict[str, str], source: dict[str, str]) -> list[Problem]:
    """A locale lacks a text that the source locale has, or leaves it empty."""
    return [
        Problem(path, key, "missing: en has this text", text)
        for key, text in source.items()
        if text.strip() and not texts.get(key, "").strip()
    ]


def figures(text: str) -> tuple[Counter, Counter]:
    """Count the placeholders and the numbers of a text; glossary link targets are not text."""
    text = MARK.sub(r"\1", text)
    return Counter(PLACEHOLDER.findall(text)), Counter(NUMBER.findall(text))


def mismatch(original: str, translation: str) -> str:
    """Say which placeholders or numbers differ between a text and its translation, if any."""
    (want_names, want_numbers), (names, numbers) = figures(original), figures(translation)
    if want_names != names:
        return f"placeholders differ from en: {sorted(want_names)} vs {sorted(names)}"
    if want_numbers != numbers:
        return f"numbers differ from en: {sorted(want_numbers)} vs {sorted(numbers)}"
    return ""


# A sentence per plural form: Arabic "one" and "two" say the number in words ("مشارك واحد").
WORDED_FORMS = (".zero", ".one", ".two")
# A number placeholder of a content text, then a word: "{enrolment} people" agrees only in English.
GLUED = re.compile(r"\{(enrolment)\}\s*(?:de\s+)?[^\W\d_]")
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")


def differences(path: str, texts: dict[str, str], source: dict[str, str]) -> list[Problem]:
    """A placeholder or a number (age, date, dose) differs from the source locale.

    A plural form's sentence compares with the source's `other` one when the source has no such
    form (ro `few`, ar `many`), and may say the number in words in its zero, one and two forms.
    """
    found = []
    for key, text in texts.items():
        base, _, form = key.rpartition(".")
        if key not in source and form in PLURAL_FORMS and f"{base}.other" in source:
            key_in_source = f"{base}.other"
        else:
            key_in_source = key
        if key.endswith(WORDED_FORMS) and not PLACEHOLDER.search(text):
            continue
        problem = mismatch(source[key_in_source], text) if key_in_source in source else ""
        if problem:
            found.append(Problem(path, key, problem, text))
    return found


def glued_numbers(path: str, texts: dict[str, str]) -> list[Problem]:
    """A number from the record is put before a noun in one sentence for every number."""
    message = (
        "a number glued to a noun: give one sentence per plural form (one: …, other: …) "
        "or write it as 'label: {enrolment}'"
    )
    return [
        Problem(path, key, message, text)
        for key, text in texts.items()
        if GLUED.search(text) and key.rpartition(".")[2] not in PLURAL_FORMS
    ]


def todos(path: str, owner: str, texts: dict[str, str]) -> list[Problem]:
    """A text still contains TODO: one problem per file, naming every key left."""
    left = [key for key, text in texts.items() if TODO in text]
    if not left:
        return []
    return [Problem(path, owner, f"TODO left in {len(left)} texts: {', '.join(left)}")]


def catalog_entries(path: str, entries: list[Entry], wanted: dict[str, str]) -> list[Problem]:
    """A catalog entry is empty or fuzzy, or a text the site shows has no entry at all."""
    found = []
    for entry in entries:
        where = f"line {entry.line}"
        if entry.fuzzy:
            found.append(Problem(path, where, "fuzzy entry", entry.msgid))
        elif not all(string.strip() for string in entry.strings):
            found.append(Problem(path, where, "empty translation", entry.msgid))
        elif len(entry.strings) == 1 and (problem := mismatch(entry.msgid, entry.strings[0])):
            found.append(Problem(path, where, problem, entry.strings[0]))
    present = {entry.msgid for entry in entries}
    found += [
        Problem(path, where, "missing: no catalog entry for this text", msgid)
        for msgid, where in wanted.items()
        if msgid not in present
    ]
    return found


def hard_to_read(path: str, score: Score) -> Problem:
    """An en or es section is harder to read than its limit."""
    message = f"harder to read than allowed: {score.measure} {score.value:.1f}, limit {score.limit}"
    return Problem(path, score.section, message)


def contact_details(path: str, texts: dict[str, str]) -> list[Problem]:
    """A phone number or email address in a text: contacts come from the record and sites.yaml."""
    found = []
    for key, text in texts.items():
        if match := EMAIL.search(text) or PHONE.search(text):
            message = (
                f"{match.group(0)!r} looks like a phone number or email address: the study "
                "team's contacts come from the registry record and sites.yaml, never from a text"
            )
            found.append(Problem(path, key, message, text))
    return found


def misplaced_links(path: str, texts: dict[str, str]) -> list[Problem]:
    """A glossary link in a title, heading, question or glossary entry, or one written wrong."""
    found = []
    for key, text in texts.items():
        if key.rsplit(".", 1)[-1] in UNLINKED_KEYS and MARK.search(text):
            message = "a glossary link where none belongs (titles, headings, questions, glossary)"
            found.append(Problem(path, key, message, text))
        elif "](#" in TERM_PATTERN.sub("", text):
            message = "a glossary link written wrong: [words](#term), the term in lower case"
            found.append(Problem(path, key, message, text))
    return found


def unlinked_terms(path: str, texts: dict[str, str], term_ids: set[str]) -> list[Problem]:
    """A glossary entry that no text links to: no reader would ever open it."""
    linked = {term for text in texts.values() for _words, term in MARK.findall(text)}
    return [
        Problem(path, f"glossary[{term}]", "no text links to this glossary entry")
        for term in sorted(term for term in term_ids - linked if term)
    ]


def long_lede(path: str, texts: dict[str, str]) -> list[Problem]:
    """The line under a trial's title must stay one short line."""
    lede = texts.get("lede", "").strip()
    if "\n" not in lede and len(lede) <= LEDE_LENGTH:
        return []
    message = f"the line under the title is one line of at most {LEDE_LENGTH} characters"
    return [Problem(path, "lede", f"{message} (this one has {len(lede)})", lede)]
