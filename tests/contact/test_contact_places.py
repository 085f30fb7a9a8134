"""A request from any country reaches the nearest site's address, through a real SMTP server."""

import copy
import json

import pytest

from tests.conftest import translate
from tests.contact_support import DATA, EMAIL, MULTI, leads, multisite_content, post, reference_of
from trialfinder.trials.registry import parse_study

NOT_FOUND = (
    "We could not find this place. Please check the postal code and the country, "
    "or type the name of your town or city."
)


@pytest.fixture
def multisite(make_app, tmp_path):
    """An app serving only the multi-site test trial (Madrid, Barcelona, Sevilla, Lisboa...)."""
    return make_app(CONTENT_DIR=str(multisite_content(tmp_path)))


@pytest.mark.parametrize(
    ("lang", "visitor", "recipient", "place", "low", "high"),
    [
        # Sabadell is 20 km from Barcelona's hospital, not "0.8 km" from a province centre.
        ("ca", {"postal_code": "08208"}, "barcelona@hospital.test", "Sabadell", 15, 25),
        (
            "es",
            {"postal_code": "", "city": "Sabadell"},
            "barcelona@hospital.test",
            "Sabadell",
            15,
            25,
        ),
        (
            "pt",
            {"country": "PT", "postal_code": "1000-001", "phone": ""},
            "lisboa@hospital.test",
            "Lisboa",
            0,
            10,
        ),
        (
            "fr",
            {"country": "FR", "postal_code": "75015", "phone": ""},
            "barcelona@hospital.test",
            "Paris",
            820,
            850,
        ),
        (
            "fr",
            {"country": "PT", "postal_code": "", "city": "Lisbonne", "phone": ""},
            "lisboa@hospital.test",
            "Lisbon",
            0,
            10,
        ),
        (
            "ro",
            {"country": "RO", "postal_code": "010011", "phone": ""},
            "barcelona@hospital.test",
            "Bucureşti",
            1800,
            2000,
        ),
    ],
)
def test_the_lead_reaches_the_nearest_sites_address(
    multisite, smtp, lang, visitor, recipient, place, low, high
):
    client = multisite.test_client()
    reference_of(post(client, lang, MULTI, **visitor))
    (staff,) = smtp.to(recipient)
    assert len(smtp.messages) == 2 and smtp.to(EMAIL)
    (lead,) = leads(multisite)
    assert lead.location_label == place and not lead.central
    assert low <= lead.distance_km <= high
    assert lead.reference in staff["Subject"]


@pytest.mark.parametrize(
    "visitor",
    [
        {"country": "US", "postal_code": "00000", "phone": ""},
        {"country": "ES", "postal_code": "99999"},
        {"country": "GB", "postal_code": "", "city": "Nowhere-upon-Thames", "phone": ""},
    ],
)
def test_an_unknown_place_is_asked_again_and_nothing_is_sent(multisite, smtp, lang, visitor):
    response = post(multisite.test_client(), lang, MULTI, **visitor)
    assert response.status_code == 200
    html = response.get_data(as_text=True).replace("&#39;", "'")
    assert translate(multisite, lang, NOT_FOUND) in html
    assert smtp.messages == [] and leads(multisite) == []


def test_a_site_without_a_map_point_is_placed_at_import_and_answers(make_app, tmp_path, smtp):
    """The Barcelona site loses its map point: its town places it, and Sabadell still reaches it."""
    record = json.loads((DATA / "contact_multisite.json").read_text(encoding="utf-8"))
    unplaced = copy.deepcopy(record)
    for site in unplaced["protocolSection"]["contactsLocationsModule"]["locations"]:
        if site["city"] == "Barcelona":
            del site["geoPoint"]
    barcelona = next(s for s in parse_study(unplaced).sites if s.city == "Barcelona")
    assert barcelona.lat == pytest.approx(41.39, abs=0.02)
    assert barcelona.lon == pytest.approx(2.16, abs=0.02)
    content = multisite_content(tmp_path)
    (content / "trials" / MULTI / "record.json").write_text(json.dumps(unplaced), encoding="utf-8")
    app = make_app(CONTENT_DIR=str(content))
    reference_of(post(app.test_client(), "es", MULTI, postal_code="08208"))
    assert len(smtp.to("barcelona@hospital.test")) == 1
    (lead,) = leads(app)
    assert lead.site_facility == "Hospital del Mar" and 15 < lead.distance_km < 25
