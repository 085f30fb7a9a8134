"""A multilingual vocabulary of conditions, so that a family's own words find a trial. No Flask.

`content/vocabulary/conditions.yaml` names each concept in the seven languages; a trial whose
registry text names a concept in any of them is indexed under all its names and abbreviations.
"""

from dataclasses import dataclass
from pathlib import Path

import yaml

from trialfinder.lib.files import ContentFiles, read_yaml, yaml_problem
from trialfinder.trials import words

VOCABULARY_FILE = Path("vocabulary") / "conditions.yaml"


class VocabularyError(ValueError):
    """The vocabulary file is not valid YAML or not a list of concepts."""


@dataclass(frozen=True)
class Concept:
    id: str
    source: str
    names: tuple[str, ...]  # every language's names, folded as the index folds them
    abbreviations: tuple[str, ...] = ()

    @property
    def first_words(self) -> frozenset[str]:
        return frozenset(name.split()[0] for name in self.names)


PLURALS = ("", "s", "es")  # an English plural of a name's last word also names it


@dataclass(frozen=True)
class Vocabulary:
    concepts: tuple[tuple[Concept, frozenset[str]], ...]

    def expansions(self, *texts: str) -> list[str]:
        """Return the names and abbreviations of every concept the texts name, once each.

        A name is found as its words in a row, the last one perhaps an English plural
        ("leukemias"), without reading the whole text again for each concept (a trial's seven
        locales: some ten thousand words).
        """
        tokens = [token for text in texts if text for token in words.tokens(text)]
        distinct = set(tokens)
        present = {token.removesuffix("s") for token in distinct} | distinct
        named = [
            (concept, [name.split(" ") for name in concept.names])
            for concept, first_words in self.concepts
            if not first_words.isdisjoint(present)
        ]
        # Where each word that starts a name of several words stands: one pass over the words.
        starting = {name[0] for _concept, names in named for name in names if len(name) > 1}
        starts: dict[str, list[int]] = {}
        for at, token in enumerate(tokens):
            if token in starting:
                starts.setdefault(token, []).append(at)
        found = [
            concept
            for concept, names in named
            if any(in_a_row(name, tokens, distinct, starts) for name in names)
        ]
        return list(dict.fromkeys(term for c in found for term in c.names + c.abbreviations))


def in_a_row(name: list[str], tokens: list[str], distinct: set, starts: dict) -> bool:
    """Say whether a name's words stand in a row in tokens, the last perhaps a plural."""
    *first, last = name
    ends = {last + plural for plural in PLURALS}
    if not first:
        return not ends.isdisjoint(distinct)
    size = len(first)
    return any(
        tokens[start : start + size] == first
        and start + size < len(tokens)
        and tokens[start + size] in ends
        for start in starts.get(first[0], ())
    )


def folded(name: str) -> str:
    return " ".join(words.tokens(name))


def build(data: dict) -> Vocabulary:
    """Build the vocabulary from the file's data."""
    concepts = []
    for entry in data.get("concepts") or []:
        by_lang = (entry.get("names") or {}).values()
        names = [folded(name) for lang_names in by_lang for name in lang_names]
        concepts.append(
            Concept(
                id=str(entry["id"]),
                source=str(entry.get("source", "")),
                names=tuple(dict.fromkeys(n for n in names if n)),
                abbreviations=tuple(str(a) for a in entry.get("abbreviations") or []),
            )
        )
    return Vocabulary(tuple((c, c.first_words) for c in concepts if c.names))


def read_vocabulary(path: Path) -> Vocabulary:
    """Read the vocabulary file; raise VocabularyError naming the file when it is broken."""
    try:
        data = read_yaml(path) or {}
        return build(data)
    except yaml.YAMLError as error:
        raise VocabularyError(yaml_problem(path, error)) from None
    except (AttributeError, KeyError, TypeError) as error:
        raise VocabularyError(f"{path}: not a list of concepts with ids ({error})") from None


FILES = ContentFiles(read_vocabulary, (VocabularyError,))
EMPTY = Vocabulary(())


def load_vocabulary(*content_dirs: str) -> Vocabulary:
    """Return the vocabulary of the first content folder that has one (a sponsor's, then ours)."""
    for content_dir in content_dirs:
        if (vocabulary := FILES.get(Path(content_dir) / VOCABULARY_FILE)) is not None:
            return vocabulary
    return EMPTY
