"""Babel extraction method for questionnaire.yaml, so `make messages` collects its texts.

Registered as the "questionnaire" extractor in pyproject.toml and mapped in babel.cfg.
"""

from collections.abc import Iterator

import yaml

from trialfinder.lib.files import SAFE_LOADER

# Keys whose values are shown to people; everything else (ids, values, rules) is code.
TEXT_KEYS = frozenset(
    {"text", "help", "label", "reason", "reasons", "to_check", "description", "always_checks"}
)


def _scalars(node: yaml.Node) -> Iterator[yaml.ScalarNode]:
    if isinstance(node, yaml.ScalarNode):
        if node.value.strip():
            yield node
    elif isinstance(node, yaml.MappingNode):
        for _key, value in node.value:
            yield from _scalars(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _scalars(item)


def _texts(node: yaml.Node, where: str) -> Iterator[tuple[yaml.ScalarNode, str]]:
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _texts(item, where)
    elif isinstance(node, yaml.MappingNode):
        ids = [value.value for key, value in node.value if key.value in ("id", "value")]
        here = f"{where} {ids[0]}" if ids else where
        for key, value in node.value:
            if key.value in TEXT_KEYS:
                yield from ((scalar, f"{here}: {key.value}") for scalar in _scalars(value))
            else:
                yield from _texts(value, here)


def extract_questionnaire(fileobj, keywords, comment_tags, options) -> Iterator[tuple]:
    """Yield (line, function, message, comments) for every text of a questionnaire file."""
    source = fileobj.read().decode(options.get("encoding", "utf-8"))
    root = yaml.compose(source, Loader=SAFE_LOADER)  # libyaml's, with line numbers too
    if root is None:
        return
    for scalar, where in _texts(root, "questionnaire"):
        yield scalar.start_mark.line + 1, "gettext", scalar.value.strip(), [where]
