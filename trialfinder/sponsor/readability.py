"""Readability per trial section: Flesch-Kincaid grade (en), Fernández-Huerta ease (es)."""

from dataclasses import dataclass

import textstat

from trialfinder.trials.content import plain_text

MAX_FK_GRADE_EN = 8
MIN_FERNANDEZ_HUERTA_ES = 65


@dataclass(frozen=True)
class Score:
    """One section's figure, the limit it is held to and whether it passes."""

    section: str
    measure: str
    value: float
    limit: str
    passes: bool


def sections(data: dict) -> dict[str, str]:
    """Return the texts measured, one per section of a trial file, without markup."""
    who = data.get("who_can_join") or {}
    texts = {
        f"summary.{part.get('id')}": part.get("body", "") for part in data.get("summary") or []
    }
    texts["who_can_join"] = "\n".join(
        [who.get("intro", ""), *who.get("can", []), *who.get("cannot", []), who.get("outro", "")]
    )
    texts |= {f"faq.{item.get('id')}": item.get("answer", "") for item in data.get("faq") or []}
    glossary = data.get("glossary") or []
    texts["glossary"] = "\n".join(entry.get("definition", "") for entry in glossary)
    measured = {name: plain_text(text) for name, text in texts.items()}
    return {name: text for name, text in measured.items() if text.strip()}  # nothing to read


def score(lang: str, section: str, text: str) -> Score | None:
    """Measure one section in English or Spanish; other locales are not measured."""
    if lang == "en":
        textstat.set_lang("en")
        grade = textstat.flesch_kincaid_grade(text)
        return Score(
            section,
            "Flesch-Kincaid grade",
            grade,
            f"<= {MAX_FK_GRADE_EN}",
            grade <= MAX_FK_GRADE_EN,
        )
    if lang == "es":
        textstat.set_lang("es")
        ease = textstat.fernandez_huerta(text)
        return Score(
            section,
            "Fernández-Huerta",
            ease,
            f">= {MIN_FERNANDEZ_HUERTA_ES}",
            ease >= MIN_FERNANDEZ_HUERTA_ES,
        )
    return None


def scores(lang: str, data: dict) -> list[Score]:
    """Return the figure of every section of a trial file in en or es."""
    found = (score(lang, name, text) for name, text in sections(data).items())
    return [item for item in found if item is not None]
