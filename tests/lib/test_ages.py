"""Ages in the record's own unit, with the plural each number takes in each of the 7 locales."""

import pytest
from flask_babel import force_locale

from trialfinder.lib.ages import Age, age_from_years, parse_age, plural_count
from trialfinder.trials.labels import age_limits, age_phrase

YEARS = {  # number -> what each locale says; CLDR decides, gettext's rule reads whole numbers
    "en": {1: "1 year", 2: "2 years", 21: "21 years", 0.5: "0.5 years"},
    "es": {1: "1 año", 2: "2 años", 20: "20 años", 101: "101 años", 0.5: "0,5 años"},
    "ca": {1: "1 any", 3: "3 anys", 0.5: "0,5 anys"},
    # French: 0 and 1 and every number below 2 are singular (CLDR one: i = 0,1): "0,5 an".
    "fr": {1: "1 an", 2: "2 ans", 0.5: "0,5 an", 1.5: "1,5 an", 11: "11 ans"},
    "pt": {1: "1 ano", 2: "2 anos", 0.5: "0,5 anos"},  # Portugal's rule: only 1 is singular
    # Romanian: "de" from 20 (CLDR other), not for 1-19 or 101-119 (few), nor for fractions.
    "ro": {
        1: "1 an",
        2: "2 ani",
        3: "3 ani",
        11: "11 ani",
        19: "19 ani",
        20: "20 de ani",
        21: "21 de ani",
        101: "101 ani",
        120: "120 de ani",
        0.5: "0,5 ani",
    },
    # Arabic: one and two without the number, 3-10 plural, 11-99 singular accusative.
    "ar": {
        1: "سنة واحدة",
        2: "سنتين",
        3: "3 سنوات",
        10: "10 سنوات",
        11: "11 سنة",
        20: "20 سنة",
        101: "101 سنة",
        0.5: "0.5 سنة",
    },
}
OTHER_UNITS = [
    ("en", Age(3, "month"), "3 months"),
    ("en", Age(1, "day"), "1 day"),
    ("en", Age(28, "day"), "28 days"),
    ("es", Age(6, "month"), "6 meses"),
    ("es", Age(1, "month"), "1 mes"),
    ("ca", Age(2, "week"), "2 setmanes"),
    ("fr", Age(6, "month"), "6 mois"),
    ("fr", Age(1, "day"), "1 jour"),
    ("pt", Age(1, "month"), "1 mês"),
    ("ro", Age(28, "day"), "28 de zile"),
    ("ro", Age(6, "month"), "6 luni"),
    ("ro", Age(1, "week"), "1 săptămână"),
    ("ar", Age(6, "month"), "6 أشهر"),
    ("ar", Age(11, "month"), "11 شهرًا"),
    ("ar", Age(2, "day"), "يومين"),
    ("ar", Age(28, "day"), "28 يومًا"),
]


@pytest.fixture
def in_locale(app):
    def run(lang, function, *args):
        with app.test_request_context(f"/{lang}/"), force_locale(lang):
            return str(function(*args))

    return run


@pytest.mark.parametrize(
    ("lang", "number", "said"),
    [(lang, number, said) for lang, forms in YEARS.items() for number, said in forms.items()],
)
def test_years_take_the_plural_of_their_number(in_locale, lang, number, said):
    assert in_locale(lang, age_phrase, Age(number, "year")) == said


@pytest.mark.parametrize(("lang", "age", "said"), OTHER_UNITS)
def test_months_weeks_and_days_read_as_such(in_locale, lang, age, said):
    assert in_locale(lang, age_phrase, age) == said


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "The registry lists this study for ages 28 days to 21 years."),
        ("es", "El registro indica que este estudio es para edades de 28 días a 21 años."),
        ("ro", "Registrul arată că acest studiu este pentru vârste între 28 de zile și 21 de ani."),
        ("fr", "Selon le registre, cette étude s'adresse aux personnes de 28 jours à 21 ans."),
        ("ar", "يذكر السجل أن هذه الدراسة للأعمار من 28 يومًا إلى 21 سنة."),
    ],
)
def test_a_fit_sentence_never_says_decimal_years(in_locale, lang, said):
    text = in_locale(lang, age_limits, Age(28, "day"), Age(21, "year"))
    assert text == said
    assert "0,0" not in text and "0.0" not in text


def test_the_record_units_are_read_and_found_again_from_stored_years():
    assert parse_age("6 Months") == Age(6, "month")
    assert parse_age("28 Days") == Age(28, "day")
    assert parse_age("18 Years") == Age(18, "year")
    assert parse_age("24 Hours") == Age(1, "day")
    assert parse_age("N/A") is None and parse_age(None) is None
    # The import stores round(value / units per year, 4): the unit comes back from that.
    for text in ("6 Months", "3 Months", "18 Months", "28 Days", "5 Days", "1 Month", "30 Years"):
        age = parse_age(text)
        assert age_from_years(round(age.years, 4)) == age, text
    assert age_from_years(1.0) == Age(1, "year")  # "12 Months" reads as 1 year from the index
    assert age_from_years(None) is None


def test_a_fraction_is_given_to_ngettext_as_a_number_of_its_cldr_form():
    assert plural_count(21, "ro") == 21
    assert plural_count(0.5, "fr") in (0, 1)  # one
    assert plural_count(0.5, "en") not in (1,)  # other
    assert plural_count(0.5, "ro") in (0, 2, 3)  # few
    assert plural_count(0.5, "ar") >= 100  # other
