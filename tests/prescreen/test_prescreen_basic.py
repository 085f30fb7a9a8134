"""The basic pre-screen: a trial without a questionnaire.yaml gets one from its record."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT
from tests.sponsor_support import TEST_NCT, import_test_trial
from trialfinder.prescreen import basic
from trialfinder.prescreen.engine import evaluate

TEMPLATE = basic.load_template(ROOT / "content" / "prescreen" / "basic.yaml")
QUESTIONS_URL = f"/api/v1/trials/{TEST_NCT}/questionnaire"
PRESCREEN_URL = f"/api/v1/trials/{TEST_NCT}/prescreen"


def limits(**values) -> basic.Limits:
    return basic.Limits(**({"nct_id": TEST_NCT, "conditions": ("Asthma",)} | values))


@pytest.mark.parametrize(
    ("ages", "age", "fit"),
    [
        ((18, 65), 17, "unlikely"),
        ((18, 65), 18, "likely"),
        ((18, 65), 65, "likely"),
        ((18, 65), 66, "unlikely"),
        ((0.5, None), 0, "possible"),  # from 6 months: a baby in its first year may be old enough
        ((0.5, None), 1, "likely"),
        ((None, 1.5), 1, "possible"),  # up to 18 months: "1" may be 13 or 20 months old
        ((None, 1.5), 2, "unlikely"),
        ((0.25, 0.75), 0, "possible"),  # 3 to 9 months
        ((0.25, 0.75), 1, "unlikely"),
        ((None, 17), 18, "unlikely"),
        ((None, None), 99, "likely"),
    ],
)
def test_age_outside_the_record_range_is_unlikely(ages, age, fit):
    questionnaire = basic.build(TEMPLATE, limits(min_age_years=ages[0], max_age_years=ages[1]))
    result = evaluate(questionnaire, {"age_years": age, "has_condition": "yes"})
    assert result.fit == fit
    assert [reason.question for reason in result.reasons] == (
        ["age_years"] if fit == "unlikely" else []
    )
    assert [finding.question for finding in result.to_check] == (
        ["age_years"] if fit == "possible" else []
    )


def test_unknown_answers_never_exclude():
    questionnaire = basic.build(TEMPLATE, limits(min_age_years=18, sex="MALE"))
    result = evaluate(questionnaire, {})
    assert result.fit == "possible" and not result.reasons
    assert {finding.question for finding in result.to_check} == {
        "age_years",
        "sex",
        "has_condition",
    }
    assert evaluate(questionnaire, {"sex": "unknown", "has_condition": "unknown"}).fit == "possible"


def test_sex_is_asked_only_when_the_record_limits_it():
    assert "sex" not in basic.build(TEMPLATE, limits()).by_id
    questionnaire = basic.build(TEMPLATE, limits(sex="FEMALE"))
    assert evaluate(questionnaire, {"sex": "male"}).reasons[0].question == "sex"
    assert evaluate(questionnaire, {"sex": "female", "age_years": 40}).fit == "possible"


def test_healthy_volunteers_make_the_condition_question_inform_only():
    patients = basic.build(TEMPLATE, limits(healthy_volunteers=False))
    assert evaluate(patients, {"has_condition": "no"}).fit == "unlikely"
    volunteers = basic.build(TEMPLATE, limits(healthy_volunteers=True))
    assert not volunteers.by_id["has_condition"].decides
    assert evaluate(volunteers, {"has_condition": "no", "age_years": 30}).fit == "likely"


@pytest.fixture
def trial(runner, tmp_path):
    return import_test_trial(runner, tmp_path)


def post(client, answers, lang="en"):
    return client.post(f"{PRESCREEN_URL}?lang={lang}", json={"answers": answers})


def test_api_questionnaire_of_an_imported_trial(client, trial):
    data = client.get(QUESTIONS_URL).get_json()
    ids = [question["id"] for question in data["questions"]]
    assert ids == ["age_years", "respondent", "sex", "has_condition"]
    help_text = data["questions"][3]["help"]
    assert "Precursor Cell Lymphoblastic Leukemia-Lymphoma" in help_text


@pytest.mark.parametrize(
    ("answers", "fit", "reasons"),
    [
        ({"age_years": 70}, "unlikely", ["age_years"]),
        ({"age_years": 17}, "unlikely", ["age_years"]),
        ({"age_years": 40}, "possible", []),  # sex not answered: the team checks it
        ({"age_years": 40, "sex": "female"}, "likely", []),
        ({"age_years": 40, "sex": "male"}, "unlikely", ["sex"]),
        ({"sex": "unknown"}, "possible", []),
    ],
)
def test_api_result(client, trial, answers, fit, reasons):
    data = post(client, answers).get_json()
    assert data["fit"] == fit
    assert [reason["question"] for reason in data["reasons"]] == reasons


def test_the_age_reason_names_the_record_ages_in_the_language(client, trial, app):
    english = post(client, {"age_years": 70}).get_json()["reasons"][0]["text"]
    assert english == "The registry lists this study for ages 18 to 65 years."
    arabic = post(client, {"age_years": 70}, "ar").get_json()["reasons"][0]["text"]
    assert arabic != english and "18" in arabic and "65" in arabic


@pytest.mark.parametrize("lang", ["es", "ar"])
def test_prescreen_pages(client, trial, lang):
    start = client.get(f"/{lang}/trials/{TEST_NCT}/prescreen")
    assert start.status_code == 200
    for question, answer in [("respondent", "self"), ("age_years", "70")]:
        response = client.post(
            f"/{lang}/trials/{TEST_NCT}/prescreen/{question}", data={"answer": answer}
        )
        assert response.status_code == 302
    page = client.get(f"/{lang}/trials/{TEST_NCT}/prescreen/result").get_data(as_text=True)
    from tests.conftest import translate

    app = client.application
    assert translate(app, lang, "This study probably does not fit") in page
    from flask_babel import force_locale

    from trialfinder.lib.ages import Age
    from trialfinder.trials.labels import age_limits

    with app.test_request_context(), force_locale(lang):
        reason = age_limits(Age(18, "year"), Age(65, "year"))
    assert reason in page and "18" in reason and "65" in reason
    notice = translate(
        app,
        lang,
        "This is a basic check. It only uses the age and sex limits in the registry record. "
        "The full list of rules in the registry decides, and the study team checks it with you.",
    )
    assert notice in page
    assert "Inclusion Criteria" in page  # the registry text, as it is
    assert "eligible" not in page.lower()


def test_the_trial_page_offers_the_basic_prescreen(client, trial):
    page = client.get(f"/en/trials/{TEST_NCT}/").get_data(as_text=True)
    assert f"/en/trials/{TEST_NCT}/prescreen" in page


def test_a_trial_that_is_not_imported_has_no_prescreen(client):
    assert client.get("/api/v1/trials/NCT09990002/questionnaire").status_code == 404
    assert client.get("/en/trials/NCT09990002/prescreen").status_code == 404


def test_api_gives_the_nearest_recruiting_site_from_a_place(client, trial):
    body = {"answers": {"age_years": 40}, "place": {"near": "08001", "country": "ES"}}
    data = client.post(f"{PRESCREEN_URL}?lang=en", json=body).get_json()
    assert data["nearest_site"]["facility"] == "Hospital Universitario La Paz"
    assert 400 <= data["nearest_site"]["km"] <= 600  # Barcelona to Madrid
    assert "nearest_site" not in post(client, {"age_years": 40}).get_json()
    unknown = {"answers": {}, "place": {"near": "Atlantis", "country": "ES"}}
    assert client.post(PRESCREEN_URL, json=unknown).get_json()["nearest_site"] is None
    bad = client.post(PRESCREEN_URL, json={"answers": {}, "place": "Madrid"})
    assert bad.status_code == 400 and bad.get_json()["field"] == "place"


def test_the_result_page_tells_the_distance(client, trial):
    client.post(f"/en/trials/{TEST_NCT}/prescreen/age_years", data={"answer": "40"})
    url = f"/en/trials/{TEST_NCT}/prescreen/result"
    page = client.get(url, query_string={"near": "08001", "country": "ES"}).get_data(as_text=True)
    assert "The nearest recruiting site is Hospital Universitario La Paz, Madrid: about" in page
    page = client.get(url, query_string={"near": "Atlantis"}).get_data(as_text=True)
    assert "We could not find this place." in page and 'aria-invalid="true"' in page


def test_summary_and_staff_summary_of_a_basic_prescreen(client, trial, app):
    from trialfinder.prescreen.sharing import staff_summary

    client.post(f"/en/trials/{TEST_NCT}/prescreen/age_years", data={"answer": "70"})
    summary = client.get(f"/en/trials/{TEST_NCT}/prescreen/summary").get_data(as_text=True)
    assert "This is a basic check." in summary
    with app.test_request_context():
        staff = staff_summary(TEST_NCT, {"age_years": 70, "sex": "female"}, "es")
    assert staff["fit_code"] == "unlikely"
    assert staff["reasons"] == [
        "El registro indica que este estudio es para edades de 18 a 65 años."
    ]
    assert ("¿Cuál es el sexo del paciente?", "Mujer") in staff["answers"]


BASIC_ANSWERS = st.dictionaries(
    st.sampled_from(["respondent", "age_years", "sex", "has_condition", "other"]),
    st.one_of(
        st.sampled_from(["self", "female", "male", "unknown", "yes", "no"]),
        st.integers(-5, 130),
        st.none(),
        st.floats(),
        st.booleans(),
    ),
    max_size=5,
)
PLACES = st.one_of(
    st.none(), st.text(max_size=10), st.fixed_dictionaries({"near": st.text(max_size=10)})
)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(answers=BASIC_ANSWERS, place=PLACES)
def test_property_any_answers_give_200_or_a_plain_400(client, trial, answers, place):
    body = {"answers": answers} | ({"place": place} if place is not None else {})
    response = client.post(PRESCREEN_URL, json=body)
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        data = response.get_json()
        assert data["fit"] in ("likely", "possible", "unlikely")
        # Unknown answers never exclude: every reason is a given answer outside the limits.
        for reason in data["reasons"]:
            assert answers.get(reason["question"]) not in (None, "unknown")


def test_the_basic_texts_are_plain_english():
    import textstat

    from tests.prescreen_support import all_wordings

    texts = []
    for limits_case in (limits(min_age_years=18, max_age_years=65, sex="MALE"), limits()):
        questionnaire = basic.build(TEMPLATE, limits_case)
        for question in questionnaire.questions:
            texts += [str(text) for text in all_wordings(question.text)]
            texts += [str(question.reason), str(question.to_check)]
    textstat.set_lang("en")
    assert textstat.flesch_kincaid_grade(" ".join(t for t in texts if t)) <= 8
