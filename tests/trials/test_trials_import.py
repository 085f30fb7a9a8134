"""Registry import: one study or a page, updates, and malformed records rejected whole."""

import json
import logging
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import NCT, ROOT
from trialfinder.extensions import db
from trialfinder.trials.models import AGES_UNSET, Site, Trial
from trialfinder.trials.registry import RecordError, parse_age, parse_study

pytestmark = pytest.mark.databases

RECORD_TEXT = (ROOT / "content" / "trials" / NCT / "record.json").read_text(encoding="utf-8")
RECORD = json.loads(RECORD_TEXT)


def study(nct_id: str, title: str = "A study", **overrides) -> dict:
    data = json.loads(RECORD_TEXT)  # a copy of its own, faster than deepcopy
    data["protocolSection"]["identificationModule"].update(nctId=nct_id, briefTitle=title)
    for path, value in overrides.items():
        node = data
        *parents, leaf = path.split(".")
        for key in parents:
            node = node[key]
        node[leaf] = value
    return data


def write(tmp_path: Path, name: str, document) -> Path:
    path = tmp_path / name
    path.write_text(
        json.dumps(document) if not isinstance(document, str) else document, encoding="utf-8"
    )
    return path


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_shipped_trial_is_loaded_on_first_start(app):
    with app.app_context():
        trial = db.session.get(Trial, NCT)
        assert trial.acronym == "REALL_CART"
        assert trial.max_age_years == 30
        assert trial.min_age_years is None
        assert [site.facility for site in trial.sites] == ["Hospital Universitario La Paz"]
        assert trial.sites[0].lat == pytest.approx(40.4165)


def test_import_a_page_of_studies_and_reimport_updates(app, runner, tmp_path):
    page = {
        "studies": [study("NCT00000001", "First"), study("NCT00000002", "Second")],
        "nextPageToken": "x",
    }
    result = runner.invoke(args=["trials", "import", str(write(tmp_path, "page.json", page))])
    assert result.exit_code == 0, result.output
    assert "NCT00000001 new" in result.output
    changed = study("NCT00000001", "First, renamed")
    result = runner.invoke(args=["trials", "import", str(write(tmp_path, "one.json", changed))])
    assert "NCT00000001 changed" in result.output
    result = runner.invoke(args=["trials", "import", str(write(tmp_path, "one.json", changed))])
    assert "NCT00000001 same" in result.output
    with app.app_context():
        assert db.session.get(Trial, "NCT00000001").brief_title == "First, renamed"
        assert count(Trial) == 3
        assert count(Site) == 3


BAD_RECORDS = [
    ("protocolSection", None, "protocolSection"),
    ("protocolSection.identificationModule.nctId", "NCT123", "identificationModule.nctId"),
    ("protocolSection.identificationModule.briefTitle", None, "briefTitle"),
    ("protocolSection.statusModule.overallStatus", 7, "overallStatus"),
    ("protocolSection.eligibilityModule.maximumAge", "thirty", "maximumAge"),
    ("protocolSection.conditionsModule.conditions", "leukemia", "conditions"),
    (
        "protocolSection.contactsLocationsModule.locations",
        [{"facility": "X", "geoPoint": {"lat": 123, "lon": 0}}],
        "locations[0].geoPoint.lat",
    ),
    ("protocolSection.contactsLocationsModule.locations", ["not an object"], "locations[0]"),
]


def test_sites_carry_their_trials_ages_and_a_changed_record_rewrites_them(app, runner, tmp_path):
    """The nearest-site walk reads the ages from the sites (migration 0011): they must follow."""
    madrid = [{"facility": "Hospital", "city": "Madrid", "country": "Spain"}]
    ages = {
        "protocolSection.contactsLocationsModule.locations": madrid,
        "protocolSection.eligibilityModule.minimumAge": "6 Months",
    }
    for oldest, outcome in ((None, "new"), ("17 Years", "changed")):
        maximum = {"protocolSection.eligibilityModule.maximumAge": oldest}
        path = write(tmp_path, "one.json", study("NCT00000042", "Ages", **ages | maximum))
        assert (
            f"NCT00000042 {outcome}" in runner.invoke(args=["trials", "import", str(path)]).output
        )
        with app.app_context():
            query = select(Site.youngest, Site.oldest).where(Site.trial_id == "NCT00000042")
            assert db.session.execute(query).all() == [
                (0.5, AGES_UNSET if oldest is None else 17.0)
            ]


@pytest.mark.parametrize(("path", "value", "field"), BAD_RECORDS)
def test_malformed_record_names_file_and_field_and_imports_nothing(
    app, runner, tmp_path, path, value, field
):
    good, bad = study("NCT00000011", "Good"), study("NCT00000012", "Bad", **{path: value})
    file = write(tmp_path, "mixed.json", {"studies": [good, bad]})
    result = runner.invoke(args=["trials", "import", str(file)])
    assert result.exit_code == 1
    assert str(file) in result.output
    assert field in result.output
    assert "studies[1]" in result.output
    with app.app_context():
        assert count(Trial) == 1  # only the shipped trial: the good study of that file is not kept


@pytest.mark.parametrize("text", ["{not json", "", "[1, 2]", '"a string"', '{"studies": 5}'])
def test_files_that_are_not_studies_are_refused(app, runner, tmp_path, text):
    file = write(tmp_path, "broken.json", text)
    result = runner.invoke(args=["trials", "import", str(file)])
    assert result.exit_code == 1
    assert f"error: {file}" in result.output


def test_missing_file_is_named(runner, tmp_path):
    result = runner.invoke(args=["trials", "import", str(tmp_path / "absent.json")])
    assert result.exit_code == 1
    assert "absent.json" in result.output


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("30 Years", 30),
        ("6 Months", 0.5),
        ("1 Year", 1),
        ("N/A", None),
        (None, None),
        ("52 Weeks", 0.9966),
    ],
)
def test_ages(text, years):
    assert parse_age(text, "age") == (pytest.approx(years, abs=1e-3) if years else None)


def test_record_error_carries_the_field():
    with pytest.raises(RecordError) as error:
        parse_study({"protocolSection": {"identificationModule": {}}})
    assert error.value.field == "protocolSection.identificationModule.nctId"


def test_a_record_of_the_old_api_is_named_as_such(app, runner, tmp_path):
    file = write(tmp_path, "v1.json", {"FullStudiesResponse": {"APIVrs": "1.01.05"}})
    result = runner.invoke(args=["trials", "import", str(file)])
    assert result.exit_code == 1
    assert "old API (v1)" in result.output and "clinicaltrials.gov/api/v2/studies" in result.output


def test_a_folder_with_an_unreadable_record_starts_and_serves_the_others(
    make_app, tmp_path, caplog
):
    trials = tmp_path / "content" / "trials"
    shutil.copytree(ROOT / "content" / "trials" / NCT, trials / NCT)
    broken = study("NCT00000013", "Broken")
    del broken["protocolSection"]["statusModule"]
    (trials / "NCT00000013").mkdir()
    write(trials / "NCT00000013", "record.json", broken)
    with caplog.at_level(logging.WARNING, logger="trialfinder.trials.services"):
        client = make_app(CONTENT_DIR=str(tmp_path / "content")).test_client()
    assert "NCT00000013/record.json: field protocolSection.statusModule is missing" in caplog.text
    assert client.get(f"/en/trials/{NCT}/").status_code == 200
    assert client.get("/en/trials/NCT00000013/").status_code == 404


def test_the_content_check_names_a_record_the_site_cannot_read(tmp_path):
    from trialfinder.sponsor.checks import Report, check_trial

    folder = tmp_path / "trials" / "NCT00000013"
    folder.mkdir(parents=True)
    write(folder, "record.json", {"FullStudiesResponse": {"APIVrs": "1.01.05"}})
    report = Report()
    check_trial(folder, tmp_path, ("en",), {}, report)
    (problem,) = [problem for problem in report.problems if problem.path.endswith("record.json")]
    assert problem.path.endswith("/trials/NCT00000013/record.json")
    assert "old API (v1)" in problem.message
