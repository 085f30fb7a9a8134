"""The rules engine against the contract of issue 3, case by case and by property.

The contract below is written out from the issue, independently of questionnaire.yaml, so a
slip in the YAML shows up here. Other prescreen tests import it.
"""

import ast
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trialfinder.prescreen.engine import evaluate, relevant_answers, visible_questions
from trialfinder.prescreen.questionnaire import load_questionnaire

ROOT = Path(__file__).resolve().parents[2]
QUESTIONNAIRE_FILE = ROOT / "content" / "trials" / "NCT06709469" / "questionnaire.yaml"

YES_NO = {"yes": "fail", "no": "pass", "unknown": "unknown"}
# question id -> {value: verdict}; None: the answer never decides.
CONTRACT = {
    "respondent": {"self": None, "child": None, "other": None, "clinician": None},
    "diagnosis": {
        "b_all": "pass",
        "t_all": "pass",
        "all_unknown_type": "unknown",
        "unknown": "unknown",
        "other": "fail",
    },
    "disease_status": {
        "relapsed": "pass",
        "refractory": "pass",
        "remission": "fail",
        "new": "fail",
        "unknown": "unknown",
    },
    "other_curative_option": YES_NO,
    "cd22": {"positive": "pass", "negative": "fail", "unknown": "unknown"},
    "cd19": {"positive": None, "negative": None, "unknown": None},
    "prior_cart19": {"yes": None, "no": None, "unknown": None},
    "haplo_donor": {"yes": "pass", "no": "fail", "unknown": "unknown"},
    "transplant_willing": {"yes": "pass", "no": "fail", "unknown": "unknown"},
    "daily_activity": {"mostly_active": "pass", "mostly_in_bed": "fail", "unknown": "unknown"},
    "other_trial_4w": YES_NO,
    "active_infection": YES_NO,
    "heart_problem": YES_NO,
    "cns_disease": YES_NO,
    "immunosuppressants": YES_NO,
    "kidney_liver_problem": YES_NO,
    "seizures": {
        "none": "pass",
        "controlled": "pass",
        "uncontrolled": "fail",
        "unknown": "unknown",
    },
    "pregnant_or_breastfeeding": {
        "no": "pass",
        "not_applicable": "pass",
        "yes": "fail",
        "unknown": "unknown",
    },
}
ARMS = {"b_all": "A", "t_all": "B"}
PREGNANCY_FROM_AGE = 10


def questionnaire():
    return load_questionnaire(QUESTIONNAIRE_FILE)


def shown(question: str, answers: dict) -> bool:
    """Which questions count, as issue 3 and the brief say."""
    if question in ("cd22", "cd19", "prior_cart19"):
        return answers.get("diagnosis") == "b_all"
    if question == "haplo_donor":
        return answers.get("diagnosis") == "t_all"
    if question == "pregnant_or_breastfeeding":
        age = answers.get("age_years")
        return age is None or age >= PREGNANCY_FROM_AGE
    return True


def age_verdict(age: int | None) -> str:
    return "unknown" if age is None else "pass" if age <= 30 else "fail"


def expected(answers: dict) -> tuple[str, str | None, set[str], set[str]]:
    """Return fit, arm, failing and unknown question ids by the contract alone."""
    verdicts = {"age_years": age_verdict(answers.get("age_years"))}
    for question, table in CONTRACT.items():
        if shown(question, answers) and any(table.values()):
            verdicts[question] = table.get(answers.get(question), "unknown")
    failing = {q for q, v in verdicts.items() if v == "fail"}
    unknown = {q for q, v in verdicts.items() if v == "unknown"}
    fit = "unlikely" if failing else "possible" if unknown else "likely"
    arm = ARMS.get(answers.get("diagnosis")) if fit != "unlikely" else None
    return fit, arm, failing, unknown


def passing_answers(diagnosis: str = "b_all") -> dict:
    """Answers that pass every criterion."""
    answers = {"respondent": "child", "age_years": 12, "diagnosis": diagnosis}
    for question, table in CONTRACT.items():
        if question not in answers and shown(question, answers):
            answers[question] = next((v for v, verdict in table.items() if verdict == "pass"), None)
            if answers[question] is None:
                answers[question] = next(iter(table))
    return answers


QUESTIONNAIRE = questionnaire()
DECIDING = [q for q, table in CONTRACT.items() if any(table.values())]
FITS = ("unlikely", "possible", "likely")


def check(answers: dict):
    result = evaluate(QUESTIONNAIRE, answers)
    fit, arm, failing, unknown = expected(answers)
    assert result.fit == fit
    assert result.arm == arm
    assert {finding.question for finding in result.reasons} == failing
    assert {finding.question for finding in result.to_check} == unknown
    return result


# ---- the contract, case by case ------------------------------------------------------------


@pytest.mark.parametrize(("diagnosis", "arm"), [("b_all", "A"), ("t_all", "B")])
def test_answers_that_pass_everything_give_likely_and_the_arm(diagnosis, arm):
    result = check(passing_answers(diagnosis))
    assert (result.fit, result.arm, result.reasons, result.to_check) == ("likely", arm, (), ())


FAILING = [
    (question, value)
    for question, table in CONTRACT.items()
    for value, verdict in table.items()
    if verdict == "fail"
]


@pytest.mark.parametrize(("question", "value"), FAILING)
def test_each_failing_answer_gives_unlikely_with_its_reason(question, value):
    answers = passing_answers("t_all" if question == "haplo_donor" else "b_all") | {question: value}
    result = check(answers)
    assert result.fit == "unlikely" and result.arm is None
    [reason] = result.reasons
    assert reason.question == question
    assert reason.text == QUESTIONNAIRE.by_id[question].reason
    assert reason.text.startswith("The study") or reason.text.startswith("Arm ")


UNKNOWN = (
    [
        (question, value)
        for question, table in CONTRACT.items()
        for value, verdict in table.items()
        if verdict == "unknown"
    ]
    + [(question, None) for question in DECIDING]
    + [("age_years", None)]
)


@pytest.mark.parametrize(("question", "value"), UNKNOWN)
def test_each_unknown_or_missing_answer_gives_possible_with_what_the_team_checks(question, value):
    diagnosis = "t_all" if question == "haplo_donor" else "b_all"
    answers = passing_answers(diagnosis) | {question: value}
    if value is None:
        del answers[question]
    result = check(answers)
    assert result.fit == "possible" and result.reasons == ()
    [item] = result.to_check
    assert item.question == question
    assert item.text.startswith("The study team will")
    assert result.arm == (None if question == "diagnosis" else "A" if diagnosis == "b_all" else "B")


@pytest.mark.parametrize(("age", "fit"), [(0, "likely"), (30, "likely"), (31, "unlikely")])
def test_age_above_30_fails(age, fit):
    assert check(passing_answers() | {"age_years": age}).fit == fit


@pytest.mark.parametrize("question", ["cd19", "prior_cart19", "respondent"])
def test_information_questions_never_decide(question):
    for value in CONTRACT[question]:
        assert check(passing_answers() | {question: value}).fit == "likely"


@pytest.mark.parametrize(
    ("answers", "ignored"),
    [
        ({"diagnosis": "t_all", "cd22": "negative"}, "cd22"),
        ({"diagnosis": "all_unknown_type", "cd22": "negative"}, "cd22"),
        ({"diagnosis": "b_all", "haplo_donor": "no"}, "haplo_donor"),
        ({"diagnosis": "unknown", "haplo_donor": "no"}, "haplo_donor"),
        ({"age_years": 9, "pregnant_or_breastfeeding": "yes"}, "pregnant_or_breastfeeding"),
    ],
)
def test_answers_to_hidden_questions_are_ignored(answers, ignored):
    result = check(
        passing_answers(answers["diagnosis"] if "diagnosis" in answers else "b_all") | answers
    )
    assert ignored not in {f.question for f in result.reasons + result.to_check}
    assert ignored not in relevant_answers(QUESTIONNAIRE, answers)


@pytest.mark.parametrize("age", [10, 17, 30, None])
def test_pregnancy_counts_from_age_10_and_when_the_age_is_unknown(age):
    answers = passing_answers() | {"age_years": age, "pregnant_or_breastfeeding": "yes"}
    if age is None:
        del answers["age_years"]
    assert "pregnant_or_breastfeeding" in {f.question for f in check(answers).reasons}


def test_every_failing_criterion_is_listed():
    answers = passing_answers() | {"age_years": 45, "cd22": "negative", "seizures": "uncontrolled"}
    result = check(answers)
    assert [f.question for f in result.reasons] == ["age_years", "cd22", "seizures"]


def test_shown_questions_follow_the_diagnosis():
    def ids(answers):
        return [q.id for q in visible_questions(QUESTIONNAIRE, answers)]

    assert "cd22" in ids({"diagnosis": "b_all"}) and "haplo_donor" not in ids(
        {"diagnosis": "b_all"}
    )
    assert "haplo_donor" in ids({"diagnosis": "t_all"}) and "cd22" not in ids(
        {"diagnosis": "t_all"}
    )
    assert "pregnant_or_breastfeeding" not in ids({"age_years": 4})


def test_the_engine_imports_no_flask():
    package = Path(__file__).resolve().parents[2] / "trialfinder" / "prescreen"
    for name in ("engine.py", "model.py", "questionnaire.py"):
        tree = ast.parse((package / name).read_text(encoding="utf-8"))
        modules = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        }
        modules |= {
            node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
        }
        assert not {m for m in modules if m.split(".")[0].startswith("flask")}, name


# ---- properties ------------------------------------------------------------------------------

MISSING = object()


@st.composite
def answer_sets(draw, consistent: bool = False):
    """Any valid answers; consistent ones answer only the questions shown (as the page does)."""
    answers = {}
    age = draw(st.one_of(st.just(MISSING), st.integers(0, 120)))
    if age is not MISSING:
        answers["age_years"] = age
    for question, table in CONTRACT.items():
        value = draw(st.one_of(st.just(MISSING), st.sampled_from(sorted(table))))
        if value is not MISSING:
            answers[question] = value
    if consistent:
        answers = {q: v for q, v in answers.items() if shown(q, answers)}
    return answers


@given(answer_sets())
def test_property_result_is_unlikely_exactly_when_some_shown_answer_fails(answers):
    result = check(answers)
    assert (result.fit == "unlikely") == bool(expected(answers)[2])


def improvements(answers: dict) -> list[tuple[str, object]]:
    """Every way to turn one unknown or missing, shown answer into a passing one."""
    changes = []
    if answers.get("age_years") is None:
        changes += [("age_years", age) for age in (0, 9, 10, 30)]
    for question in DECIDING:
        if shown(question, answers) and CONTRACT[question].get(answers.get(question)) in (
            None,
            "unknown",
        ):
            changes += [
                (question, v) for v, verdict in CONTRACT[question].items() if verdict == "pass"
            ]
    return changes


@given(answer_sets(consistent=True), st.data())
def test_property_turning_an_unknown_into_a_pass_never_makes_the_result_worse(answers, data):
    changes = improvements(answers)
    if not changes:
        return
    question, value = data.draw(st.sampled_from(changes))
    better = answers | {question: value}
    # Questions that the new answer hides lose their answers, as on the page.
    better = {q: v for q, v in better.items() if shown(q, better)}
    before, after = evaluate(QUESTIONNAIRE, answers), evaluate(QUESTIONNAIRE, better)
    assert FITS.index(after.fit) >= FITS.index(before.fit), (answers, question, value)
    assert len(after.reasons) <= len(before.reasons)
