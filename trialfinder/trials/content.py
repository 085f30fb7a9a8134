"""Plain-language trial content: one YAML file per trial and locale, rendered safely."""

import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import get_origin

import yaml
from markupsafe import Markup, escape

from trialfinder.lib.files import ContentFiles, read_yaml, trial_folder, yaml_problem
from trialfinder.lib.signoff import signed

TERM_PATTERN = re.compile(r"\[([^\[\]]+)\]\(#([a-z0-9_]+)\)")
# What `flask trials new` writes in every text a sponsor has to write ("TODO: " and a hint).
DRAFT_MARKER = "TODO:"


class ContentError(ValueError):
    """A trial's content file that cannot be read: not YAML, or not the shape of TrialContent."""


@dataclass(frozen=True)
class TrialContent:
    """What a family reads about one trial in one language."""

    lang: str
    reviewed: bool = True
    reviewed_by: str = ""  # the medical translator's name and role
    reviewed_on: object = None  # a date (YAML reads 2026-12-04 as one)
    title: str = ""
    lede: str = ""  # one plain line under the title, on the first screen
    summary: list[dict] = field(default_factory=list)
    who_can_join: dict = field(default_factory=dict)
    glossary: list[dict] = field(default_factory=list)
    faq: list[dict] = field(default_factory=list)
    generic_faq_off: list[str] = field(default_factory=list)  # generic FAQ ids not shown

    @property
    def checked(self) -> bool:
        """True when a named reviewer signed the file: otherwise the page says it is unchecked."""
        return signed(self.reviewed, self.reviewed_by, self.reviewed_on)

    @property
    def term_ids(self) -> frozenset[str]:
        return frozenset(entry["id"] for entry in self.glossary)


def content_path(content_dir: str, nct_id: str, lang: str) -> Path:
    return trial_folder(content_dir, nct_id) / f"{lang}.yaml"


def shape_problems(data: object) -> list[str]:
    """Say what keeps parsed YAML from being a TrialContent (an empty list when nothing does)."""
    if not isinstance(data, dict):
        return ["must be a mapping of keys to texts"]
    kinds = {item.name: get_origin(item.type) or item.type for item in fields(TrialContent)}
    del kinds["lang"]  # from the file's name
    problems = []
    for key, value in data.items():
        kind = kinds.get(key)
        if kind is None:
            problems.append(f"unknown key {key!r} (known: {', '.join(kinds)})")
        elif not isinstance(value, kind):
            problems.append(f"{key}: must be a {kind.__name__}")
    for n, entry in enumerate(data.get("glossary") or []):
        if not (isinstance(entry, dict) and isinstance(entry.get("id"), str)):
            problems.append(f"glossary[{n}]: must be a mapping with an id")
    return problems


def read_content(path: Path) -> TrialContent:
    """Read one content file; raise ContentError naming the file (and line) when it is broken."""
    try:
        data = read_yaml(path) or {}
    except yaml.YAMLError as error:
        raise ContentError(yaml_problem(path, error)) from None
    if problems := shape_problems(data):
        raise ContentError(f"{path}: {'; '.join(problems)}")
    return TrialContent(lang=path.stem, **data)


FILES = ContentFiles(read_content, (ContentError,))


def load_content(content_dir: str, nct_id: str, lang: str) -> TrialContent | None:
    """Return the content of a trial in a locale, or None when none is written.

    A file broken by an edit keeps its last good version (lib/files.py); one never read
    well is left out, and the page falls back as for a locale not written yet. So is a draft:
    a file still holding a TODO is never shown, mailed or searched (`flask content check` says
    what is left), and the page keeps what the registry record says.
    """
    content = FILES.get(content_path(content_dir, nct_id, lang))
    return None if content is None or is_draft(content) else content


def is_draft(content: TrialContent) -> bool:
    """Whether any text of a content file still holds a TODO of the scaffold."""
    return any(DRAFT_MARKER in text for text in _texts(content.__dict__))


def is_draft_locale(content_dir: str, nct_id: str, lang: str) -> bool:
    """Whether a trial's file in a locale exists but is still a draft."""
    content = FILES.get(content_path(content_dir, nct_id, lang))
    return content is not None and is_draft(content)


def _texts(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [text for value in data.values() for text in _texts(value)]
    if isinstance(data, list | tuple):
        return [text for value in data for text in _texts(value)]
    return []


def _inline(text: str, term_ids: frozenset[str]) -> str:
    """Escape a line and turn [words](#term) into a button that opens the term in place."""
    html, last = [], 0
    for match in TERM_PATTERN.finditer(text):
        html.append(str(escape(text[last : match.start()])))
        words, term = match.group(1), match.group(2)
        if term in term_ids:
            html.append(
                f'<button type="button" class="term" popovertarget="term-{term}">'
                f"{escape(words)}</button>"
            )
        else:
            html.append(str(escape(words)))
        last = match.end()
    html.append(str(escape(text[last:])))
    return "".join(html)


def render_inline(text: str, term_ids: frozenset[str] = frozenset()) -> Markup:
    """Render one line of text, escaped, with glossary terms marked."""
    return Markup(_inline(text or "", term_ids))


def render_text(text: str, term_ids: frozenset[str] = frozenset()) -> Markup:
    """Render paragraphs and '- ' lists, escaping everything, with glossary terms marked."""
    blocks = []
    for block in re.split(r"\n\s*\n", (text or "").strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if lines and all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{_inline(line[2:], term_ids)}</li>" for line in lines)
            blocks.append(f"<ul>{items}</ul>")
        elif lines:
            blocks.append(f"<p>{_inline(' '.join(lines), term_ids)}</p>")
    return Markup("".join(blocks))


def plain_text(text: str) -> str:
    """Return the text without markup, for readability measures and search."""
    return TERM_PATTERN.sub(r"\1", text or "").replace("- ", "")
