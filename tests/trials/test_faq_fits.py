"""The generic FAQ fits the study: its type, its status, its enrolment and its blinding.

The choice is pure (trialfinder/trials/faq.py, no app); the pages use a real completed
observational record (tests/data/records/NCT05594173.json, see SOURCE.md).
"""

import html
import json
import re

import pytest

from tests.conftest import NCT, ROOT
from tests.sponsor_support import RECORD
from trialfinder.trials import faq
from trialfinder.web.typography import space_text

LOCALES = ("es", "en", "ca", "fr", "pt", "ro", "ar")
OBSERVATIONAL = "NCT05594173"  # completed, observational, 20 people took part (ACTUAL)
OBSERVATIONAL_RECORD = json.loads(
    (ROOT / "tests" / "data" / "records" / f"{OBSERVATIONAL}.json").read_text(encoding="utf-8")
)
ENTRIES = [
    {"id": "what", "question": "Q", "answer": "A", "answer_observational": "A obs"},
    {"id": "arms", "when": {"study_type": "INTERVENTIONAL", "recruiting": True}, "answer": "arms"},
    {"id": "join", "when": {"recruiting": True}, "answer": "join"},
    {"id": "ended", "when": {"recruiting": False}, "answer": "not now", "answer_completed": "no"},
    {"id": "kinds", "when": {"status": ["COMPLETED", "TERMINATED"]}, "answer": "over"},
    {"id": "phases", "when": {"phased": True}, "answer": "phases"},
]


def chosen(record: dict, status: str = "") -> dict[str, str]:
    now = faq.situation(record, status)
    return {entry["id"]: entry["answer"] for entry in faq.select(ENTRIES, now)}


def test_an_observational_completed_study_gets_no_arms_and_no_invitation():
    assert chosen(OBSERVATIONAL_RECORD) == {
        "what": "A obs",
        "ended": "no",
        "kinds": "over",
    }


def test_a_recruiting_interventional_study_gets_the_usual_words():
    assert chosen(RECORD) == {"what": "A", "arms": "arms", "join": "join", "phases": "phases"}


def test_a_study_without_a_phase_gets_no_phase_answer():
    device = {
        "protocolSection": {"designModule": {"studyType": "INTERVENTIONAL", "phases": ["NA"]}}
    }
    assert "phases" not in chosen(device, "RECRUITING")


@pytest.mark.parametrize(
    ("status", "ended"),
    [("ACTIVE_NOT_RECRUITING", "not now"), ("TERMINATED", "no"), ("WITHDRAWN", "not now")],
)
def test_a_study_not_recruiting_is_never_offered_to_join(status, ended):
    answers = chosen(RECORD, status)
    assert "join" not in answers and "arms" not in answers
    assert answers["ended"] == ended


def test_the_enrolment_is_the_actual_count_when_the_registry_says_so():
    assert faq.record_facts(OBSERVATIONAL_RECORD)["enrolment_actual"] == 20
    assert "enrolment" not in faq.record_facts(OBSERVATIONAL_RECORD)
    planned = faq.record_facts(RECORD)
    assert planned["enrolment"] == 10 and "enrolment_actual" not in planned


def test_blinding_comes_from_the_records_masking():
    entry = {
        "answer": "A.",
        "facts": {"masking": {"NONE": "Open.", "DOUBLE": "Two.", "other": "X."}},
    }
    for masking, said in [("NONE", "Open."), ("DOUBLE", "Two."), ("QUADRUPLE", "X.")]:
        assert faq.answer(entry, {"masking": masking}, {}) == f"A.\n\n{said}"


def test_a_when_on_an_unknown_fact_is_refused(tmp_path):
    path = tmp_path / "en.yaml"
    path.write_text("faq:\n  - id: x\n    when: {colour: blue}\n    question: Q\n    answer: A\n")
    with pytest.raises(faq.FaqError, match="'when' may test only"):
        faq.read_generic(path)


def generic(lang: str) -> dict[str, dict]:
    return {entry["id"]: entry for entry in faq.load_generic(ROOT / "content", lang).faq}


def questions(page: str) -> list[str]:
    return [html.unescape(q) for q in re.findall(r'<h2 id="faq-[a-z0-9_]+-q">(.*?)</h2>', page)]


@pytest.fixture
def observational(runner):
    path = ROOT / "tests" / "data" / "records" / f"{OBSERVATIONAL}.json"
    result = runner.invoke(args=["trials", "import", str(path)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("lang", LOCALES)
def test_the_faq_of_a_completed_observational_study(client, observational, lang):
    page = html.unescape(client.get(f"/{lang}/trials/{OBSERVATIONAL}/faq").get_data(as_text=True))
    spaced = space_text if lang == "fr" else str
    texts = generic(lang)
    shown = questions(page)
    assert shown == [
        spaced(texts["what_is_trial"]["question_observational"]),
        spaced(texts["can_i_take_part"]["question_completed"]),
        spaced(texts["my_data"]["question"]),
        spaced(texts["who_to_ask"]["question"]),
    ]
    for gone in ("phases", "new_treatment", "is_it_free", "how_to_take_part", "leaving_the_study"):
        assert spaced(texts[gone]["question"]) not in shown
    assert "placebo" not in page.lower() and "بلاسيبو" not in page
    said = spaced(texts["can_i_take_part"]["facts"]["status"]["COMPLETED"])
    assert said in page
    took_part = texts["can_i_take_part"]["facts"]["enrolment_actual"]
    assert spaced(took_part.replace("{enrolment_actual}", "20")) in page
    first = texts["my_data"]["answer_completed"].split("\n")[0]
    assert spaced(first) in page  # in the past
    assert spaced(texts["how_to_take_part"]["answer"].split("\n")[0]) not in page


def test_the_english_faq_of_a_completed_study_speaks_in_the_past(client, observational):
    page = client.get(f"/en/trials/{OBSERVATIONAL}/faq").get_data(as_text=True)
    assert "Number of people who took part: 20." in page
    assert "No. This study has ended." in page
    assert "Planned number" not in page and "plans to include" not in page
    assert "contact page" not in page  # nothing invites to contact a team for joining
    assert "tests if a new treatment" not in page


def test_the_shipped_recruiting_trial_still_gets_its_treatment_answers(client):
    page = client.get(f"/en/trials/{NCT}/faq").get_data(as_text=True)
    assert "Will I get the new treatment?" in page
    assert "Can I still take part" not in page and "Can I take part in this study?" not in page
