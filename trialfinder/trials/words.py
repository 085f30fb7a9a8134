"""Words for the full-text index: folded, split, and turned into index queries. No Flask."""

import re

from ..geo import normalized

MAX_WORDS = 10
WORD = re.compile(r"[^\W_]+")


def tokens(text: str) -> list[str]:
    """Split text into index words: case and accents folded, punctuation dropped."""
    return WORD.findall(normalized(text or ""))


def document(*texts: str) -> str:
    """Return the text to index for a trial: every word of every given text, folded."""
    return " ".join(word for text in texts for word in tokens(text))


def query_words(words: str) -> list[str]:
    """Return the distinct words of a visitor's query, in order, at most MAX_WORDS."""
    return list(dict.fromkeys(tokens(words)))[:MAX_WORDS]


def fts5_query(words: list[str]) -> str:
    """Return an SQLite FTS5 query matching documents with every word, as a prefix."""
    return " ".join(f'"{word}"*' for word in words)


def tsquery(words: list[str]) -> str:
    """Return a PostgreSQL to_tsquery text matching every word, as a prefix."""
    return " & ".join(f"'{word}':*" for word in words)
