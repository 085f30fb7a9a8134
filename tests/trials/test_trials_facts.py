"""The first-screen facts: ages in the fewest words, places in the page language, a few at most."""

import pytest
from flask_babel import force_locale

from tests.conftest import NCT
from trialfinder.trials import facts
from trialfinder.trials.models import Site, Trial


def sites(*cities: str, status: str = "RECRUITING") -> list[Site]:
    return [
        Site(facility=f"Hospital {city}", city=city, country="Spain", status=status)
        for city in cities
    ]


def trial(sites: list[Site], status: str = "RECRUITING", low=None, high=30.0) -> Trial:
    return Trial(nct_id=NCT, status=status, sites=sites, min_age_years=low, max_age_years=high)


@pytest.fixture
def in_locale(app):
    """Run code as a request in a locale would."""

    def run(lang: str, function, *args):
        with app.test_request_context(f"/{lang}/"), force_locale(lang):
            return str(function(*args))

    return run


def aged(low: str | None, high: str | None) -> Trial:
    """A trial whose record gives its ages as the registry writes them ('6 Months')."""
    from trialfinder.lib.ages import parse_age

    eligibility = {"minimumAge": low, "maximumAge": high}
    return Trial(
        nct_id=NCT,
        status="RECRUITING",
        min_age_years=parse_age(low).years if low else None,
        max_age_years=parse_age(high).years if high else None,
        record={"protocolSection": {"eligibilityModule": eligibility}},
    )


@pytest.mark.parametrize(
    ("lang", "low", "high", "said"),
    [
        ("en", None, "30 Years", "30 and younger"),
        ("es", None, "30 Years", "30 años o menos"),
        ("ro", None, "30 Years", "30 de ani sau mai puțin"),  # review M8: not "30 ani"
        ("ro", None, "19 Years", "19 ani sau mai puțin"),
        ("fr", "0 Years", "21 Years", "21 ans ou moins"),
        ("fr", None, "1 Year", "1 an ou moins"),
        ("en", "1 Year", "30 Years", "From 1 to 30 years"),
        ("en", "18 Years", None, "18 years and older"),
        ("en", "6 Months", "30 Years", "From 6 months to 30 years"),
        ("en", None, "5 Days", "Up to 5 days"),
        ("es", "28 Days", "21 Years", "De 28 días a 21 años"),
        ("es", "3 Months", None, "3 meses o más"),
        ("ar", "6 Months", "2 Years", "من 6 أشهر إلى سنتين"),
        ("ar", None, "30 Years", "30 سنة أو أقل"),
    ],
)
def test_ages_in_the_fewest_words_and_the_records_unit(in_locale, lang, low, high, said):
    assert in_locale(lang, facts.age_limit, aged(low, high)) == said


def test_country_in_the_page_language_and_unknown_names_kept():
    assert facts.country_name("Spain", "fr") == "Espagne"
    assert facts.country_name("Spain", "ar") == "إسبانيا"
    assert facts.country_name("Atlantis", "es") == "Atlantis"


def test_places_list_recruiting_sites_in_the_page_language(in_locale):
    study = trial([*sites("Madrid", "Sevilla"), *sites("Bilbao", status="COMPLETED")])
    said = in_locale("es", facts.places, study)
    madrid, sevilla = "<bdi>Hospital Madrid, Madrid</bdi>", "<bdi>Hospital Sevilla, Sevilla</bdi>"
    assert said == f"{madrid} (España) y {sevilla} (España)"


def test_many_places_are_counted_not_listed(in_locale):
    study = trial(sites("Madrid", "Sevilla", "Bilbao", "Valencia", "Girona"))
    said = in_locale("en", facts.places, study)
    assert said.count("<bdi>") == facts.MAX_PLACES
    assert said.endswith("and 2 more places")


@pytest.mark.parametrize(
    ("lang", "rest"),
    [("en", "1,145 more places"), ("es", "1.145 lugares más"), ("fr", "1\u202f145 autres lieux")],
)
def test_a_count_of_places_is_written_as_the_locale_writes_numbers(in_locale, lang, rest):
    study = trial(sites(*(f"Town {number}" for number in range(1148))))
    assert in_locale(lang, facts.places, study).endswith(rest)


def test_a_trial_that_no_longer_recruits_still_says_where(in_locale):
    study = trial(sites("Madrid", status="COMPLETED"), status="COMPLETED")
    assert "Madrid" in in_locale("en", facts.places, study)


def test_names_from_the_registry_are_escaped(in_locale):
    study = trial([Site(facility="<b>Clinic</b>", city="Lyon", country="", status="RECRUITING")])
    assert in_locale("fr", facts.places, study) == "<bdi>&lt;b&gt;Clinic&lt;/b&gt;, Lyon</bdi>"
