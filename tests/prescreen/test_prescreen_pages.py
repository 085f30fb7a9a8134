"""The questionnaire pages: one question per step, progress, back, errors, result, sharing."""

import functools
import re
import sqlite3

import pytest
from flask import session

from tests.conftest import NCT, static_url, translate
from tests.prescreen.test_prescreen_engine import CONTRACT, passing_answers, shown
from tests.prescreen_support import put_state, read_state
from trialfinder.lib.locales import LOCALES
from trialfinder.prescreen import sharing

START = f"/en/trials/{NCT}/prescreen"
RESULT = f"{START}/result"
STEP = re.compile(
    r'<form method="post" action="/(\w+)/trials/'
    + NCT
    + r'/prescreen/(\w+)" novalidate class="prescreen-step"'
)
# The word the result must never use, as translators would write it.
ELIGIBLE = {
    "en": "eligible",
    "es": "elegible",
    "ca": "elegible",
    "fr": "éligible",
    "pt": "elegível",
    "ro": "eligibil",
    "ar": "مؤهل",
}


def title(body: str) -> str:
    return re.search(r"<title>(.*?) · trialfinder</title>", body, re.S).group(1)


def current_step(body: str) -> str | None:
    match = STEP.search(body)
    return match.group(2) if match else None


def walk(client, answers: dict, lang: str = "en") -> list[tuple[str, str]]:
    """Answer from the start page to the result; return (question id, page title) per step."""
    response = client.get(f"/{lang}/trials/{NCT}/prescreen")
    steps = []
    while (question := current_step(response.get_data(as_text=True))) is not None:
        steps.append((question, title(response.get_data(as_text=True))))
        value = answers.get(question, "unknown" if question != "age_years" else 12)
        response = client.post(f"/{lang}/trials/{NCT}/prescreen/{question}", data={"answer": value})
        assert response.status_code == 302, (question, value)
        response = client.get(response.headers["Location"])
        assert len(steps) < 30
    assert response.request.path.endswith("/prescreen/result")
    return steps


def stored(client) -> dict:
    return dict(read_state(client, client.application).get("answers", {}).get(NCT, {}))


def shared(client) -> dict:
    return read_state(client, client.application).get("shared", {})


def test_start_page_explains_and_asks_the_first_question(app, client, lang):
    response = client.get(f"/{lang}/trials/{NCT}/prescreen")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert f'<html lang="{lang}"' in body
    assert current_step(body) == "age_years"  # a question that can rule the study out
    assert 'type="number"' in body and 'inputmode="numeric"' in body
    assert static_url(app, "js/prescreen.js") in body


@pytest.mark.parametrize("diagnosis", ["b_all", "t_all", "unknown"])
@pytest.mark.parametrize("age", [7, 12, 45])
def test_walk_asks_only_the_questions_shown_and_counts_them(client, diagnosis, age):
    answers = passing_answers("b_all") | {"diagnosis": diagnosis, "age_years": age}
    steps = walk(client, answers)
    expected = {q for q in ["age_years", *CONTRACT] if shown(q, answers)}
    assert [q for q, _ in steps][:4] == ["age_years", "diagnosis", "disease_status", "respondent"]
    assert len(steps) == len(expected) and {q for q, _ in steps} == expected
    final = len(steps)
    counters = [re.match(r"Question (\d+) of (\d+): ", t).groups() for _, t in steps]
    numbers, totals = [int(n) for n, _ in counters], [int(m) for _, m in counters]
    assert numbers == list(range(1, final + 1))
    # Honest from the start: the most any family is asked, and it never grows.
    assert totals[0] == 18
    assert all(later <= earlier for earlier, later in zip(totals, totals[1:], strict=False))
    assert totals[-1] == final
    if diagnosis == "b_all" and age >= 10:
        assert set(totals) == {18}


def test_wording_follows_the_respondent(client):
    client.post(f"{START}/respondent", data={"answer": "child"})
    body = client.get(f"{START}/age_years").get_data(as_text=True)
    assert "How old is your child?" in body and "<h1" in body
    assert '<label class="prescreen-label" for="answer">' in body
    client.post(f"{START}/respondent", data={"answer": "clinician"})
    assert "How old is the patient?" in client.get(f"{START}/age_years").get_data(as_text=True)


def test_back_goes_to_the_previous_shown_question(client):
    walk(client, passing_answers("t_all"))
    body = client.get(f"{START}/transplant_willing").get_data(as_text=True)
    assert f'href="{START}/other_curative_option"' in body
    body = client.get(f"{START}/other_curative_option").get_data(as_text=True)
    assert f'href="{START}/haplo_donor"' in body
    assert f'href="/en/trials/{NCT}/"' in client.get(START).get_data(as_text=True)
    # A step already answered shows its answer, so going back loses nothing.
    body = client.get(f"{START}/diagnosis").get_data(as_text=True)
    assert re.search(r'<input[^>]* checked [^>]*value="t_all"', body)


@pytest.mark.parametrize(
    ("question", "value", "message"),
    [
        ("respondent", None, "Choose one answer."),
        ("respondent", "dog", "Choose one answer."),
        ("age_years", "", "Enter a whole number, for example 12."),
        ("age_years", "twelve", "Enter a whole number, for example 12."),
        ("age_years", "12.5", "Enter a whole number, for example 12."),
        ("age_years", "121", "Enter a whole number from 0 to 120."),
    ],
)
def test_errors_are_shown_beside_the_field_and_in_the_title(client, question, value, message):
    data = {} if value is None else {"answer": value}
    response = client.post(f"{START}/{question}", data=data)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert title(body).startswith("Error: Question ")
    assert f'<span class="error-message" id="answer-error" role="alert">{message}</span>' in body
    assert 'aria-invalid="true"' in body
    assert re.search(r'aria-describedby="[^"]*answer-error', body)
    assert stored(client) == {}


def test_a_hidden_question_redirects_to_the_next_shown_one(client):
    client.post(f"{START}/diagnosis", data={"answer": "t_all"})
    response = client.get(f"{START}/cd22")
    assert response.status_code == 302
    assert response.headers["Location"] == f"{START}/haplo_donor"


def test_unknown_step_is_404(client):
    assert client.get(f"{START}/favourite_colour").status_code == 404
    assert client.get(f"/xx/trials/{NCT}/prescreen").status_code == 404


def test_changing_an_answer_drops_answers_to_questions_now_hidden(client):
    client.post(f"{START}/diagnosis", data={"answer": "b_all"})
    client.post(f"{START}/cd22", data={"answer": "negative"})
    assert stored(client)["cd22"] == "negative"
    client.post(f"{START}/diagnosis", data={"answer": "t_all"})
    assert "cd22" not in stored(client)


def test_answers_never_reach_the_database(app, client):
    walk(client, passing_answers() | {"daily_activity": "mostly_active"})
    client.post(RESULT, data={"share": "y"})
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        dump = " ".join(str(db.execute(f'SELECT * FROM "{table}"').fetchall()) for table in tables)
    assert tables and "mostly_active" not in dump and "b_all" not in dump


def result_page(client, answers: dict, lang: str = "en") -> str:
    put_state(client, client.application, answers)
    response = client.get(f"/{lang}/trials/{NCT}/prescreen/result")
    assert response.status_code == 200
    return response.get_data(as_text=True)


FITS = {
    "likely": passing_answers(),
    "possible": passing_answers() | {"cd22": "unknown"},
    "unlikely": passing_answers() | {"age_years": 31, "seizures": "uncontrolled"},
}


@pytest.mark.parametrize("fit", FITS)
def test_result_page_explains_the_result_and_the_next_step(client, fit):
    body = result_page(client, FITS[fit])
    assert f"prescreen-fit-{fit}" in body
    assert "Only the study team can decide who can take part" in body
    assert "What to do next" in body
    assert "What the study team will check" in body
    assert "How long doctors expect the patient to live" in body  # never asked, always checked
    assert "Blood counts" in body
    assert 'name="share" type="checkbox"' in body
    assert "Share my answers with the study team" in body
    assert ">Contact the study team</button>" in body
    assert f'href="{START}/summary"' in body
    if fit == "unlikely":
        assert "The study is for people aged 30 or younger." in body
        assert "The study cannot take people whose seizures are not under control." in body
    if fit == "possible":
        assert "The study team will check for the CD22 marker." in body
    assert ("Arm A, for B-cell ALL" in body) == (fit != "unlikely")


@pytest.mark.parametrize("fit", FITS)
def test_result_and_summary_never_say_eligible(client, lang, fit):
    for path in ("result", "summary"):
        result_page(client, FITS[fit], lang)
        body = client.get(f"/{lang}/trials/{NCT}/prescreen/{path}").get_data(as_text=True)
        assert ELIGIBLE[lang] not in body.lower()
        assert "eligible" not in body.lower()


def test_no_message_of_the_questionnaire_says_eligible():
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

    from tests.prescreen.test_prescreen_engine import ROOT

    method_map = [
        ("trialfinder/prescreen/**.py", "python"),
        ("templates/prescreen/**.html", "jinja2"),
        ("content/trials/**/questionnaire.yaml", "questionnaire"),
    ]
    messages = [
        m[2] for m in extract_from_dir(ROOT, method_map, keywords=DEFAULT_KEYWORDS | {"_l": None})
    ]
    assert len(messages) > 100
    assert not [m for m in messages if "eligib" in str(m).lower()]


def test_no_answers_yet_sends_the_result_back_to_the_start(client):
    assert client.get(RESULT).headers["Location"] == START
    assert client.get(f"{START}/summary").headers["Location"] == START


def test_sharing_carries_the_answers_to_the_contact_form_only_when_ticked(client):
    answers = passing_answers() | {"haplo_donor": "no"}  # hidden for B-ALL: not shared
    result_page(client, answers)
    response = client.post(RESULT, data={"share": "y"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/en/trials/{NCT}/contact"
    assert shared(client)[NCT] == passing_answers()
    body = client.get(RESULT).get_data(as_text=True)
    assert re.search(r'<input[^>]* checked [^>]*name="share"', body)
    response = client.post(RESULT, data={})
    assert response.headers["Location"] == f"/en/trials/{NCT}/contact"
    assert NCT not in shared(client)


def test_contact_link_uses_the_contact_form_when_it_exists(app, client):
    app.add_url_rule("/<lang>/trials/<nct_id>/write-to-us", "contact.form", lambda **kw: "form")
    result_page(client, passing_answers())
    response = client.post(RESULT, data={})
    assert response.headers["Location"] == f"/en/trials/{NCT}/write-to-us"


def test_summary_is_printable_without_javascript(client):
    result_page(client, FITS["possible"])
    body = client.get(f"{START}/summary").get_data(as_text=True)
    assert "Summary of your answers" in body
    assert "What type of leukaemia does your child have?" in body and "B-cell ALL (B-ALL)" in body
    assert "<script" not in body.split("</head>")[1] and "<form" not in body
    css = (__import__("pathlib").Path(__file__).parents[2] / "static/css/site.css").read_text()
    assert re.search(r"@media print \{[^@]*\.prescreen-share", css)


def test_start_again_forgets_the_answers(client):
    result_page(client, passing_answers())
    client.post(RESULT, data={"share": "y"})
    assert client.post(f"{START}/restart").headers["Location"] == START
    assert stored(client) == {}
    assert NCT not in shared(client)


def test_shared_answers_and_staff_summary_for_the_contact_form(app, client):
    answers = passing_answers() | {"cd22": "unknown", "age_years": 14}
    result_page(client, answers)
    client.post(RESULT, data={"share": "y"})
    with app.test_request_context(f"/es/trials/{NCT}/contact"):
        with client.session_transaction() as cookie:
            session.update(cookie)
        assert sharing.shared_answers(NCT) == answers
        assert sharing.shared_answers("NCT00000000") is None
        summary = sharing.staff_summary(NCT, answers, "es")
        sharing.forget_shared(NCT)
        assert sharing.shared_answers(NCT) is None
    assert set(summary) == {"fit", "fit_code", "arm", "reasons", "to_check", "answers"}
    assert (summary["fit_code"], summary["arm"], summary["reasons"]) == ("possible", "A", [])
    # In Spanish, as the La Paz staff read it.
    es = functools.partial(translate, app, "es")
    assert summary["to_check"] == [es("The study team will check for the CD22 marker.")]
    assert (es("How old is the patient?"), "14") in summary["answers"]
    assert summary["answers"][0] == (es("How old is the patient?"), "14")
    assert (es("Who is answering these questions?"), es("My child is the patient.")) in summary[
        "answers"
    ]
    assert summary["fit"]


def test_staff_summary_drops_invalid_and_hidden_answers(app):
    with app.test_request_context("/"):
        summary = sharing.staff_summary(
            NCT, {"diagnosis": "t_all", "cd22": "negative", "age_years": "x"}, "en"
        )
    assert summary["fit_code"] == "possible" and summary["arm"] == "B"
    assert ("How old is the patient?", "Not answered") in summary["answers"]
    assert not [q for q, _a in summary["answers"] if "CD22" in q]


@pytest.mark.parametrize("lang", LOCALES)
def test_result_page_renders_in_every_locale(client, lang):
    body = result_page(client, FITS["unlikely"], lang)
    assert f'<html lang="{lang}"' in body and "data-prescreen" in body
