"""Registry texts (summary, description, criteria) as safe HTML. No Flask.

ClinicalTrials.gov writes these fields in a Markdown dialect: escapes (`\\>= 18 years`, `\\[`),
`*`, `-` and numbered lists, emphasis. markdown-it-py reads that dialect as CommonMark does;
raw HTML is escaped (html off), images are not rendered, and a link is kept only when it goes
to http, https or mailto, so nothing in a record can run in the visitor's browser.
"""

from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup

SAFE_SCHEMES = ("http://", "https://", "mailto:")


def safe_link(url: str) -> bool:
    """Keep only web and mail links; javascript:, data: and the like are shown as text."""
    return url.strip().lower().startswith(SAFE_SCHEMES)


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable("image")
    md.validateLink = safe_link
    return md


def render_registry(text: str | None) -> Markup:
    """Render a registry text field as escaped HTML with its lists, emphasis and escapes."""
    return Markup(parser().render(text or ""))
