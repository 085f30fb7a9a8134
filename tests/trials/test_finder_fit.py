"""The finder says whether each trial may fit by age and sex, and why not."""

import json
from pathlib import Path

import pytest

from tests.conftest import NCT
from tests.sponsor_support import TEST_NCT, import_test_trial
from trialfinder.trials.fit import age_sex_fit


@pytest.mark.parametrize(
    ("age", "sex", "code", "reasons"),
    [
        (None, "", "not_asked", ()),
        (30, "", "may_fit", ()),
        (17, "", "does_not_fit", ("age_years",)),
        (66, "male", "does_not_fit", ("age_years", "sex")),
        (None, "male", "does_not_fit", ("sex",)),
        (None, "female", "may_fit", ()),
    ],
)
def test_fit_by_age_and_sex(age, sex, code, reasons):
    fit = age_sex_fit(18, 65, "FEMALE", age, sex)
    assert (fit.code, fit.reasons) == (code, reasons)


@pytest.mark.parametrize(
    ("minimum", "age", "code"),
    [
        (0.5, 0, "may_fit"),  # "0" may be 7 months
        (0.5, 0.25, "does_not_fit"),  # three months, said exactly
        (1.5, 1, "may_fit"),  # "1" may be 20 months
        (2, 1, "does_not_fit"),
        (18, 17, "does_not_fit"),
        (18, 17.5, "does_not_fit"),
        (18, 18, "may_fit"),
    ],
)
def test_whole_years_stand_for_the_whole_year_of_life(minimum, age, code):
    assert age_sex_fit(minimum, None, "ALL", age, "").code == code


def test_no_limits_never_rule_out():
    assert age_sex_fit(None, None, "ALL", 99, "male").code == "may_fit"


@pytest.fixture
def trials(runner, tmp_path):
    return import_test_trial(runner, tmp_path)


def search(client, **query) -> dict:
    return client.get("/api/v1/trials", query_string=query).get_json()


def test_api_results_say_the_fit_and_the_nearest_site(client, trials):
    data = search(client, age=25, sex="female", near="28046", country="ES", lang="en")
    assert {r["nct_id"] for r in data["results"]} == {NCT, TEST_NCT}
    for result in data["results"]:
        assert result["fit"] == {
            "code": "may_fit",
            "reasons": [],
            "text": ["May fit by age and sex."],
        }
        assert result["nearest_site"]["facility"] == "Hospital Universitario La Paz"
        assert result["nearest_site"]["km"] >= 1
    assert data["not_fitting"] == []


def test_api_lists_what_does_not_fit_with_the_reason(client, trials):
    data = search(client, age=40, sex="male", lang="en")
    assert data["results"] == []
    why = {r["nct_id"]: r["fit"] for r in data["not_fitting"]}
    assert why[NCT]["reasons"] == ["age_years"]
    assert why[NCT]["text"] == ["The registry lists this study for ages up to 30 years."]
    assert why[TEST_NCT]["reasons"] == ["sex"]
    assert why[TEST_NCT]["text"] == ["The registry lists this study for women and girls only."]


def test_api_without_age_or_sex_does_not_judge(client, trials):
    data = search(client)
    assert {r["fit"]["code"] for r in data["results"]} == {"not_asked"}
    assert data["not_fitting"] == []


@pytest.mark.parametrize("lang", ["es", "ar"])
def test_home_page_shows_the_fit(client, trials, lang):
    from tests.conftest import translate

    app = client.application
    page = client.get(f"/{lang}/", query_string={"age": 25, "sex": "male"}).get_data(as_text=True)
    results, not_fitting = page.split('id="not-fitting"')
    assert NCT in results and TEST_NCT not in results
    assert translate(app, lang, "May fit by age and sex.") in results
    assert TEST_NCT in not_fitting
    reason = translate(app, lang, "The registry lists this study for women and girls only.")
    assert reason in not_fitting
    assert 'value="male" selected' in page


@pytest.mark.parametrize(
    "query",
    [
        {"age": "abc", "sex": "cat", "country": "ZZ"},
        {"age": "-5", "sex": "FEMALE", "status": "nope"},
        {"near": "x" * 5000, "q": "' OR 1=1 --"},
    ],
)
def test_api_takes_bad_input_as_no_filter(client, trials, query):
    # ?lang= is not a filter: an unknown language is a 400 (the one rule, test_api_language.py).
    response = client.get("/api/v1/trials", query_string=query)
    assert response.status_code == 200
    data = response.get_json()
    assert data["not_fitting"] == [] and data["place"] is None


def test_the_distance_is_to_the_nearest_recruiting_site(client, runner, tmp_path):
    from tests.sponsor_support import sample_record

    record = sample_record()
    record["protocolSection"]["contactsLocationsModule"]["locations"] = [
        {"facility": "Hospital Clínic", "city": "Barcelona", "country": "Spain",
         "status": "COMPLETED", "geoPoint": {"lat": 41.3888, "lon": 2.159}},
        {"facility": "Hospital La Paz", "city": "Madrid", "country": "Spain",
         "status": "RECRUITING", "geoPoint": {"lat": 40.4165, "lon": -3.70256}},
    ]  # fmt: skip
    import_test_trial(runner, tmp_path, record)
    data = search(client, q=TEST_NCT, near="Barcelona", country="ES")
    (result,) = data["results"]
    assert result["nearest_site"]["city"] == "Madrid" and result["nearest_site"]["recruiting"]
    assert 450 <= result["nearest_site"]["km"] <= 550


def test_a_real_record_is_found_near_providence_and_near_its_unplaced_sites(
    client, runner, tmp_path
):
    record = json.loads(
        (Path(__file__).parents[1] / "data" / "records" / "NCT06131398.json").read_text("utf-8")
    )
    nct = import_test_trial(runner, tmp_path, record)
    near_providence = search(client, q=nct, near="02903", country="US")
    (result,) = near_providence["results"]
    assert near_providence["place"] == "Providence"
    assert result["nearest_site"]["city"] == "Boston" and 60 <= result["nearest_site"]["km"] <= 75
    # The Tokyo site has no map point in the record: placed at import, it is found from Tokyo.
    near_tokyo = search(client, q=nct, near="135-8550", country="JP")
    (result,) = near_tokyo["results"]
    assert result["nearest_site"]["city"] == "Koto-ku" and result["nearest_site"]["km"] <= 5
