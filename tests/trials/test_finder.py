"""The home-page finder: words (full-text index), age, status and distance to a place."""

import dataclasses
import re
import shutil

import pytest
import yaml

from tests.conftest import NCT, ROOT
from tests.trials.test_trials_import import study, write
from trialfinder.trials import finder, views

pytestmark = pytest.mark.databases

MADRID = (40.4165, -3.70256)
SEVILLA = (37.3891, -5.9845)
BARCELONA = (41.3888, 2.159)


def site(city: str, point: tuple[float, float], status: str = "RECRUITING") -> dict:
    return {
        "facility": f"Hospital de {city}",
        "city": city,
        "country": "Spain",
        "status": status,
        "geoPoint": {"lat": point[0], "lon": point[1]},
    }


def trial(nct_id: str, title: str, *, sites=(), minimum=None, maximum=None, status="RECRUITING"):
    return study(
        nct_id,
        title,
        **{
            "protocolSection.identificationModule.acronym": "",
            "protocolSection.identificationModule.officialTitle": "",
            "protocolSection.descriptionModule.briefSummary": "",
            "protocolSection.conditionsModule.conditions": [],
            "protocolSection.conditionsModule.keywords": [],
            "protocolSection.eligibilityModule.minimumAge": minimum,
            "protocolSection.eligibilityModule.maximumAge": maximum,
            "protocolSection.statusModule.overallStatus": status,
            "protocolSection.contactsLocationsModule.locations": list(sites),
        },
    )


STUDIES = [
    trial("NCT00000101", "Leucemia linfoblástica en niños", sites=[site("Sevilla", SEVILLA)],
          maximum="17 Years"),
    trial("NCT00000102", "Leucemia mieloide del adulto", sites=[site("Barcelona", BARCELONA)],
          minimum="18 Years", status="COMPLETED"),
    trial("NCT00000103", "Asthma in teenagers",
          sites=[site("Barcelona", BARCELONA), site("Madrid", MADRID)],
          minimum="12 Years", maximum="19 Years"),
]  # fmt: skip


@pytest.fixture
def app_config(app_config, tmp_path):
    """Only the registry record of the shipped trial: results do not hang on content files."""
    folder = tmp_path / "content" / "trials" / NCT
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "content" / "trials" / NCT / "record.json", folder)
    return app_config | {"CONTENT_DIR": str(tmp_path / "content")}


@pytest.fixture
def trials(app, runner, tmp_path):
    result = runner.invoke(
        args=["trials", "import", str(write(tmp_path, "page.json", {"studies": STUDIES}))]
    )
    assert result.exit_code == 0, result.output
    return app


@pytest.fixture(params=["few matches", "many matches"])
def ranking(request, monkeypatch):
    """Rank all matching sites at once, or look in growing boxes (as with many trials)."""
    monkeypatch.setattr(finder, "FEW", 10**9 if request.param == "few matches" else 0)


def listed(client, **query) -> list[str]:
    """Return the NCT numbers on the results page, in the order shown."""
    body = client.get("/en/", query_string=query).get_data(as_text=True)
    results = body[body.index('id="results"') :]
    results = re.split('id="(?:not-fitting|held)"', results)[0]  # fits only
    return list(dict.fromkeys(re.findall(r"NCT\d{8}", results)))


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        # The shipped trial's record is in English: the vocabulary of conditions finds it.
        ("leucemia", ["NCT00000101", "NCT00000102", NCT]),
        ("LEUCÉMIA", ["NCT00000101", "NCT00000102", NCT]),  # case and accents do not matter
        ("leuc linfo", ["NCT00000101", NCT]),  # every word, each as the start of a word
        ("linfoblastica niños", ["NCT00000101"]),
        ("leucemia asthma", []),
        ("nct00000103", ["NCT00000103"]),
        ("reall_cart", [NCT]),
        ("leukemia, children!", [NCT]),
        ("   ", ["NCT00000103", "NCT00000101", "NCT00000102", NCT]),  # by title
    ],
)
def test_words(client, trials, words, expected):
    assert listed(client, q=words) == expected


def test_search_syntax_is_taken_as_plain_words(client, trials):
    for words in ['" OR * NEAR(', "a:* & !b", "'; DROP TABLE trial; --"]:
        assert client.get("/en/", query_string={"q": words}).status_code == 200


def test_age_and_status(client, trials):
    assert listed(client, age=10) == ["NCT00000101", NCT]
    assert listed(client, age=18) == ["NCT00000103", "NCT00000102", NCT]
    assert listed(client, age=45) == ["NCT00000102"]
    assert listed(client, age=18, status="COMPLETED") == ["NCT00000102"]
    assert listed(client, q="leucemia", status="RECRUITING") == ["NCT00000101", NCT]


def test_nearest_first_with_the_distance(client, trials, ranking):
    assert listed(client, near="41001", country="ES") == [
        "NCT00000101",  # Sevilla
        "NCT00000103",  # its Madrid site is nearer than its Barcelona one
        NCT,  # Madrid too, at the very same point: then by number
        "NCT00000102",  # Barcelona
    ]
    body = client.get("/en/", query_string={"near": "41001", "country": "ES"}).text
    assert "Nearest first, from Sevilla." in body
    assert "Sevilla · about 1 km" in body
    assert "Madrid · about 390 km" in body
    assert listed(client, near="Barcelona", country="ES", age=30) == ["NCT00000102", NCT]
    assert listed(client, near="barcelona", country="ES", q="asthma") == ["NCT00000103"]


def test_a_place_that_cannot_be_found_is_explained(client, trials):
    body = client.get("/en/", query_string={"near": "99999", "country": "ES"}).text
    assert "We could not find this place" in body
    assert 'aria-invalid="true"' in body
    assert " km" not in body.split('id="results"')[1]
    assert len(listed(client, near="99999", country="ES")) == 4


def test_nearest_first_from_a_town_or_a_code_abroad(client, trials):
    body = client.get("/en/", query_string={"near": "08208", "country": "ES"}).text
    assert "Nearest first, from Sabadell." in body  # the town, not its province
    lisbon = {"near": "1000-001", "country": "PT"}
    assert listed(client, **lisbon)[0] == "NCT00000101"  # Sevilla, 310 km from Lisbon
    assert "Nearest first, from Lisboa." in client.get("/en/", query_string=lisbon).text
    assert listed(client, near="Séville", country="ES")[0] == "NCT00000101"  # French name
    unknown = client.get("/en/", query_string={"near": "00000", "country": "US"}).text
    assert "We could not find this place. Please check the postal code and the country" in unknown
    assert "Spanish postal code" not in unknown


def test_the_form_keeps_what_was_asked(client, trials):
    body = client.get("/es/", query_string={"near": "28046", "country": "PT", "q": "asma"}).text
    assert 'value="28046"' in body
    assert '<option value="PT" selected>Portugal</option>' in body
    assert '<label for="near">' in body and '<label for="country">' in body


def test_reimport_updates_the_index_and_the_sites(client, trials, runner, tmp_path, ranking):
    moved = trial("NCT00000101", "Bronquiolitis", sites=[site("Barcelona", BARCELONA)])
    runner.invoke(args=["trials", "import", str(write(tmp_path, "moved.json", moved))])
    assert listed(client, q="linfoblastica") == [NCT]  # no longer NCT00000101
    assert listed(client, q="bronquiolitis") == ["NCT00000101"]
    assert (
        "Barcelona · about 1 km"
        in client.get(
            "/en/", query_string={"near": "Barcelona", "country": "ES", "q": "bronquiolitis"}
        ).text
    )


def test_plain_language_titles_are_searched(app, runner, tmp_path):
    content = tmp_path / "content" / "trials" / "NCT00000104"  # the app's content folder
    content.mkdir(parents=True)
    (content / "es.yaml").write_text(yaml.safe_dump({"title": "Un estudio sobre la tos ferina"}))
    path = write(tmp_path, "one.json", trial("NCT00000104", "Pertussis vaccine"))
    runner.invoke(args=["trials", "import", str(path)])
    with app.app_context():
        assert [t.nct_id for t in finder.search("tos ferina")] == ["NCT00000104"]
    (content / "es.yaml").write_text(yaml.safe_dump({"title": "Vacuna contra la tosferina"}))
    assert runner.invoke(args=["trials", "reindex"]).output == "indexed 2 trials\n"
    with app.app_context():
        assert [t.nct_id for t in finder.search("vacuna")] == ["NCT00000104"]


def test_many_results_are_cut_and_counted(client, runner, tmp_path, ranking):
    many = [
        trial(f"NCT{n:08d}", f"Zebrafish {n}", sites=[site("Madrid", MADRID)]) for n in range(60)
    ]
    runner.invoke(args=["trials", "import", str(write(tmp_path, "many.json", {"studies": many}))])
    body = client.get("/en/", query_string={"q": "zebrafish", "near": "28001"}).text
    assert "60 trials found" in body
    assert "Showing the first 20" in body
    assert len(listed(client, q="zebrafish")) == 20


@pytest.mark.parametrize(
    "query",
    [{"q": "zebrafish"}, {"q": "zebrafish", "near": "28001"}, {"age": "30"}, {"near": "28001"}],
    ids=["words", "words and place", "age", "place"],
)
def test_counting_stops_at_the_limit(client, runner, tmp_path, monkeypatch, ranking, query):
    """Beyond COUNTED matches the page says "more than", and the API says `more`."""
    many = [
        trial(f"NCT{n:08d}", f"Zebrafish {n}", sites=[site("Madrid", MADRID)]) for n in range(60)
    ]
    runner.invoke(args=["trials", "import", str(write(tmp_path, "many.json", {"studies": many}))])
    monkeypatch.setattr(finder, "COUNTED", 50)
    assert "More than 50 trials found" in client.get("/en/", query_string=query).text
    data = client.get("/api/v1/trials", query_string=query).get_json()
    assert (data["total"], data["more"], len(data["results"])) == (50, True, 20)
    monkeypatch.setattr(finder, "COUNTED", 61)  # 60 zebrafish (61 with the shipped trial)
    client.application.extensions["page_store"].clear()  # the pages counted with 50
    expected = 61 if "q" not in query else 60
    assert f"{expected} trials found" in client.get("/en/", query_string=query).text
    data = client.get("/api/v1/trials", query_string=query).get_json()
    assert (data["total"], data["more"]) == (expected, False)


def test_an_age_in_whole_years_stands_for_that_whole_year(client, runner, tmp_path):
    """A baby of 7 months is "0": trials from 6 months are shown; from 1 year they are not."""
    babies = [
        trial("NCT00000201", "Bronchiolitis in babies", minimum="6 Months", maximum="2 Years"),
        trial("NCT00000202", "Asthma in toddlers", minimum="1 Year", maximum="5 Years"),
        trial("NCT00000203", "Newborn jaundice", minimum="28 Days", maximum="3 Months"),
    ]
    runner.invoke(
        args=["trials", "import", str(write(tmp_path, "babies.json", {"studies": babies}))]
    )
    found = lambda age: [n for n in listed(client, age=age) if n.startswith("NCT000002")]  # noqa: E731
    assert found(0) == ["NCT00000201", "NCT00000203"]  # 0 to 11 months: both may fit
    assert found(0.25) == ["NCT00000203"]  # three months exactly: not yet six months old
    assert found(1) == ["NCT00000202", "NCT00000201"]
    assert found(3) == ["NCT00000202"]


@pytest.mark.parametrize(
    ("lang", "more", "heading"),
    [
        ("en", True, "More than 1,000 trials found"),
        ("es", True, "Más de 1.000 ensayos encontrados"),
        ("fr", False, "12\u202f132 essais trouvés"),
    ],
)
def test_counts_are_written_as_the_locale_writes_numbers(client, monkeypatch, lang, more, heading):
    real = views.run_search

    def counted_as(search):  # as many matches as a registry's worth of trials gives
        outcome = real(search)
        results = dataclasses.replace(outcome.results, total=1000 if more else 12132, more=more)
        return dataclasses.replace(outcome, results=results)

    monkeypatch.setattr(views, "run_search", counted_as)
    assert heading in client.get(f"/{lang}/", query_string={"q": "leukemia"}).text
