"""The termbase can require a term where a concept is named, not only forbid variants. Pure."""

import pytest

from tests.conftest import ROOT
from trialfinder.sponsor import rules
from trialfinder.sponsor.termbase import load_termbase, required_terms

BROKEN = {
    # fr.yaml:10 and :111 at de61acd (review F-M1): "LAL" is used later but never introduced.
    "fr": {
        "summary[what].body": "Il s'adresse aux enfants atteints de "
        "[leucémie aiguë lymphoblastique](#all).",
        "glossary[all].term": "Leucémie aiguë lymphoblastique (en anglais, ALL)",
        "summary[arm_a].body": "Le bras A est pour la [LAL B](#b_all).",
    },
    # es.yaml:10 and :111 (review M5).
    "es": {
        "summary[what].body": "Es para niños y jóvenes con [leucemia linfoblástica aguda](#all).",
        "glossary[all].term": "Leucemia linfoblástica aguda (en inglés, ALL)",
    },
}
FIXED = {
    "fr": "Il s'adresse aux enfants atteints de [leucémie aiguë lymphoblastique (LAL)](#all).",
    "es": "Es para niños y jóvenes con [leucemia linfoblástica aguda (LLA)](#all).",
}


@pytest.fixture(scope="module")
def termbase():
    return load_termbase(ROOT / "content")


@pytest.mark.parametrize("lang", BROKEN)
def test_a_file_that_names_the_concept_must_introduce_the_term(termbase, lang):
    needs = required_terms(termbase, lang)
    found = rules.required(f"{lang}.yaml", BROKEN[lang], needs)
    assert [(p.where, p.message.split(":")[0]) for p in found] == [
        ("summary[what].body", "acute_lymphoblastic_leukaemia")
    ]
    fixed = BROKEN[lang] | {"summary[what].body": FIXED[lang]}
    assert rules.required(f"{lang}.yaml", fixed, needs) == []


def test_a_file_that_never_names_the_concept_needs_nothing(termbase):
    texts = {"faq[x].answer": "Un essai clinique est une étude."}
    assert rules.required("fr.yaml", texts, required_terms(termbase, "fr")) == []
    assert required_terms(termbase, "ar") == []  # only where the termbase says so
