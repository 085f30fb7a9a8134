"""Generic questions and answers: every imported trial has them, merged after its own."""

import html
import re

import pytest
import yaml

from tests.conftest import NCT, ROOT
from tests.sponsor_support import TEST_NCT, import_test_trial, sample_record
from trialfinder.trials import faq
from trialfinder.trials.content import plain_text
from trialfinder.web.typography import space_text

LOCALES = ("es", "en", "ca", "fr", "pt", "ro", "ar")
FAQ_DIR = ROOT / "content" / "faq"


def generic(lang: str) -> faq.GenericFaq:
    loaded = faq.load_generic(ROOT / "content", lang)
    assert loaded is not None, f"content/faq/{lang}.yaml is missing"
    return loaded


def questions(page: str) -> list[str]:
    return [html.unescape(q) for q in re.findall(r'<h2 id="faq-[a-z0-9_]+-q">(.*?)</h2>', page)]


@pytest.mark.parametrize("lang", LOCALES)
def test_every_locale_has_the_same_generic_questions(lang):
    source, text = generic("en"), generic(lang)
    assert len(text.faq) >= 8
    assert [entry["id"] for entry in text.faq] == [entry["id"] for entry in source.faq]
    for entry, english in zip(text.faq, source.faq, strict=True):
        assert entry["question"].strip() and entry["answer"].strip(), entry["id"]
        assert entry.keys() == english.keys(), entry["id"]  # same alternatives in every language
        assert entry.get("when") == english.get("when"), entry["id"]
        assert "](#" not in entry["answer"], "the generic answers use no glossary"
        facts, english_facts = entry.get("facts") or {}, english.get("facts") or {}
        assert list(facts) == list(english_facts), entry["id"]
        for name, sentence in facts.items():
            if isinstance(sentence, dict) and name == "enrolment":  # one text per plural form
                assert "other" in sentence and set(sentence) <= set(faq.PLURAL_FORMS), sentence
            elif isinstance(sentence, dict):
                assert set(sentence) == set(english_facts[name]), (entry["id"], name)
            else:
                assert "{" + name + "}" in sentence, (entry["id"], name)
    assert text.reviewed is False, "nobody has signed the generic FAQ off yet"
    assert text.reviewed is False and not text.checked  # no reviewer has signed any locale yet


ENROLMENT = [  # (locale, planned participants, sentence): the noun agrees with the number
    ("en", 1, "The study plans to include 1 person."),
    ("en", 10, "The study plans to include about 10 people."),
    ("ro", 1, "Studiul plănuiește să includă 1 persoană."),
    ("ro", 10, "Studiul plănuiește să includă aproximativ 10 persoane."),
    ("ro", 20, "Studiul plănuiește să includă aproximativ 20 de persoane."),
    ("ro", 101, "Studiul plănuiește să includă aproximativ 101 persoane."),
    ("ar", 1, "تخطط الدراسة لضم مشارك واحد."),
    ("ar", 10, "تخطط الدراسة لضم نحو 10 مشاركين."),  # not «نحو 10 شخصًا» (review A-M3)
    ("ar", 11, "تخطط الدراسة لضم نحو 11 مشاركًا."),
    ("ar", 100, "تخطط الدراسة لضم نحو 100 مشارك."),
    ("fr", 1, "L'étude prévoit d'inclure 1 personne."),
    ("fr", 21, "L'étude prévoit d'inclure environ 21 personnes."),
]


@pytest.mark.parametrize(("lang", "count", "said"), ENROLMENT)
def test_the_enrolment_sentence_takes_the_plural_form_of_its_number(lang, count, said):
    text = generic(lang)
    entry = next(e for e in text.faq if "enrolment" in (e.get("facts") or {}))
    sentences = faq.fact_sentences(entry, {"enrolment": count}, {"enrolment": str(count)}, lang)
    assert sentences == [said]


def test_generic_answers_are_plain():
    import textstat

    textstat.set_lang("en")
    grades = {
        e["id"]: textstat.flesch_kincaid_grade(plain_text(e["answer"])) for e in generic("en").faq
    }
    assert max(grades.values()) <= 8, grades
    textstat.set_lang("es")
    scores = {
        e["id"]: textstat.fernandez_huerta(plain_text(e["answer"])) for e in generic("es").faq
    }
    assert min(scores.values()) >= 65, scores


def test_facts_come_from_the_record_and_missing_ones_are_left_out():
    entry = {"answer": "A.", "facts": {"phase": "It is {phase}.", "masking": {"NONE": "Open."}}}
    facts = faq.record_facts({"protocolSection": {"designModule": {"phases": ["PHASE2"]}}})
    assert facts == {"phase": ("PHASE2",)}
    assert faq.answer(entry, facts, {"phase": "Phase 2"}) == "A.\n\nIt is Phase 2."
    assert faq.answer(entry, {}, {}) == "A."


def test_own_entries_come_first_and_hide_the_same_generic_question():
    own = [{"id": "what_is_trial", "question": "Q1"}, {"id": "x", "question": "Who can I ask?"}]
    generic_entries = [
        {"id": "what_is_trial", "question": "G1"},
        {"id": "who_to_ask", "question": "Who can I ask?"},
        {"id": "phases", "question": "G3"},
        {"id": "is_it_free", "question": "G4"},
    ]
    entries = faq.merged(own, generic_entries, ["is_it_free"])
    assert [entry["id"] for entry in entries] == ["what_is_trial", "x", "phases"]


@pytest.fixture
def trial(runner, tmp_path):
    return import_test_trial(runner, tmp_path)


@pytest.mark.parametrize("lang", LOCALES)
def test_a_trial_with_no_content_has_the_generic_faq(client, trial, lang):
    page = html.unescape(client.get(f"/{lang}/trials/{TEST_NCT}/faq").get_data(as_text=True))
    shown = questions(page)
    assert len(shown) >= 8
    # French pages get French typography (narrow no-break spaces before ? and !).
    spaced = space_text if lang == "fr" else str
    recruiting = faq.situation(sample_record())  # recruiting, interventional
    assert shown == [
        spaced(entry["question"]) for entry in faq.select(generic(lang).faq, recruiting)
    ]
    if lang != "ar":  # the test record's own facts, in the language's numbers
        assert "120" in page
    texts = {entry["id"]: entry for entry in generic(lang).faq}
    assert spaced(texts["new_treatment"]["facts"]["allocation"]["RANDOMIZED"]) in page
    assert spaced(texts["new_treatment"]["facts"]["masking"]["DOUBLE"]) in page  # the record's


def test_the_english_faq_says_the_phase_and_start_date(client, trial):
    page = client.get(f"/en/trials/{TEST_NCT}/faq").get_data(as_text=True)
    assert "The registry lists this study as: Phase 2." in page
    assert "The start date in the registry is July 8, 2025." in page
    assert "The study plans to include about 120 people." in page


def test_the_shipped_trial_shows_its_own_questions_first_and_none_twice(client):
    page = client.get(f"/en/trials/{NCT}/faq").get_data(as_text=True)
    own = yaml.safe_load((ROOT / "content" / "trials" / NCT / "en.yaml").read_text())["faq"]
    shown = questions(page)
    assert shown[: len(own)] == [entry["question"] for entry in own]
    assert len(shown) == len(set(shown))
    assert "Does it cost anything to take part?" not in shown  # switched off: it has its own
    assert "What is a phase 1, 2 or 3 study?" in shown
    assert shown.count("What is a clinical trial?") == 1
