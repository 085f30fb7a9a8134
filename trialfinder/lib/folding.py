"""Text folding: case and accents never matter when a visitor's words meet ours. No Flask.

One fold for every comparison of words: the finder's index and queries (trials/words, which adds
Arabic letter forms), town and country names (geo), the order of the country list (countries).
"""

import unicodedata

# Every combining mark (accents, Arabic short vowels...): all of them lie below U+20000.
# A translate table is several times faster than testing each character.
MARKS: dict[int, str | None] = {
    code: None for code in range(0x20000) if unicodedata.combining(chr(code))
}


def fold(text: str, table: dict[int, str | None] = MARKS) -> str:
    """Fold case and accents ('Córdoba' → 'cordoba'); table may fold more (a superset of MARKS)."""
    return unicodedata.normalize("NFKD", (text or "").casefold()).translate(table)
