"""Words for the full-text index: folded, split, and turned into index queries. No Flask.

Case and accents never matter. In Arabic the article and the prepositions written onto it
(«اللوكيميا», «باللوكيميا», «للأطفال») do not matter either: a word is indexed in each of its
forms and a visitor's word matches any of them. Letters written several ways (أ إ آ ا,
ة ه, ى ي) and short vowels are folded first.
"""

import re

from trialfinder.lib.folding import MARKS, fold

MAX_WORDS = 10
WORD = re.compile(r"[^\W_]+")
# After NFKD: accents and short vowels (combining marks) go, Arabic letters take one form.
FOLD = MARKS | str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ـ": None}  # ـ: a stretch
)
# The article, alone or after a conjunction or preposition written onto it; longest first.
ARABIC_ARTICLES = ("وبال", "وال", "بال", "فال", "كال", "ولل", "لل", "ال")
ARABIC_PREPOSITIONS = ("و", "ب", "ل", "ك", "ف")
ARABIC_PREFIX_LETTERS = frozenset("والبفك")
SHORTEST_STEM = 3  # letters left after a prefix is taken away; shorter: the prefix was a root
# A visitor's word of fewer letters matches whole words only: "t" of "CAR-T" or "2" of "type 2
# diabetes" is a word, not the start of every word in t or 2 (at 100,000 trials, the 't'
# prefix alone cost the word search 33 ms).
SHORTEST_PREFIX = 3


def forms(word: str) -> list[str]:
    """Return a folded word and, in Arabic, the word without its article or preposition."""
    if word[:1] not in ARABIC_PREFIX_LETTERS:
        return [word]
    found = [word]
    for prefix in ARABIC_ARTICLES:
        if word.startswith(prefix) and len(word) - len(prefix) >= SHORTEST_STEM - 1:
            found.append(word[len(prefix) :])
            break
    else:
        if word[:1] in ARABIC_PREPOSITIONS and len(word) - 1 >= SHORTEST_STEM + 1:
            found.append(word[1:])
    return found


def tokens(text: str) -> list[str]:
    """Split text into index words: case, accents and Arabic letter forms folded."""
    return WORD.findall(fold(text, FOLD))


def document(*texts: str) -> str:
    """Return the text to index for a trial: every form of every word of every given text."""
    return " ".join(form for text in texts for word in tokens(text) for form in forms(word))


def query_words(words: str) -> list[str]:
    """Return the distinct words of a visitor's query, in order, at most MAX_WORDS."""
    return list(dict.fromkeys(tokens(words)))[:MAX_WORDS]


def as_prefix(form: str) -> bool:
    return len(form) >= SHORTEST_PREFIX


def fts5_query(words: list[str]) -> str:
    """Return an SQLite FTS5 query matching documents with every word (any form), as a prefix."""
    return " AND ".join(
        "(" + " OR ".join(f'"{form}"' + "*" * as_prefix(form) for form in forms(word)) + ")"
        for word in words
    )


def tsquery(words: list[str]) -> str:
    """Return a PostgreSQL to_tsquery text matching every word (any form), as a prefix."""
    return " & ".join(
        "(" + " | ".join(f"'{form}'" + ":*" * as_prefix(form) for form in forms(word)) + ")"
        for word in words
    )
