"""One fold for case and accents, shared by the finder's words, places and the country list."""

from trialfinder.lib.folding import fold
from trialfinder.lib.geo import city_key, normalized
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
