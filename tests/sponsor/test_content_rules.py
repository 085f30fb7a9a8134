"""The content check's rules about contacts, glossary links and the lede, on small texts.

Pure functions: no app, no files. tests/sponsor/test_content_check.py runs the whole check.
"""

import pytest

from trialfinder.sponsor import rules
from trialfinder.sponsor.termbase import find_forbidden, forbidden_variants

PATH = "content/trials/NCT00000000/en.yaml"


@pytest.mark.parametrize(
    "text",
    [
        "Call +34 91 727 70 00 to ask.",
        "Tel. (91) 123-4567",
        "Write to ensayos@example.org for details.",
        "Escriu a assaig.car-t@hospital.cat",
    ],
)
def test_a_phone_number_or_email_address_in_a_text_is_named(text):
    [problem] = rules.contact_details(PATH, {"faq[contact].answer": text})
    assert problem.where == "faq[contact].answer"
    assert "registry record and sites.yaml" in problem.message


@pytest.mark.parametrize(
    "text",
    [
        "Paseo de la Castellana 261, 28046 Madrid, 8 July 2025",
        "The study takes 30 people aged 1 to 30 years, for 15 years.",
        "Phase 1, CD19/CD22, NCT06709469",
    ],
)
def test_addresses_dates_and_figures_are_not_contact_details(text):
    assert rules.contact_details(PATH, {"summary[where].body": text}) == []


def test_glossary_links_belong_in_bodies_and_answers_only():
    texts = {
        "title": "New [CAR-T](#car_t) treatment",
        "summary[what].heading": "What is [CAR-T](#car_t)?",
        "faq[how_long].question": "How long is the [study](#clinical_trial)?",
        "glossary[car_t].definition": "Cells from [blood](#blood).",
        "summary[what].body": "It uses [CAR-T cells](#car_t).",
        "faq[how_long].answer": "About [15 years](#follow_up).",
    }
    named = {problem.where for problem in rules.misplaced_links(PATH, texts)}
    assert named == {
        "title",
        "summary[what].heading",
        "faq[how_long].question",
        "glossary[car_t].definition",
    }


@pytest.mark.parametrize("text", ["[CAR-T](#CAR_T)", "[CAR-T](#car_t", "[CAR-T](#car-t)"])
def test_a_link_written_wrong_is_named(text):
    [problem] = rules.misplaced_links(PATH, {"summary[what].body": f"It uses {text} cells."})
    assert "written wrong" in problem.message


def test_a_glossary_entry_no_text_links_to_is_named():
    texts = {"summary[what].body": "It uses [CAR-T cells](#car_t)."}
    problems = rules.unlinked_terms(PATH, texts, {"car_t", "remission"})
    assert [problem.where for problem in problems] == ["glossary[remission]"]


@pytest.mark.parametrize(
    ("lede", "named"),
    [
        ("A small first study for children and young adults.", False),
        ("x" * rules.LEDE_LENGTH, False),
        ("x" * (rules.LEDE_LENGTH + 1), True),
        ("A first line.\nA second line.", True),
    ],
)
def test_the_lede_is_one_short_line(lede, named):
    assert bool(rules.long_lede(PATH, {"lede": lede})) is named


def test_a_forbidden_variant_is_found_in_any_case_and_not_inside_a_longer_word():
    termbase = {
        "register": {"ar": {"digits": "western"}},
        "concepts": [{"id": "relapse", "fr": {"preferred": "rechute", "forbidden": ["récidive"]}}],
    }
    variants, allowed = forbidden_variants(termbase, "fr")
    assert [v.concept for v in find_forbidden("Une RÉCIDIVE.", variants, allowed)] == ["relapse"]
    assert find_forbidden("Les récidives.", variants, allowed) == []
    arabic, _allowed = forbidden_variants(termbase, "ar")
    assert [v.concept for v in find_forbidden("العمر ١٨", arabic, [])] == ["digits"]
    assert find_forbidden("العمر 18", arabic, []) == []
