"""The map of sites on the trial page and in the finder, as a visitor's browser receives it."""

import re

import pytest
from babel.units import format_unit
from flask_babel import force_locale, ngettext

from tests.conftest import NCT, translate
from tests.trials.test_trials_import import study, write
from trialfinder.lib.geo import distance_km, locate
from trialfinder.trials.nearby import rounded_km
from trialfinder.web.typography import space_text

MADRID = (40.4165, -3.70256)
SVG = re.compile(r"<svg\b.*?</svg>", re.S)


def svg_of(html: str) -> str:
    found = SVG.findall(html)
    assert len(found) == 1, "the page should hold exactly one map"
    return found[0]


def about_km(app, lang: str, country: str, near: str) -> str:
    """Return 'about 400 km' as the page shows the distance from a place to Madrid."""
    place = locate(country, near, near)
    km = rounded_km(distance_km(place.lat, place.lon, *MADRID))
    distance = format_unit(km, "length-kilometer", "short", locale=lang)  # "400 km", "400 كم"
    return translate(app, lang, "about %(distance)s", distance=distance)


def summary_of(svg: str) -> str:
    """Return what a screen reader says for the map: its name, from the <title>."""
    assert 'role="img" aria-labelledby="site-map-title"' in svg
    return re.search(r'<title id="site-map-title">([^<]+)</title>', svg).group(1)


def text_of(svg: str) -> list[str]:
    return re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)


@pytest.mark.parametrize("lang", ["es", "ar"])
def test_trial_page_maps_its_site_with_the_distance_from_the_visitor(app, client, lang):
    page = client.get(f"/{lang}/trials/{NCT}/?near=Coimbra&country=PT").get_data(as_text=True)
    svg = svg_of(page)
    label = summary_of(svg)
    assert "Madrid" in label and "Coimbra" in label
    assert about_km(app, lang, "PT", "Coimbra") in label
    assert {"Madrid", "Coimbra", about_km(app, lang, "PT", "Coimbra")} <= set(text_of(svg))
    assert f'direction="{"rtl" if lang == "ar" else "ltr"}"' in svg
    # The list of sites stays the content; the map comes after it.
    assert page.index('<ul class="sites">') < page.index("<svg")


@pytest.mark.parametrize("lang", ["es", "ar"])
def test_finder_maps_the_nearest_site_with_the_distance(app, client, lang):
    page = client.get(f"/{lang}/?near=08001&country=ES").get_data(as_text=True)
    svg = svg_of(page)
    distance = about_km(app, lang, "ES", "08001")
    assert {"Madrid", "Barcelona", distance} <= set(text_of(svg))
    assert distance in summary_of(svg)
    assert 'id="map-near"' not in page  # the finder's own form asks for the place


def test_map_text_is_in_the_page_language(app, client):
    page = client.get(f"/fr/trials/{NCT}/?near=Coimbra&country=PT").get_data(as_text=True)
    label = summary_of(svg_of(page))
    assert label.startswith("Carte\u202f: 1 hôpital qui recherche des participants, Madrid")
    place = translate(app, "fr", "Your place: %(place)s", place="Coimbra")
    assert space_text(place) in page  # French typography: a narrow space before the colon


def test_trial_page_without_a_place_maps_the_site_alone(client):
    page = client.get(f"/es/trials/{NCT}/").get_data(as_text=True)
    svg = svg_of(page)
    assert text_of(svg) == ["Madrid"]
    assert "km" not in svg and 'class="place"' not in svg
    assert 'id="map-near"' in page  # where a visitor may type a place


def test_a_place_not_found_is_said_beside_the_field(app, client):
    page = client.get(f"/es/trials/{NCT}/?near=Atlantis").get_data(as_text=True)
    assert 'id="map-near-error" role="alert"' in page and 'aria-invalid="true"' in page
    assert text_of(svg_of(page)) == ["Madrid"]


@pytest.mark.parametrize("lang", ["es", "ar"])
def test_finder_without_a_place_maps_the_recruiting_sites_of_the_trials_found(app, client, lang):
    svg = svg_of(client.get(f"/{lang}/").get_data(as_text=True))
    assert text_of(svg) == ["Madrid"] and 'class="place"' not in svg
    with app.test_request_context(), force_locale(lang):
        summary = ngettext(
            "Map: %(num)s hospital looking for participants, %(sites)s.",
            "Map: %(num)s hospitals looking for participants, %(sites)s.",
            1,
            sites="Madrid",
        )
    assert summary_of(svg) == summary
    assert "<svg" not in client.get(f"/{lang}/?q=nothingmatchesthis").get_data(as_text=True)


@pytest.mark.parametrize("path", [f"/es/trials/{NCT}/?near=Coimbra&country=PT", "/ar/?near=08001"])
def test_the_map_is_small_and_asks_for_nothing_outside_the_page(client, path):
    svg = svg_of(client.get(path).get_data(as_text=True))
    assert not re.search(r"https?:|href|url\(|<image|<script|<foreignObject", svg)
    # Only the land in view is sent: a few kilobytes, not the 113 KB of outlines.
    assert len(svg.encode()) < 4000, len(svg.encode())


def test_a_trial_with_no_recruiting_site_has_no_map(app, client, runner, tmp_path):
    closed = study(
        "NCT00000201",
        "A closed study",
        **{
            "protocolSection.contactsLocationsModule.locations": [
                {
                    "facility": "Hospital de Sevilla",
                    "city": "Sevilla",
                    "country": "Spain",
                    "status": "COMPLETED",
                    "geoPoint": {"lat": 37.3891, "lon": -5.9845},
                }
            ]
        },
    )
    result = runner.invoke(args=["trials", "import", str(write(tmp_path, "closed.json", closed))])
    assert result.exit_code == 0, result.output
    page = client.get("/es/trials/NCT00000201/").get_data(as_text=True)
    assert "Hospital de Sevilla" in page and "<svg" not in page


def test_finder_results_keep_the_place_for_the_trial_page_map(client):
    page = client.get("/es/?near=Coimbra&country=PT").get_data(as_text=True)
    assert f"/es/trials/{NCT}/?near=Coimbra&amp;country=PT" in page
    plain = client.get("/es/").get_data(as_text=True)
    assert f'href="/es/trials/{NCT}/"' in plain
