"""A family in the United States reaches the nearest US site of a real registry record.

NCT04267848 (tests/data/records/SOURCE.md) is recruiting, with two US sites that list their own
contact emails: Katmai Oncology Group in Anchorage first, Fairbanks Memorial Hospital second.
It is imported as a sponsor would (`flask trials import`) into an app with an empty content
folder, and every request goes through a real SMTP server.
"""

import re

import pytest

from tests.conftest import ROOT, translate
from tests.contact_support import EMAIL, leads, post, reference_of

NCT = "NCT04267848"
RECORD = ROOT / "tests" / "data" / "records" / f"{NCT}.json"
ANCHORAGE = "AKPAMC.OncologyResearchSupport@providence.org"  # the first site in the record
FAIRBANKS = "Veronica.Stevenson@foundationhealth.org"
CITIES = {"Katmai Oncology Group": "Anchorage", "Fairbanks Memorial Hospital": "Fairbanks"}
NOT_FOUND = (
    "We could not find this place. Please check the postal code and the country, "
    "or type the name of your town or city."
)


@pytest.fixture
def app_config(app_config, tmp_path):
    (tmp_path / "content").mkdir()
    return app_config | {"CONTENT_DIR": str(tmp_path / "content")}


@pytest.fixture
def imported(app, runner):
    result = runner.invoke(args=["trials", "import", str(RECORD)])
    assert result.exit_code == 0 and f"{NCT} new" in result.output, result.output
    return app


def us_family(**place) -> dict:
    """A family in the United States writing in English, with no phone number."""
    return {"country": "US", "preferred_language": "en", "phone": ""} | place


@pytest.mark.parametrize(
    ("place", "recipient", "other", "site", "located", "low", "high"),
    [
        # North Pole, Alaska: 18 km from Fairbanks, 416 km from Anchorage, which is listed first.
        ({"postal_code": "99705"}, FAIRBANKS, ANCHORAGE, "Fairbanks Memorial Hospital",
         "North Pole", 15, 22),
        ({"postal_code": "99705-9998"}, FAIRBANKS, ANCHORAGE, "Fairbanks Memorial Hospital",
         "North Pole", 15, 22),  # ZIP+4, as Americans often write it
        ({"postal_code": "", "city": "North Pole"}, FAIRBANKS, ANCHORAGE,
         "Fairbanks Memorial Hospital", "North Pole", 15, 22),  # a town of 2,000: no ZIP given
        # Downtown Anchorage: the first site is the nearest one this time.
        ({"postal_code": "99501"}, ANCHORAGE, FAIRBANKS, "Katmai Oncology Group", "Anchorage",
         0, 10),
    ],
)  # fmt: skip
def test_a_us_family_reaches_the_nearest_us_site_in_english(
    imported, smtp, place, recipient, other, site, located, low, high
):
    source = "postal code" if place["postal_code"] else "town"
    reference = reference_of(post(imported.test_client(), "en", NCT, **us_family(**place)))
    (staff,) = smtp.to(recipient)
    (confirmation,) = smtp.to(EMAIL)
    assert len(smtp.messages) == 2 and smtp.to(other) == []
    assert staff["Content-Language"] == "en" and confirmation["Content-Language"] == "en"
    assert staff["Subject"] == f"Contact request {reference} about {NCT}"
    assert confirmation["Subject"] == f"Your request {reference} to the study team"
    body = staff.get_body(preferencelist=("plain",)).get_content()
    distance = r"(about \d+|less than 10) mi"  # an American family: miles
    said = rf"Nearest hospital taking part: {site} \({CITIES[site]}\), {distance} from the family\."
    assert re.search(said, body), body
    assert f"Location worked out from the {source} ({located})." in body
    (lead,) = leads(imported)
    assert (lead.staff_email, lead.staff_language, lead.site_facility) == (recipient, "en", site)
    assert lead.location_label == located and not lead.central
    assert low <= lead.distance_km <= high


@pytest.mark.parametrize(
    "place",
    [
        {"postal_code": "00000"},  # no US ZIP code
        {"country": "CA", "postal_code": "99705"},  # a ZIP code, with Canada chosen by mistake
    ],
)
def test_a_zip_that_places_nobody_is_asked_again_and_nothing_is_sent(imported, smtp, place):
    response = post(imported.test_client(), "en", NCT, **us_family() | place)
    assert response.status_code == 200
    page = response.get_data(as_text=True).replace("&#39;", "'")
    assert translate(imported, "en", NOT_FOUND) in page
    assert smtp.messages == [] and leads(imported) == []


DISTANCES = re.compile(r'<p class="distance">([^<]*)</p>')


@pytest.mark.parametrize(("lang", "said"), [("en", "about 11 mi"), ("es", "unos 11 mi")])
def test_an_american_family_reads_distances_in_miles(imported, lang, said):
    client = imported.test_client()
    query = {"near": "99705", "country": "US"}  # North Pole: 18 km, 11 miles, from Fairbanks
    finder = client.get(f"/{lang}/", query_string=query).text
    assert DISTANCES.findall(finder) == [f"Fairbanks · {said}"]
    page = client.get(f"/{lang}/trials/{NCT}/", query_string=query).text
    assert f"Fairbanks ({said})" in page


def test_a_family_in_spain_still_reads_kilometres(imported):
    query = {"near": "28001", "country": "ES"}
    finder = imported.test_client().get("/en/", query_string=query).text
    assert DISTANCES.findall(finder) == ["Fairbanks · about 7,900 km"]


def test_a_record_without_an_acronym_is_named_by_its_number_alone(imported):
    client = imported.test_client()
    assert f"<p>{NCT} · " in client.get("/en/").text  # no leading " · " for the acronym
    assert f'<p class="subtitle">{NCT}</p>' in client.get(f"/en/trials/{NCT}/").text
