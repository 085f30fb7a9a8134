"""Catalogs: complete, not fuzzy, placeholders intact, compiled automatically."""

import os
import re
import subprocess
import sys
import time

import pytest
from babel.messages.pofile import read_po

from tests.conftest import ROOT
from trialfinder.lib.locales import LOCALES
from trialfinder.web.i18n import compile_catalogs

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def catalog(lang: str):
    with open(ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po", "rb") as po_file:
        return read_po(po_file, locale=lang)


def names(text: str) -> list[str]:
    return sorted("".join(match) for match in PLACEHOLDER.findall(text))


@pytest.mark.parametrize("lang", LOCALES)
def test_catalog_is_complete_and_not_fuzzy(lang):
    messages = catalog(lang)
    assert not messages.fuzzy, "the catalog header is marked fuzzy"
    problems = []
    for message in messages:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(message.id)
    assert not problems, f"{len(problems)} untranslated or fuzzy: {problems[:10]}"


@pytest.mark.parametrize("lang", LOCALES)
def test_placeholders_match_the_msgid(lang):
    for message in catalog(lang):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            if isinstance(message.id, tuple):
                # A plural form may leave out the number (Arabic "one" and "two" forms do).
                assert set(names(string)) <= set(names(ids[1])), (message.id, string)
            else:
                assert names(string) == names(ids[0]), (message.id, string)


def test_catalogs_hold_every_message_of_the_source(tmp_path):
    """Extract afresh: a string added without `make messages` fails here."""
    pot = tmp_path / "messages.pot"
    command = [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg"]
    command += ["-k", "_l", "-k", "lazy_gettext", "-k", "ngettext_count:1,2", "-o", str(pot), "."]
    subprocess.run(command, cwd=ROOT, check=True, timeout=120, capture_output=True)
    with pot.open("rb") as pot_file:
        template = {message.id for message in read_po(pot_file) if message.id}
    assert len(template) > 50
    for lang in LOCALES:
        translated = {message.id for message in catalog(lang) if message.id}
        assert template <= translated, f"{lang} lacks {sorted(map(str, template - translated))[:5]}"


def test_stale_catalogs_are_compiled(tmp_path):
    target = tmp_path / "fr" / "LC_MESSAGES"
    target.mkdir(parents=True)
    source = ROOT / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
    (target / "messages.po").write_bytes(source.read_bytes())
    assert compile_catalogs(tmp_path) == [target / "messages.mo"]
    assert compile_catalogs(tmp_path) == []
    later = time.time() + 10
    os.utime(target / "messages.po", (later, later))
    assert compile_catalogs(tmp_path) == [target / "messages.mo"]


def test_pages_are_translated(client):
    assert "Skip to main content" in client.get("/en/").get_data(as_text=True)
    assert "Skip to main content" not in client.get("/es/").get_data(as_text=True)


def test_the_language_links_keep_the_search_and_change_the_locale_alone(module_app):
    """Each locale's link is this page's address in it: the search kept, nothing else carried,
    a query that spells the stand-in for the locale (switch_url builds the address once) kept."""
    query = "q=__locale__+leucemia&age=5&near=28001&next=//elsewhere"
    html = module_app.test_client().get(f"/fr/?{query}").get_data(as_text=True)
    links = dict(re.findall(r'<a href="([^"]*)" lang="([^"]*)" hreflang', html))
    assert sorted(links.values()) == sorted(LOCALES)
    for link, lang in links.items():
        assert link == f"/{lang}/?q=__locale__+leucemia&amp;age=5&amp;near=28001", link
