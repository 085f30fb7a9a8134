"""Every text of the content files and catalogs, each with the key or line that names it."""

from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

import yaml
from babel.messages.pofile import read_po

from trialfinder.lib import files
from trialfinder.sponsor.extract import extract_questionnaire

SOURCE = "en"


@dataclass(frozen=True)
class Entry:
    """One catalog message: where it is, its msgid, its translations, whether it is fuzzy."""

    line: int
    msgid: str
    strings: tuple[str, ...]
    fuzzy: bool


def flatten(node: object, prefix: str = "") -> dict[str, str]:
    """Return {key: text} for every string of a YAML tree; list items are named by their id."""
    if isinstance(node, str):
        return {prefix: node}
    texts: dict[str, str] = {}
    if isinstance(node, dict):
        for key, value in node.items():
            if key != "id":
                texts |= flatten(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            name = item.get("id", index) if isinstance(item, dict) else index
            texts |= flatten(item, f"{prefix}[{name}]")
    return texts


def read_yaml(path: Path) -> object:
    return files.read_yaml(path) or {}


def trial_dirs(content_dir: Path) -> list[Path]:
    """Return the folders of the trials that have plain-language texts."""
    return sorted(path.parent for path in content_dir.glob(f"trials/*/{SOURCE}.yaml"))


def locale_files(folder: Path, locales: tuple[str, ...]) -> dict[str, Path]:
    return {lang: folder / f"{lang}.yaml" for lang in locales}


def catalog_path(catalog_dir: Path, lang: str) -> Path:
    return catalog_dir / lang / "LC_MESSAGES" / "messages.po"


def read_catalog(po_file: BinaryIO, lang: str) -> list[Entry]:
    """Return the messages of a .po file (header left out), with their line numbers."""
    catalog = read_po(po_file, locale=lang)
    entries = []
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id[-1] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        entries.append(Entry(message.lineno, msgid, tuple(strings), message.fuzzy))
    return entries


def email_texts(templates_dir: Path) -> list[tuple[str, int, str]]:
    """Return (template, line, msgid) for every translated text of the email templates.

    A plural message is named by its plural form, as `read_catalog` names its entry.
    """
    from babel.messages.extract import extract_from_file

    found = []
    for path in sorted((templates_dir / "emails").glob("*/*")):
        if path.suffix not in (".txt", ".html"):
            continue
        options = {"trimmed": "true", "extensions": "jinja2.ext.i18n"}
        name = f"templates/{path.relative_to(templates_dir).as_posix()}"
        for line, message, _comments, _context in extract_from_file(
            "jinja2.ext.babel_extract", str(path), options=options
        ):
            msgid = message[-1] if isinstance(message, tuple) else message
            if msgid:
                found.append((name, line, msgid))
    return found


def questionnaire_texts(path: Path) -> list[tuple[int, str, str]]:
    """Return (line, where, text) for every text a questionnaire file shows.

    A file that is not YAML shows none: the check reports it once, as unreadable.
    """
    try:
        found = extract_questionnaire(BytesIO(path.read_bytes()), (), (), {})
        return [(line, comments[0], text) for line, _function, text, comments in found]
    except yaml.YAMLError:
        return []
