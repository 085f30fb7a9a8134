"""Nearest-site routing and the operator file, pure: no app, no database, no network."""

import json
from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import NCT, ROOT
from trialfinder.leads.routing import (
    Route,
    SiteSettings,
    choose_route,
    facility_key,
    is_placeholder,
    nearest_route,
    possible_routes,
    rough_km,
)
from trialfinder.leads.sites import SitesFileError, load_operator_settings, parse_sites
from trialfinder.lib.geo import locate
from trialfinder.trials.registry import parse_study

RECORD = parse_study(
    json.loads((Path(__file__).parents[1] / "data" / "contact_multisite.json").read_text())
)
SITES = list(RECORD.sites)
OPERATORS = {facility_key("Hospital del Mar"): SiteSettings("barcelona@hospital.test", "ca")}


def route(country: str, postal_code: str = "", city: str = "", **options):
    place = locate(country, postal_code, city)
    point = (place.lat, place.lon) if place else None
    options = {"central_emails": RECORD.central_emails, "operators": OPERATORS} | options
    return choose_route(SITES, point, **options)


@pytest.mark.parametrize(
    ("visitor", "facility", "email", "language", "km"),
    [
        (("ES", "28013"), "Hospital Norte", "madrid@hospital.test", "es", 10),
        (("ES", "08001"), "Hospital del Mar", "barcelona@hospital.test", "ca", 10),
        (("ES", "41001"), "Hospital Virgen del Rocío", "sevilla@hospital.test", "es", 10),
        (("PT", "", "Lisboa"), "Hospital de Santa Maria", "lisboa@hospital.test", "pt", 10),
        # Vigo (36201) is nearer to Lisbon than to Madrid: the border does not count.
        (("ES", "36201"), "Hospital de Santa Maria", "lisboa@hospital.test", "pt", 390),
        (("FR", "75001", "Paris"), "Hospital del Mar", "barcelona@hospital.test", "ca", 830),
    ],
)
def test_each_visitor_reaches_the_nearest_recruiting_site(visitor, facility, email, language, km):
    chosen = route(*visitor)
    assert chosen.site.facility == facility
    assert chosen.email == email
    assert chosen.staff_language == language
    assert rough_km(chosen.distance_km) == km


def test_a_completed_site_next_door_is_passed_over():
    chosen = route("ES", "28013")
    closed = next(site for site in SITES if site.status == "COMPLETED")
    assert (closed.lat, closed.lon) == (40.4168, -3.7038)  # exactly where the visitor is placed
    assert chosen.site.facility == "Hospital Norte"
    assert 5 < chosen.distance_km < 10


def test_a_not_yet_recruiting_site_is_passed_over():
    chosen = route("ES", "50001")  # Zaragoza: its own site is not recruiting yet
    assert chosen.site.facility == "Hospital La Fe"
    assert rough_km(chosen.distance_km) == 250


def test_an_unresolvable_visitor_goes_to_the_central_contact():
    chosen = route("ES", "99999", "Atlantis")
    assert chosen.site is None and chosen.distance_km is None
    assert (chosen.email, chosen.source) == ("central@trial.test", "central")


def test_address_chain_operator_then_site_then_central_then_default():
    assert route("ES", "08001").source == "operator"
    assert route("ES", "41001").source == "site"
    valencia = route("ES", "46001")  # La Fe lists no email: the central contact answers for it
    assert valencia.site.facility == "Hospital La Fe"
    assert (valencia.email, valencia.source) == ("central@trial.test", "central")
    no_central = route("ES", "46001", central_emails=(), default_email="leads@org.test")
    assert (no_central.email, no_central.source) == ("leads@org.test", "default")
    nothing = route("ES", "46001", central_emails=())
    assert nothing.email is None and nothing.site.facility == "Hospital La Fe"


def test_without_location_nor_central_contact_a_recruiting_site_answers():
    chosen = choose_route(SITES, None, operators=OPERATORS)
    assert chosen.site.facility == "Hospital Norte"  # the first recruiting site with an address
    assert chosen.distance_km is None
    closed_only = [replace(site, status="COMPLETED") for site in SITES]
    assert choose_route(closed_only, None).email is None


def test_override_sends_every_lead_to_one_address_but_keeps_the_site():
    chosen = route("ES", "08001", override="one@org.test")
    assert (chosen.email, chosen.source) == ("one@org.test", "override")
    assert chosen.site.facility == "Hospital del Mar" and chosen.staff_language == "ca"
    assert route("ES", "99999", override="one@org.test").email == "one@org.test"


def test_possible_routes_cover_every_recruiting_site_and_the_fallback():
    emails = {
        r.email for r in possible_routes(SITES, central_emails=RECORD.central_emails, operators={})
    }
    assert emails == {
        "madrid@hospital.test",
        "barcelona-registry@hospital.test",
        "sevilla@hospital.test",
        "central@trial.test",
        "lisboa@hospital.test",
    }
    assert "closed@hospital.test" not in emails and "zaragoza@hospital.test" not in emails


@pytest.mark.parametrize(
    ("email", "placeholder"),
    [
        ("lapaz-coordinator@example.org", True),
        ("x@EXAMPLE.com", True),
        ("x@mail.example.net", True),
        ("x@hospital.example", True),
        ("x@nowhere.invalid", True),
        ("", True),
        (None, True),
        ("ensayos@salud.madrid.org", False),
        ("x@examples.org", False),
    ],
)
def test_placeholder_addresses(email, placeholder):
    assert is_placeholder(email) is placeholder


@pytest.mark.parametrize(
    ("km", "rough"), [(0.2, 10), (7.3, 10), (14.9, 10), (15.1, 20), (389.6, 390)]
)
def test_distances_are_rounded_to_ten_kilometres(km, rough):
    assert rough_km(km) == rough


def test_shipped_operator_file_marks_la_paz_as_an_example():
    settings = load_operator_settings(ROOT / "content", NCT)
    la_paz = settings[facility_key("Hospital Universitario La Paz")]
    assert la_paz == SiteSettings("lapaz-coordinator@example.org", "es")
    text = (ROOT / "content" / "trials" / NCT / "sites.yaml").read_text(encoding="utf-8")
    assert "must replace" in text.lower() or "MUST replace" in text


def test_operator_file_matches_facilities_loosely_and_rejects_mistakes(tmp_path):
    folder = tmp_path / "trials" / "NCT99000001"
    folder.mkdir(parents=True)
    path = folder / "sites.yaml"
    path.write_text("sites:\n  - facility: '  hospital DEL  Mar '\n    lead_email: a@b.test\n")
    assert load_operator_settings(tmp_path, "NCT99000001") == {
        "hospital del mar": SiteSettings("a@b.test", "")  # no language: the country decides
    }
    assert load_operator_settings(tmp_path, "NCT00000000") == {}
    for bad in (
        "sites:\n  - facility: X\n    staff_language: de\n",
        "sites:\n  - facility: X\n    lead_email: 'not an address'\n",
        "sites:\n  - lead_email: a@b.test\n",
        "sites: nope\n",
    ):
        path.write_text(bad)
        with pytest.raises(SitesFileError, match="sites.yaml"):
            parse_sites(path)
        # A running site keeps the last good file (lib/files.py), so no lead is misrouted.
        assert load_operator_settings(tmp_path, "NCT99000001") == {
            "hospital del mar": SiteSettings("a@b.test", "")
        }


def test_nearest_route_is_the_placed_site_nearest_the_point():
    madrid, barcelona = (40.4168, -3.7038), (41.3874, 2.1686)
    by_site = [Route(f"{site.city}@hospital.test", "es", site, None, "site") for site in SITES]
    central = Route("central@hospital.test", "es", None, None, "central")
    nearest = nearest_route([central, *by_site], barcelona)
    assert nearest is not None and nearest.site.city == "Barcelona"
    assert nearest_route([central, *by_site], madrid).site.city == "Madrid"
    assert nearest_route([central], madrid) is None  # no site placed: the caller's fallback
    assert nearest_route(by_site, None) is None  # no place
