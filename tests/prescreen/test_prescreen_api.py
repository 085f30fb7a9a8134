"""JSON API: the questionnaire in every locale, results, plain 400s and never a 500."""

import json
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import NCT
from tests.prescreen.test_prescreen_engine import CONTRACT, ROOT, passing_answers

QUESTIONS_URL = f"/api/v1/trials/{NCT}/questionnaire"
PRESCREEN_URL = f"/api/v1/trials/{NCT}/prescreen"
OTHER = "NCT99999999"  # a trial without a questionnaire.yaml: it gets the basic one


@pytest.fixture
def app_config(app_config, tmp_path):
    """The shipped content, plus a second trial that has no questionnaire."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    record = json.loads((content / "trials" / NCT / "record.json").read_text(encoding="utf-8"))
    record["protocolSection"]["identificationModule"]["nctId"] = OTHER
    (content / "trials" / OTHER).mkdir()
    (content / "trials" / OTHER / "record.json").write_text(json.dumps(record), encoding="utf-8")
    return app_config | {"CONTENT_DIR": str(content)}


def test_every_question_has_text_in_every_locale(client, lang):
    response = client.get(f"{QUESTIONS_URL}?lang={lang}")
    assert response.status_code == 200
    data = response.get_json()
    assert (data["trial"], data["lang"]) == (NCT, lang)
    assert [q["id"] for q in data["questions"]][:3] == ["age_years", "diagnosis", "disease_status"]
    for question in data["questions"]:
        assert question["text"].strip(), question["id"]
        assert all(option["label"].strip() for option in question["options"]), question["id"]
        assert set(question) == {"id", "text", "help", "type", "options", "shown_if"}


def test_questionnaire_describes_types_options_and_when_questions_show(client):
    questions = {q["id"]: q for q in client.get(f"{QUESTIONS_URL}?lang=en").get_json()["questions"]}
    assert questions["age_years"]["type"] == "integer" and questions["age_years"]["options"] == []
    assert [o["value"] for o in questions["seizures"]["options"]] == list(CONTRACT["seizures"])
    assert questions["cd22"]["shown_if"] == {
        "diagnosis": {"in": ["b_all"], "when_unanswered": False}
    }
    assert questions["haplo_donor"]["shown_if"]["diagnosis"]["in"] == ["t_all"]
    assert questions["pregnant_or_breastfeeding"]["shown_if"] == {
        "age_years": {"at_least": 10, "when_unanswered": True}
    }
    assert questions["diagnosis"]["shown_if"] is None


@pytest.mark.parametrize(
    ("respondent", "words"),
    [
        ("child", "your child"),
        ("self", "do you have"),
        ("clinician", "the patient"),
        (None, "the patient"),
    ],
)
def test_questions_are_worded_for_who_answers(client, respondent, words):
    query = f"&respondent={respondent}" if respondent else ""
    questions = client.get(f"{QUESTIONS_URL}?lang=en{query}").get_json()["questions"]
    diagnosis = next(q for q in questions if q["id"] == "diagnosis")
    assert words in diagnosis["text"]


def post(client, body, lang="en", **kwargs):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(
        f"{PRESCREEN_URL}?lang={lang}", data=data, content_type="application/json", **kwargs
    )


def test_answers_that_pass_give_likely_and_the_arm(client):
    response = post(client, {"answers": passing_answers("t_all")})
    assert response.status_code == 200
    assert response.get_json() == {"fit": "likely", "arm": "B", "reasons": [], "to_check": []}


def test_a_failing_answer_gives_its_plain_reason(client):
    data = post(client, {"answers": passing_answers() | {"age_years": 31}}).get_json()
    assert (data["fit"], data["arm"]) == ("unlikely", None)
    assert data["reasons"] == [
        {"question": "age_years", "text": "The study is for people aged 30 or younger."}
    ]


def test_missing_answers_count_as_unknown(client):
    data = post(client, {"answers": {}}).get_json()
    assert (data["fit"], data["arm"], data["reasons"]) == ("possible", None, [])
    checked = [item["question"] for item in data["to_check"]]
    assert checked[:2] == ["age_years", "diagnosis"] and "cd22" not in checked
    assert all(item["text"].startswith("The study team will") for item in data["to_check"])


def test_answers_to_hidden_questions_are_ignored(client):
    answers = passing_answers("b_all") | {"haplo_donor": "no"}
    assert post(client, {"answers": answers}).get_json()["fit"] == "likely"


BAD = [
    ("{not json", None),
    (b"\xff\xfe\x00", None),
    ("", None),
    ("[" * 60_000, None),
    ([], None),
    ("null", None),
    ({"answer": {}}, "answers"),
    ({"answers": []}, "answers"),
    ({"answers": "b_all"}, "answers"),
    ({"answers": {"favourite_colour": "blue"}}, "favourite_colour"),
    ({"answers": {"diagnosis": "aml"}}, "diagnosis"),
    ({"answers": {"diagnosis": None}}, "diagnosis"),
    ({"answers": {"diagnosis": ["b_all"]}}, "diagnosis"),
    ({"answers": {"age_years": "12"}}, "age_years"),
    ({"answers": {"age_years": 12.5}}, "age_years"),
    ({"answers": {"age_years": 12.0}}, "age_years"),
    ({"answers": {"age_years": True}}, "age_years"),
    ({"answers": {"age_years": -1}}, "age_years"),
    ({"answers": {"age_years": 121}}, "age_years"),
    ({"answers": {"age_years": 10**40}}, "age_years"),
    ('{"answers": {"age_years": NaN}}', "age_years"),
]


@pytest.mark.parametrize(("body", "field"), BAD)
def test_bad_requests_get_a_plain_400_naming_the_field(client, body, field):
    response = post(client, body)
    assert response.status_code == 400
    data = response.get_json()
    assert data["field"] == field
    assert data["error"] and "Traceback" not in data["error"] and len(data["error"]) < 120


def test_an_age_error_says_the_range(client):
    data = post(client, {"answers": {"age_years": 200}}).get_json()
    assert data["error"] == "The answer must be a whole number from 0 to 120."


@pytest.mark.parametrize(
    ("url", "field"),
    [(f"{QUESTIONS_URL}?lang=xx", "lang"), (f"{QUESTIONS_URL}?respondent=cat", "respondent")],
)
def test_unknown_language_or_respondent_is_a_400(client, url, field):
    response = client.get(url)
    assert response.status_code == 400 and response.get_json()["field"] == field


def test_errors_come_in_the_requested_language(client):
    response = client.post("/api/v1/trials/NCT00000000/prescreen?lang=es", json={"answers": {}})
    assert response.status_code == 404
    english = client.post("/api/v1/trials/NCT00000000/prescreen?lang=en", json={"answers": {}})
    assert response.get_json()["error"] != english.get_json()["error"]


@pytest.mark.parametrize("nct_id", ["NCT00000000", "..", "nct06709469x"])
def test_trials_not_imported_have_no_questionnaire(client, nct_id):
    assert client.get(f"/api/v1/trials/{nct_id}/questionnaire").status_code == 404
    assert (
        client.post(f"/api/v1/trials/{nct_id}/prescreen", json={"answers": {}}).status_code == 404
    )
    assert client.get(f"/en/trials/{nct_id}/prescreen").status_code == 404


def test_a_trial_without_questionnaire_yaml_gets_the_basic_one(client):
    link = "Check if this study may fit"
    assert link in client.get(f"/en/trials/{NCT}/").get_data(as_text=True)
    assert link in client.get(f"/en/trials/{OTHER}/").get_data(as_text=True)
    ids = [
        q["id"] for q in client.get(f"/api/v1/trials/{OTHER}/questionnaire").get_json()["questions"]
    ]
    assert "age_years" in ids and "diagnosis" not in ids


@pytest.fixture
def csrf_client(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app.test_client()


def test_prescreen_needs_no_csrf_token_and_stores_nothing(csrf_client):
    response = post(csrf_client, {"answers": passing_answers()})
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert (
        csrf_client.post(
            f"/en/trials/{NCT}/prescreen/respondent", data={"answer": "self"}
        ).status_code
        == 400
    )


def test_get_on_prescreen_is_a_json_405(client):
    response = client.get(PRESCREEN_URL)
    assert response.status_code == 405 and response.get_json()["field"] is None


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=20), inner, max_size=4)
    ),
    max_leaves=20,
)
ANSWER_VALUES = st.one_of(
    JSON,
    st.sampled_from(sorted({v for table in CONTRACT.values() for v in table})),
    st.integers(-5, 130),
)
ANSWERS = st.dictionaries(
    st.sampled_from([*CONTRACT, "age_years", "other"]), ANSWER_VALUES, max_size=8
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.one_of(JSON, st.fixed_dictionaries({"answers": st.one_of(ANSWERS, JSON)})))
def test_property_any_json_body_gives_200_or_a_plain_400(client, body):
    response = client.post(PRESCREEN_URL, data=json.dumps(body), content_type="application/json")
    assert response.status_code in (200, 400)
    data = response.get_json()
    if response.status_code == 200:
        assert data["fit"] in ("likely", "possible", "unlikely")
    else:
        assert set(data) == {"error", "field"} and data["error"]


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=st.binary(max_size=200))
def test_property_any_bytes_give_200_or_400(client, raw):
    response = client.post(PRESCREEN_URL, data=raw, content_type="application/json")
    assert response.status_code in (200, 400)
