"""A study's status as the registry gives it, from real records (tests/data/records/SOURCE.md).

NCT03475563: status UNKNOWN (nobody has confirmed it since it was recruiting), its three Spanish
sites still marked RECRUITING. NCT00973089: withdrawn before it started, in Jerusalem; its
start date has no type (a plan), its end date is ACTUAL.
"""

import re
import shutil

import pytest
from flask_babel import force_locale, gettext

from tests.conftest import NCT, ROOT

RECORDS = ROOT / "tests" / "data" / "records"
UNKNOWN, WITHDRAWN = "NCT03475563", "NCT00973089"


@pytest.fixture
def app_config(app_config, tmp_path):
    trials = tmp_path / "content" / "trials"
    shutil.copytree(ROOT / "content" / "trials" / NCT, trials / NCT)
    for nct in (UNKNOWN, WITHDRAWN):
        (trials / nct).mkdir()
        shutil.copy(RECORDS / f"{nct}.json", trials / nct / "record.json")
    return app_config | {"CONTENT_DIR": str(tmp_path / "content")}


def said(app, lang: str, msgid: str) -> str:
    with app.test_request_context(), force_locale(lang):
        return gettext(msgid)


def site_map(page: str) -> str:
    found = re.search(r"<svg.*?</svg>", page, re.S)
    return found.group(0) if found else ""


@pytest.mark.parametrize("lang", ["en", "es", "ar"])
def test_no_site_of_a_study_nobody_confirmed_is_called_recruiting(app, client, lang):
    page = client.get(f"/{lang}/trials/{UNKNOWN}/").get_data(as_text=True)
    assert said(app, lang, "Status not confirmed") in page
    assert said(app, lang, "Where the study takes place") not in page
    assert site_map(page) == ""  # no "3 hospitals looking for participants"
    home = site_map(client.get(f"/{lang}/").get_data(as_text=True))
    assert "Madrid" in home and "Sabadell" not in home and "León" not in home


def test_the_api_does_not_call_its_nearest_site_recruiting(client):
    found = client.get("/api/v1/trials?q=stent&near=08208&country=ES&lang=en").get_json()
    (item,) = [item for item in found["results"] if item["nct_id"] == UNKNOWN]
    assert item["nearest_site"]["city"] == "Sabadell"
    assert item["nearest_site"]["recruiting"] is False


def test_its_scaffold_lists_no_recruiting_site(app, runner, tmp_path):
    shutil.rmtree(tmp_path / "content" / "trials" / UNKNOWN)  # `trials new` writes the folder
    result = runner.invoke(args=["trials", "new", UNKNOWN])
    assert result.exit_code == 0, result.output
    sites = (tmp_path / "content" / "trials" / UNKNOWN / "sites.yaml").read_text("utf-8")
    assert "facility:" not in sites and "sites:\n  []" in sites


@pytest.mark.parametrize(
    ("lang", "start", "end"),
    [
        ("en", ("Planned start", "May 2010"), ("Ended", "March 2015")),
        ("es", ("Inicio previsto", "mayo de 2010"), ("Fecha de fin", "marzo de 2015")),
        ("pt", ("Início previsto", "maio de 2010"), ("Data de fim", "março de 2015")),
    ],
)
def test_a_withdrawn_study_never_started_and_dates_read_as_the_locale_writes_them(
    client, lang, start, end
):
    page = client.get(f"/{lang}/trials/{WITHDRAWN}/").get_data(as_text=True)
    for label, value in (start, end):
        assert f"<dt>{label}</dt><dd>{value}</dd>" in page


def test_words_that_match_at_an_age_no_trial_takes_are_not_called_no_match(app, client):
    page = client.get("/en/?q=leukemia&age=45").get_data(as_text=True)
    assert said(app, "en", "Trials that match your search, but not this age or sex") in page
    assert "No trial matches this age or sex. The trials below match the rest" in page
    assert "Try fewer words" not in page
    nothing = client.get("/en/?q=nothingmatchesthis&age=45").get_data(as_text=True)
    assert "No trial matches your search. Try fewer words." in nothing


@pytest.mark.parametrize(("nct", "lang"), [(WITHDRAWN, "en"), (WITHDRAWN, "ar"), (UNKNOWN, "es")])
def test_the_prescreen_api_gives_no_result_for_a_study_that_takes_nobody(app, client, nct, lang):
    reply = client.post(f"/api/v1/trials/{nct}/prescreen?lang={lang}", json={"answers": {}})
    assert reply.status_code == 409
    body = reply.get_json()
    assert "fit" not in body and body["status"] in ("WITHDRAWN", "UNKNOWN")
    reason = {
        WITHDRAWN: "This study was cancelled before anyone took part. It will not take place.",
        UNKNOWN: "The study team has not confirmed in the registry for a long time whether this "
        "study still takes participants. It may have ended.",
    }[nct]
    assert body["error"] == said(app, lang, reason)
    # Its questions can still be read; a recruiting study is still answered.
    assert client.get(f"/api/v1/trials/{nct}/questionnaire").status_code == 200
    open_study = client.post(f"/api/v1/trials/{NCT}/prescreen", json={"answers": {}})
    assert open_study.status_code == 200 and open_study.get_json()["fit"]
