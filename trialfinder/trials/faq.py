"""Questions and answers: a trial's own, then the generic ones that fit the study. No Flask.

The generic file is content/faq/<lang>.yaml; each entry may add one sentence per registry fact
(phase, allocation, masking, enrolment, start date, status) that the trial's record has. An entry
may also say when it applies (`when: {study_type: INTERVENTIONAL, recruiting: true}`) and give
other words for a study in another situation (`question_completed`, `answer_observational`...).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from trialfinder.lib.ages import plural_category
from trialfinder.lib.files import ContentFiles, read_yaml, yaml_problem
from trialfinder.lib.signoff import signed

FAQ_FOLDER = "faq"
OTHER = "other"  # the sentence for any registry code not listed, and CLDR's last plural form
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")  # CLDR's categories
# What `when` can test, and the situations an entry can have its own words for, first match wins.
CONDITIONS = ("study_type", "status", "recruiting", "completed", "observational", "phased")
SITUATIONS = ("completed", "not_recruiting", "observational")
RECRUITING = frozenset({"RECRUITING", "NOT_YET_RECRUITING"})  # a family may still ask to join
ENDED = frozenset({"COMPLETED", "TERMINATED"})  # spoken of in the past


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
        """True when a named reviewer signed the file (lib/signoff.py)."""
        return signed(self.reviewed, self.reviewed_by, self.reviewed_on)


def faq_path(content_dir: str | Path, lang: str) -> Path:
    return Path(content_dir) / FAQ_FOLDER / f"{lang}.yaml"


class FaqError(ValueError):
    """A generic FAQ file that cannot be read; the message names the file."""


def read_generic(path: Path) -> GenericFaq:
    try:
        data = read_yaml(path) or {}
    except yaml.YAMLError as error:
        raise FaqError(yaml_problem(path, error)) from None
    known = {"reviewed", "reviewed_by", "reviewed_on", "faq"}
    if not isinstance(data, dict) or set(data) - known or not isinstance(data.get("faq", []), list):
        raise FaqError(
            f"{path}: must map 'reviewed' (with 'reviewed_by', 'reviewed_on') and 'faq' "
            "(a list of questions)"
        )
    for entry in data.get("faq") or []:
        when = entry.get("when") if isinstance(entry, dict) else None
        if when is not None and (not isinstance(when, dict) or set(when) - set(CONDITIONS)):
            known_names = ", ".join(CONDITIONS)
            raise FaqError(f"{path}: {entry.get('id')}: 'when' may test only {known_names}")
    return GenericFaq(lang=path.stem, **data)


FILES = ContentFiles(read_generic, (FaqError,))


def load_generic(content_dir: str | Path, lang: str) -> GenericFaq | None:
    """Return the generic FAQ of a language, or None when none is written (or never read well)."""
    return FILES.get(faq_path(content_dir, lang))


def situation(record: Mapping, status: str = "") -> dict[str, object]:
    """Return what the entries' `when` and alternative texts test, from the record."""
    protocol = record.get("protocolSection") or {}
    status = status or (protocol.get("statusModule") or {}).get("overallStatus") or ""
    design = protocol.get("designModule") or {}
    study_type = design.get("studyType") or ""
    return {
        "study_type": study_type,
        "status": status,
        "recruiting": status in RECRUITING,
        "not_recruiting": status not in RECRUITING,
        "completed": status in ENDED,
        "observational": study_type == "OBSERVATIONAL",
        "phased": any(code != "NA" for code in design.get("phases") or ()),
    }


def applies(entry: Mapping, now: Mapping) -> bool:
    """Say if every condition of the entry's `when` holds (a list allows any of its values)."""
    for name, wanted in (entry.get("when") or {}).items():
        if now.get(name) not in (wanted if isinstance(wanted, list) else [wanted]):
            return False
    return True


def fitted(entry: Mapping, now: Mapping) -> dict:
    """Return the entry with the question and answer written for the study's situation."""
    for case in SITUATIONS:
        if now.get(case) and ({f"question_{case}", f"answer_{case}"} & set(entry)):
            return {
                **entry,
                "question": entry.get(f"question_{case}", entry.get("question")),
                "answer": entry.get(f"answer_{case}", entry.get("answer")),
            }
    return dict(entry)


def select(entries: list[dict], now: Mapping) -> list[dict]:
    """Return the entries that apply to the study, each in the words for its situation."""
    return [fitted(entry, now) for entry in entries if applies(entry, now)]


def record_facts(record: Mapping, status: str = "") -> dict[str, object]:
    """Return the registry facts that the generic answers use; absent ones are left out.

    The enrolment is `enrolment_actual` when the registry counts the people who took part,
    `enrolment` when it is the number planned.
    """
    protocol = record.get("protocolSection") or {}
    design = protocol.get("designModule") or {}
    info = design.get("designInfo") or {}
    enrolment = design.get("enrollmentInfo") or {}
    actual = enrolment.get("type") == "ACTUAL"
    facts = {
        "phase": tuple(code for code in design.get("phases") or () if code != "NA"),
        "allocation": info.get("allocation"),
        "masking": (info.get("maskingInfo") or {}).get("masking"),
        "status": status or (protocol.get("statusModule") or {}).get("overallStatus"),
        "enrolment": None if actual else enrolment.get("count"),
        "enrolment_actual": enrolment.get("count") if actual else None,
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
