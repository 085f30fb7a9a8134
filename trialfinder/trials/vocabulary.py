"""A multilingual vocabulary of conditions, so that a family's own words find a trial. No Flask.

`content/vocabulary/conditions.yaml` names each concept in the seven languages; a trial whose
registry text names a concept in any of them is indexed under all its names and abbreviations.
"""

import re
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

    @property
    def pattern(self) -> re.Pattern:
        """Any of the names as whole words; an English plural (leukemias) also counts."""
        names = "|".join(re.escape(name) + "(?:e?s)?" for name in self.names)
        return re.compile(rf"(?<!\w)(?:{names})(?!\w)")


@dataclass(frozen=True)
class Vocabulary:
    concepts: tuple[tuple[Concept, frozenset[str], re.Pattern], ...]

    def expansions(self, *texts: str) -> list[str]:
        """Return the names and abbreviations of every concept the texts name, once each."""
        tokens = [token for text in texts if text for token in words.tokens(text)]
        present = {token.removesuffix("s") for token in tokens} | set(tokens)
        folded = " ".join(tokens)
        found = [
            concept
            for concept, first_words, pattern in self.concepts
            if not first_words.isdisjoint(present) and pattern.search(folded)
        ]
        return list(dict.fromkeys(term for c in found for term in c.names + c.abbreviations))


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
    return Vocabulary(tuple((c, c.first_words, c.pattern) for c in concepts if c.names))


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
