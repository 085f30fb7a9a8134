"""Site-wide texts (privacy, accessibility) as content files, one per locale."""

from pathlib import Path

import yaml

from trialfinder.lib.files import ContentFiles, read_yaml, yaml_problem
from trialfinder.lib.locales import DEFAULT_LOCALE

FALLBACK_LOCALES = ("en", DEFAULT_LOCALE)


class SiteTextError(ValueError):
    """A site text file that is not valid YAML or not a mapping of pages."""


def read_site_text(path: Path) -> dict:
    """Read one locale's site texts; raise SiteTextError naming the file when it is broken."""
    try:
        data = read_yaml(path) or {}
    except yaml.YAMLError as error:
        raise SiteTextError(yaml_problem(path, error)) from None
    if not isinstance(data, dict) or not all(isinstance(page, dict) for page in data.values()):
        raise SiteTextError(f"{path}: must be a mapping of pages")
    return data


FILES = ContentFiles(read_site_text, (SiteTextError,))


def load_site_page(content_dir: str, lang: str, name: str) -> dict | None:
    """Return one site page ('privacy', 'accessibility') of a locale, None when none is written.

    A file broken by an edit keeps its last good version; a locale never read well (or
    without that page) falls back to English, then the default locale, never to an error.
    """
    for locale in (lang, *FALLBACK_LOCALES):
        page = (FILES.get(Path(content_dir) / "site" / f"{locale}.yaml") or {}).get(name)
        if page:
            return page
    return None


# Left to right and isolated: an address or a name keeps its direction inside Arabic text.
ISOLATE = "\u2068{}\u2069"


def fill_placeholders(page: dict, values: dict[str, str]) -> dict:
    """Return the page with {name} placeholders in its title, headings and bodies replaced.

    Only the names given are replaced, so any other brace in a text stays as written.
    """

    def fill(text: str) -> str:
        for name, value in values.items():
            text = text.replace("{" + name + "}", ISOLATE.format(value))
        return text

    sections = [
        {**part, "heading": fill(part.get("heading", "")), "body": fill(part.get("body", ""))}
        for part in page.get("sections", [])
    ]
    return {**page, "title": fill(page.get("title", "")), "sections": sections}
