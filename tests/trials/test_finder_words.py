"""The finder in the family's language: the shipped texts, a vocabulary of conditions, Arabic."""

import re
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import NCT, ROOT
from tests.trials.test_finder import trial
from tests.trials.test_trials_import import study, write
from trialfinder.trials import words
from trialfinder.trials.vocabulary import VOCABULARY_FILE, load_vocabulary

pytestmark = pytest.mark.databases


def found(client, lang: str, query: str) -> list[str]:
    """Return the NCT numbers a search lists as results (not the site's full list)."""
    body = client.get(f"/{lang}/", query_string={"q": query}).get_data(as_text=True)
    results = re.split('id="(?:not-fitting|held)"', body[body.index('id="results"') :])[0]
    return list(dict.fromkeys(re.findall(r"NCT\d{8}", results)))


@pytest.mark.parametrize(
    ("lang", "query"),
    [
        ("es", "leucemia linfoblástica aguda"),
        ("es", "LLA"),
        ("es", "Madrid"),
        ("es", "La Paz"),
        ("es", "niños"),
        ("ca", "leucèmia limfoblàstica"),
        ("fr", "lymphoblastique"),
        ("fr", "LAL"),
        ("fr", "leucemie"),
        ("pt", "leucemia linfoblástica"),
        ("ro", "leucemie"),
        ("ar", "لوكيميا"),
        ("ar", "اللوكيميا"),
        ("ar", "باللوكيميا"),
        ("ar", "ابيضاض الدم"),
        ("en", "leukaemia children"),
    ],
)
def test_the_shipped_trial_is_found_by_the_familys_words(client, lang, query):
    assert found(client, lang, query) == [NCT]


@pytest.fixture
def english_records(app, runner, tmp_path):
    """Two trials whose records speak only English, with no content of ours."""
    page = {
        "studies": [
            study(
                "NCT00000201",
                "A vaccine study in adults living with HIV",
                **{"protocolSection.conditionsModule.conditions": ["HIV Infections"]},
            ),
            study(
                "NCT00000202",
                "Insulin pump for teenagers",
                **{"protocolSection.conditionsModule.conditions": ["Type 1 Diabetes"]},
            ),
        ]
    }
    result = runner.invoke(args=["trials", "import", str(write(tmp_path, "page.json", page))])
    assert result.exit_code == 0, result.output
    return app


@pytest.mark.parametrize(
    ("lang", "query", "expected"),
    [
        ("es", "VIH", "NCT00000201"),
        ("es", "sida", "NCT00000201"),
        ("fr", "VIH", "NCT00000201"),
        ("ar", "الإيدز", "NCT00000201"),
        ("es", "diabetes tipo 1", "NCT00000202"),
        ("ca", "diabetis", "NCT00000202"),
        ("fr", "diabète", "NCT00000202"),
        ("pt", "diabetes", "NCT00000202"),
        ("ro", "diabet", "NCT00000202"),
        ("ar", "السكري", "NCT00000202"),
        ("ar", "بالسكري", "NCT00000202"),
    ],
)
def test_a_record_in_english_is_found_in_every_language(
    client, english_records, lang, query, expected
):
    assert found(client, lang, query) == [expected]


def test_a_one_letter_word_is_a_whole_word_not_a_prefix(client, runner, tmp_path):
    page = {
        "studies": [
            trial("NCT00000203", "Kappa-T cells for lymphoma"),
            trial("NCT00000204", "Kappa tyre dust and asthma"),
        ]
    }
    result = runner.invoke(args=["trials", "import", str(write(tmp_path, "page.json", page))])
    assert result.exit_code == 0, result.output
    assert found(client, "en", "kappa-t") == ["NCT00000203"]
    assert found(client, "en", "kappa ty") == []  # two letters: a whole word too
    assert found(client, "en", "kappa tyr") == ["NCT00000204"]  # three: the start of a word


def test_a_search_that_finds_nothing_shows_what_a_small_site_holds(client):
    body = client.get("/es/", query_string={"q": "xyzzy"}).get_data(as_text=True)
    assert found(client, "es", "xyzzy") == []
    assert "Todos los ensayos de este sitio web: 1" in body
    assert NCT in body.split('id="held"')[1]


def test_a_large_site_does_not_list_everything(client, runner, tmp_path):
    page = {"studies": [study(f"NCT000003{n:02d}", f"Study {n}") for n in range(12)]}
    runner.invoke(args=["trials", "import", str(write(tmp_path, "many.json", page))])
    body = client.get("/en/", query_string={"q": "xyzzy"}).get_data(as_text=True)
    assert 'id="held"' not in body
    assert "No trial matches your search" in body


# ---- pure: no app -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "form"),
    [
        ("اللوكيميا", "لوكيميا"),  # the article
        ("باللوكيميا", "لوكيميا"),  # a preposition written onto the article
        ("للأطفال", "اطفال"),  # li + al, and a hamza seat folded
        ("والسرطان", "سرطان"),  # wa + al
        ("وسرطان", "سرطان"),  # wa alone, on a long word
        ("مُسْتَشْفَى", "مستشفي"),  # short vowels gone, alif maqsura as ya
    ],
)
def test_arabic_words_are_matched_without_their_article_or_preposition(written, form):
    (token,) = words.tokens(written)
    assert form in words.forms(token)
    assert form in words.document(written).split()


def test_short_arabic_words_and_latin_words_keep_their_letters():
    assert words.forms("بحث") == ["بحث"]  # a three-letter root starting with ba: no prefix
    assert words.forms("leucemie") == ["leucemie"]
    assert words.tokens("LEUCÉMIE Lymphoblastique") == ["leucemie", "lymphoblastique"]


def test_queries_match_any_form_of_each_word():
    query = words.query_words("اللوكيميا niños")
    assert words.fts5_query(query) == '("اللوكيميا"* OR "لوكيميا"*) AND ("ninos"*)'
    assert words.tsquery(query) == "('اللوكيميا':* | 'لوكيميا':*) & ('ninos':*)"


def test_the_vocabulary_names_a_concept_in_every_language_with_its_source():
    vocabulary = load_vocabulary(str(ROOT / "content"))
    expansions = vocabulary.expansions("Relapsed Acute Lymphoblastic Leukemias")
    for name in ["leucemia linfoblastica aguda", "leucemie aigue lymphoblastique", "LAL"]:
        assert name in expansions
    assert "leucemia" in expansions  # the broader concept, named inside the longer one
    assert vocabulary.expansions("all patients are welcome") == []  # 'ALL' is never matched
    assert all(concept.source for concept, _first in vocabulary.concepts)


SHIPPED_VOCABULARY = load_vocabulary(str(ROOT / "content"))
# Words of the shipped names, their plurals and near misses, and words of no name.
NAME_WORDS = sorted(
    {
        word
        for concept, _first in SHIPPED_VOCABULARY.concepts
        for name in concept.names
        for word in name.split(" ")
    }
)
SOME_WORDS = st.sampled_from(
    NAME_WORDS
    + [w + "s" for w in NAME_WORDS[::7]]
    + [w + "es" for w in NAME_WORDS[::11]]
    + [w[:-1] for w in NAME_WORDS[::5] if len(w) > 1]
    + ["x", "patients", "the", "und"]
)


def name_pattern(names: tuple[str, ...]) -> re.Pattern:
    """Any of the names as whole words, the last word perhaps an English plural."""
    alternatives = "|".join(re.escape(name) + "(?:e?s)?" for name in names)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


PATTERNS = [(c, first, name_pattern(c.names)) for c, first in SHIPPED_VOCABULARY.concepts]


def named_by_pattern(texts: list[str]) -> list[str]:
    """The expansions as a pattern finds each name in the words joined by spaces (whole
    words, an English plural of the last one): what `Vocabulary.expansions` must give."""
    tokens = [token for text in texts for token in words.tokens(text)]
    present = {token.removesuffix("s") for token in tokens} | set(tokens)
    joined = " ".join(tokens)
    found = [
        concept
        for concept, first_words, pattern in PATTERNS
        if not first_words.isdisjoint(present) and pattern.search(joined)
    ]
    return list(dict.fromkeys(term for c in found for term in c.names + c.abbreviations))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(SOME_WORDS, max_size=12).map(" ".join), max_size=4))
def test_a_concept_is_found_where_its_names_words_stand_in_a_row(texts):
    assert SHIPPED_VOCABULARY.expansions(*texts) == named_by_pattern(texts)


def test_every_name_is_found_alone_in_a_sentence_and_with_a_plural_ending():
    for concept, _first in SHIPPED_VOCABULARY.concepts:
        for name in concept.names:
            for text in (name, f"patients with {name} now", name + "s"):
                assert concept.names[0] in SHIPPED_VOCABULARY.expansions(text), text
            for text in (name + "s", name + "es"):
                assert SHIPPED_VOCABULARY.expansions(text) == named_by_pattern([text]), text


def test_a_name_is_found_only_with_its_words_in_a_row():
    leukaemia = SHIPPED_VOCABULARY.expansions
    assert "LAL" not in leukaemia("acute leukemia lymphoblastic")  # not in a row
    assert "LAL" in leukaemia("acute lymphoblastic leukemia")
    found = leukaemia("Relapsed acute lymphoblastic leukemias")
    assert found == named_by_pattern(["Relapsed acute lymphoblastic leukemias"])
    assert "leucemia linfoblastica aguda" in found


def test_a_sponsors_folder_without_a_vocabulary_uses_the_shipped_one(tmp_path):
    assert load_vocabulary(str(tmp_path)).expansions("asthma") == []
    assert "asma" in load_vocabulary(str(tmp_path), str(ROOT / "content")).expansions("asthma")


def test_a_broken_vocabulary_keeps_its_last_good_version(tmp_path):
    (tmp_path / "vocabulary").mkdir()
    path = tmp_path / VOCABULARY_FILE
    shutil.copy(ROOT / "content" / VOCABULARY_FILE, path)
    assert "asma" in load_vocabulary(str(tmp_path)).expansions("asthma")
    path.write_text("concepts: [\n", encoding="utf-8")
    assert "asma" in load_vocabulary(str(tmp_path)).expansions("asthma")
