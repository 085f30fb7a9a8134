"""Questions that rule people out come first; the counter's total is honest from the start."""

import itertools

import pytest

from tests.conftest import NCT
from tests.prescreen.test_prescreen_engine import QUESTIONNAIRE, passing_answers
from trialfinder.prescreen.engine import most_questions, next_question, visible_questions

START = f"/en/trials/{NCT}/prescreen"
AGE_RULE = "The study is for people aged 30 or younger."


def totals_along(answers: dict) -> tuple[list[int], int]:
    """Answer in order as a family would; return the total shown at each step and the count."""
    given: dict = {}
    totals = []
    question = next_question(QUESTIONNAIRE, given, None)
    while question is not None:
        totals.append(most_questions(QUESTIONNAIRE, given))
        given[question.id] = answers[question.id]
        question = next_question(QUESTIONNAIRE, given, question)
    return totals, len(visible_questions(QUESTIONNAIRE, given))


@pytest.mark.parametrize(
    ("age", "diagnosis"),
    list(
        itertools.product(
            [0, 5, 9, 10, 11, 30, 31, 120],
            ["b_all", "t_all", "all_unknown_type", "other", "unknown"],
        )
    ),
)
def test_the_total_never_grows_and_ends_at_the_questions_asked(age, diagnosis):
    answers = passing_answers("b_all") | {"age_years": age, "diagnosis": diagnosis}
    answers |= {"haplo_donor": "yes", "pregnant_or_breastfeeding": "no"}
    totals, asked = totals_along(answers)
    assert totals[0] == 18  # the most any family is asked: B-ALL, aged 10 or more
    assert all(later <= earlier for earlier, later in zip(totals, totals[1:], strict=False))
    assert totals[-1] == asked == len(totals)


def test_the_first_question_can_rule_the_study_out():
    first = next_question(QUESTIONNAIRE, {}, None)
    assert first.decides and first.id == "age_years"


def test_a_35_year_old_learns_the_age_rule_at_the_next_question(client):
    response = client.post(f"{START}/age_years", data={"answer": "35"})
    body = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Question 2 of 18" in body
    assert "This study probably does not fit" in body and AGE_RULE in body
    assert f'<a href="{START}/result">See the result now</a>' in body
    result = client.get(f"{START}/result").get_data(as_text=True)
    assert "This study probably does not fit" in result and AGE_RULE in result


def test_a_12_year_old_is_not_told_anything_early(client):
    response = client.post(f"{START}/age_years", data={"answer": "12"})
    body = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Question 2 of 18" in body
    assert "See the result now" not in body
