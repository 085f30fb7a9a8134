"""Questions and answers: a trial's own, then the generic ones true of every trial. No Flask.

The generic file is content/faq/<lang>.yaml; each entry may add one sentence per registry fact
(phase, allocation, masking, enrolment, start date, status) that the trial's record has.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..ages import plural_category
from ..content.files import ContentFiles, yaml_problem
from ..content.signoff import signed

FAQ_FOLDER = "faq"
FACTS = ("phase", "allocation", "masking", "status", "enrolment", "start_date")
OTHER = "other"  # the sentence for any registry code not listed, and CLDR's last plural form
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")  # CLDR's categories


@dataclass(frozen=True)
class GenericFaq:
    """The generic questions and answers in one language."""

    lang: str
    reviewed: bool = True
    reviewed_by: str = ""
    reviewed_on: object = None
    faq: list[dict] = field(default_factory=list)

    @property
    def checked(self) -> bool:
        """True when a named reviewer signed the file (content/signoff.py)."""
        return signed(self.reviewed, self.reviewed_by, self.reviewed_on)


def faq_path(content_dir: str | Path, lang: str) -> Path:
    return Path(content_dir) / FAQ_FOLDER / f"{lang}.yaml"


class FaqError(ValueError):
    """A generic FAQ file that cannot be read; the message names the file."""


def read_generic(path: Path) -> GenericFaq:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise FaqError(yaml_problem(path, error)) from None
    known = {"reviewed", "reviewed_by", "reviewed_on", "faq"}
    if not isinstance(data, dict) or set(data) - known or not isinstance(data.get("faq", []), list):
        raise FaqError(
            f"{path}: must map 'reviewed' (with 'reviewed_by', 'reviewed_on') and 'faq' "
            "(a list of questions)"
        )
    return GenericFaq(lang=path.stem, **data)


FILES = ContentFiles(read_generic, (FaqError,))


def load_generic(content_dir: str | Path, lang: str) -> GenericFaq | None:
    """Return the generic FAQ of a language, or None when none is written (or never read well)."""
    return FILES.get(faq_path(content_dir, lang))


def record_facts(record: Mapping, status: str = "") -> dict[str, object]:
    """Return the registry facts that the generic answers use; absent ones are left out."""
    protocol = record.get("protocolSection") or {}
    design = protocol.get("designModule") or {}
    info = design.get("designInfo") or {}
    facts = {
        "phase": tuple(code for code in design.get("phases") or () if code != "NA"),
        "allocation": info.get("allocation"),
        "masking": (info.get("maskingInfo") or {}).get("masking"),
        "status": status or (protocol.get("statusModule") or {}).get("overallStatus"),
        "enrolment": (design.get("enrollmentInfo") or {}).get("count"),
        "start_date": ((protocol.get("statusModule") or {}).get("startDateStruct") or {}).get(
            "date"
        ),
    }
    return {name: value for name, value in facts.items() if value not in (None, "", ())}


def choose(text: Mapping, value: object, lang: str) -> object:
    """Pick a fact's sentence: by registry code, or for a number by its CLDR plural category
    in the file's language ('one', 'few', 'many'…, then 'other')."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return text.get(plural_category(value, lang)) or text.get(OTHER)
    return text.get(value) or text.get(OTHER)


def fact_sentences(
    entry: Mapping, facts: Mapping, shown: Mapping[str, str], lang: str = "en"
) -> list[str]:
    """Return the entry's sentences for the facts the record has, in the entry's order.

    `facts` holds the registry codes; `shown` the same facts as the visitor reads them
    (a translated phase, a formatted number or date). A sentence given per plural category
    (`one: …`, `other: …`) is chosen by the number's category in `lang`.
    """
    sentences = []
    for name, text in (entry.get("facts") or {}).items():
        if name not in facts:
            continue
        sentence = choose(text, facts[name], lang) if isinstance(text, Mapping) else text
        if sentence:
            sentences.append(
                str(sentence).replace("{" + name + "}", shown.get(name, str(facts[name])))
            )
    return sentences


def answer(entry: Mapping, facts: Mapping, shown: Mapping[str, str], lang: str = "en") -> str:
    """Return the generic answer with its fact sentences as a last paragraph."""
    sentences = fact_sentences(entry, facts, shown, lang)
    text = str(entry.get("answer") or "").rstrip()
    return f"{text}\n\n{' '.join(sentences)}" if sentences else text


def merged(own: list[dict], generic: list[dict], switched_off=()) -> list[dict]:
    """Return the trial's own entries first, then the generic ones it does not answer or hide."""
    hidden = {entry.get("id") for entry in own} | set(switched_off or ())
    questions = {str(entry.get("question", "")).strip().casefold() for entry in own}
    return [*own, *(
        {**entry, "generic": True}
        for entry in generic
        if entry.get("id") not in hidden
        and str(entry.get("question", "")).strip().casefold() not in questions
    )]  # fmt: skip
