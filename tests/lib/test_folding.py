"""One fold for case and accents, shared by the finder's words, places and the country list."""

from hypothesis import given
from hypothesis import strategies as st

from trialfinder.lib.folding import fold
from trialfinder.lib.geo import cities_by_country, city_key, city_keys, normalized
from trialfinder.trials.words import tokens


def test_case_and_accents_never_matter():
    assert fold("Córdoba") == fold("CORDOBA") == "cordoba"
    assert fold("Leucémie AIGUË") == "leucemie aigue"
    assert fold("") == "" and fold(None) == ""


def test_places_and_finder_words_fold_alike():
    for text in ("Málaga", "São Paulo", "Île-de-France", "Leucemia linfoblástica"):
        assert normalized(text) == " ".join(tokens(text))
    assert city_key("Łódź") == "lodz"


def test_the_finder_also_folds_arabic_letter_forms_and_short_vowels():
    assert tokens("الأطفالُ") == tokens("الاطفال")
    assert tokens("حادة") == tokens("حاده")
    assert fold("حادة") != fold("حاده")  # ة and ه are letters: only the finder's words fold them


@given(st.lists(st.text()))
def test_names_folded_together_fold_as_each_alone(names):
    assert city_keys(names) == [city_key(name) for name in names]


def test_gazetteer_names_in_many_scripts_fold_together_as_alone():
    names = [
        name
        for country in ("ES", "PT", "FR", "RO", "US", "EG", "GR", "RU", "CN", "IN", "JP")
        for _id, town, other_names, *_rest in cities_by_country()[country]
        for name in (town, *other_names)
    ]
    assert len(names) > 100_000
    assert city_keys(names) == [city_key(name) for name in names]
    assert city_keys(["Łódź", "São\nPaulo", "  Île-de-France "]) == [
        "lodz",
        "sao paulo",
        "ile de france",
    ]
