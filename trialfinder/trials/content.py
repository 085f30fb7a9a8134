"""Plain-language trial content: one YAML file per trial and locale, rendered safely."""

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from markupsafe import Markup, escape

TERM_PATTERN = re.compile(r"\[([^\[\]]+)\]\(#([a-z0-9_]+)\)")


@dataclass(frozen=True)
class TrialContent:
    """What a family reads about one trial in one language."""

    lang: str
    reviewed: bool = True
    title: str = ""
    lede: str = ""  # one plain line under the title, on the first screen
    summary: list[dict] = field(default_factory=list)
    who_can_join: dict = field(default_factory=dict)
    glossary: list[dict] = field(default_factory=list)
    faq: list[dict] = field(default_factory=list)
    generic_faq_off: list[str] = field(default_factory=list)  # generic FAQ ids not shown

    @property
    def term_ids(self) -> frozenset[str]:
        return frozenset(entry["id"] for entry in self.glossary)


def content_path(content_dir: str, nct_id: str, lang: str) -> Path:
    return Path(content_dir) / "trials" / nct_id / f"{lang}.yaml"


@lru_cache(maxsize=256)
def _load(path: Path, _mtime: float) -> TrialContent:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return TrialContent(lang=path.stem, **data)


def load_content(content_dir: str, nct_id: str, lang: str) -> TrialContent | None:
    """Return the content of a trial in a locale, or None when none is written."""
    path = content_path(content_dir, nct_id, lang)
    if not path.is_file():
        return None
    return _load(path, path.stat().st_mtime)


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
