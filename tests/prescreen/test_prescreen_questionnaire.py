"""questionnaire.yaml: the shipped file keeps the contract, reads plainly, reaches the catalogs;
a broken file is refused with a message that says where."""

import textwrap

import pytest
import yaml
from babel.messages.extract import extract_from_file
from babel.messages.frontend import parse_mapping_cfg
from babel.util import pathmatch

from tests.prescreen.test_prescreen_engine import CONTRACT, QUESTIONNAIRE_FILE, ROOT, questionnaire
from tests.prescreen_support import all_wordings
from trialfinder.prescreen.engine import evaluate
from trialfinder.prescreen.questionnaire import QuestionnaireError, parse_questionnaire

MAX_FK_GRADE = 8


def every_text(found) -> set[str]:
    texts = set(found.always_checks)
    for arm in found.arms.values():
        texts |= {arm["label"], arm["description"]}
    for question in found.questions:
        texts |= set(all_wordings(question.text)) | {question.reason, question.to_check}
        texts |= set(all_wordings(question.help)) if question.help else set()
        for option in question.options:
            texts |= set(all_wordings(option.label)) | {option.reason}
    return texts - {""}


def test_shipped_questionnaire_keeps_the_contract():
    found = questionnaire()
    assert found.trial == QUESTIONNAIRE_FILE.parent.name
    # What rules people out comes first; what only informs the team comes last.
    ids = [q.id for q in found.questions]
    assert ids[:3] == ["age_years", "diagnosis", "disease_status"]
    informing = [q.id for q in found.questions if not q.decides and q.id != "respondent"]
    assert ids[-len(informing) :] == informing == ["cd19", "prior_cart19"]
    assert set(found.by_id) == set(CONTRACT) | {"age_years"}
    for qid, table in CONTRACT.items():
        question = found.by_id[qid]
        assert {o.value: o.verdict for o in question.options} == table, qid
    age = found.by_id["age_years"]
    assert (age.type, age.minimum, age.maximum, age.passes_at_most) == ("integer", 0, 120, 30)
    assert found.by_id["diagnosis"].by_value["b_all"].arm == "A"
    assert found.by_id["diagnosis"].by_value["t_all"].arm == "B"


def test_every_question_but_age_and_respondent_offers_im_not_sure():
    for question in questionnaire().questions:
        if question.id in ("age_years", "respondent"):
            continue
        assert question.by_value["unknown"].label == "I'm not sure", question.id


def test_wording_follows_who_answers():
    diagnosis = questionnaire().by_id["diagnosis"]
    assert "your child" in diagnosis.text["child"]
    assert "you have" in diagnosis.text["self"]
    assert "the patient" in diagnosis.text["default"]


def test_english_questions_are_plain(textstat_en):
    too_hard = {}
    for question in questionnaire().questions:
        texts = all_wordings(question.text) + (all_wordings(question.help) if question.help else [])
        for text in texts:
            grade = textstat_en.flesch_kincaid_grade(text)
            if grade > MAX_FK_GRADE:
                too_hard[text] = grade
    assert not too_hard, f"Flesch-Kincaid grade above {MAX_FK_GRADE}: {too_hard}"
    hard = "Haploidentical allogeneic hematopoietic reconstitution necessitates immunosuppression."
    assert textstat_en.flesch_kincaid_grade(hard) > MAX_FK_GRADE


@pytest.fixture
def textstat_en():
    import textstat

    textstat.set_lang("en")
    return textstat


def test_make_messages_extracts_every_text():
    """babel.cfg maps the file to the questionnaire extractor, which finds every shown text."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    relative = QUESTIONNAIRE_FILE.relative_to(ROOT).as_posix()
    method = next(method for pattern, method in method_map if pathmatch(pattern, relative))
    assert method == "questionnaire"
    extracted = {
        message
        for _line, message, _comments, _context in extract_from_file(method, QUESTIONNAIRE_FILE)
    }
    assert extracted == every_text(questionnaire())
    assert "b_all" not in extracted and "yes" not in extracted


GOOD = """
trial: NCT00000001
respondent_question: who
arms: {A: {label: Arm A, description: For some people.}}
questions:
  - id: who
    text: "Who is answering?"
    options: [{value: self, label: Me}, {value: child, label: My child}]
  - id: age
    type: integer
    passes: {at_most: 30}
    text: {self: "How old are you?", default: "How old is the patient?"}
    reason: Too old.
    to_check: The team will check the age.
  - id: kind
    text: "Which kind?"
    reason: Not this kind.
    to_check: The team will check the kind.
    options:
      - {value: a, label: A, verdict: pass, arm: A}
      - {value: b, label: B, verdict: fail}
      - {value: unknown, label: I'm not sure, verdict: unknown}
  - id: marker
    shown_if: {kind: [a], age: {at_least: 10, when_unanswered: true}}
    text: "Marker?"
    options: [{value: "yes", label: "Yes"}, {value: "no", label: "No"}]
"""


def test_a_sponsor_can_write_a_questionnaire_without_python():
    found = parse_questionnaire(yaml.safe_load(GOOD))
    assert [q.id for q in found.questions] == ["who", "age", "kind", "marker"]
    assert found.by_id["kind"].decides and not found.by_id["marker"].decides


def test_an_age_limit_in_months_leaves_its_year_to_the_study_team():
    """passes: unsure lists whole answers that may pass or fail: they count as unknown."""
    found = parse_questionnaire(
        yaml.safe_load(GOOD.replace("{at_most: 30}", "{at_most: 1, unsure: [1]}"))
    )
    fits = {age: evaluate(found, {"age": age, "kind": "a"}).fit for age in (0, 1, 2)}
    assert fits == {0: "likely", 1: "possible", 2: "unlikely"}


BROKEN = [
    ("trial: NCT1\nquestions: []", "questions"),
    ("- just a list", "mapping"),
    ("trial: NCT1\nquestions: [{id: Bad Id, text: x}]", "id like"),
    (GOOD.replace("verdict: fail", "verdict: maybe"), "verdict"),
    (GOOD.replace("{at_most: 30}", "{at_most: 30, unsure: 30}"), "'unsure' lists whole numbers"),
    (GOOD.replace("id: marker", "id: kind"), "repeated"),
    (GOOD.replace("id: marker", "id: result"), "reserved"),
    (GOOD.replace("arm: A}", "arm: C}"), "arm 'C'"),
    (GOOD.replace("    reason: Not this kind.\n", ""), "needs a 'reason'"),
    (GOOD.replace("    to_check: The team will check the kind.\n", ""), "to_check"),
    (GOOD.replace('default: "How old', 'other: "How old'), "unknown respondents"),
    (GOOD.replace(', default: "How old is the patient?"', ""), "default"),
    (GOOD.replace("shown_if: {kind: [a]", "shown_if: {later: [a]"), "earlier question"),
    (GOOD.replace("shown_if: {kind: [a]", "shown_if: {kind: [z]"), "not options"),
    (
        GOOD.replace("label: Me}", "label: Me, verdict: pass}")
        .replace("label: My child}", "label: My child, verdict: fail, reason: No.}")
        .replace('text: "Who is answering?"', 'text: "Who?"\n    to_check: "Who."'),
        "never decide",
    ),
    (
        GOOD.replace("{value: a, label: A, verdict: pass, arm: A}", "{value: a, label: A, arm: A}"),
        "every option",
    ),
    (GOOD.replace("type: integer", "type: date"), "type"),
    (GOOD.replace('{value: "yes", label: "Yes"}', "{value: yes, label: Yes}"), "in quotes"),
    (GOOD.replace('text: "Which kind?"', "text: ''"), "empty"),
]


@pytest.mark.parametrize(("source", "says"), BROKEN)
def test_a_broken_questionnaire_is_refused_saying_where(source, says):
    with pytest.raises(QuestionnaireError, match=says):
        parse_questionnaire(yaml.safe_load(textwrap.dedent(source)))
