"""French pages and emails get narrow no-break spaces; markup, URLs, code, other locales do not."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trialfinder.outbox.services import render_email
from trialfinder.web.typography import NNBSP, space_html, space_text, spaced_text

TRIAL_PAGE = "/{lang}/trials/NCT06709469/"


@pytest.mark.parametrize(
    ("typed", "rendered"),
    [
        ("Bras A : des cellules", f"Bras A{NNBSP}: des cellules"),
        ("Vraiment?", f"Vraiment{NNBSP}?"),
        ("Oui !", f"Oui{NNBSP}!"),
        ("un ; deux", f"un{NNBSP}; deux"),
        ("la page « Confidentialité »", f"la page «{NNBSP}Confidentialité{NNBSP}»"),
        ("«Confidentialité»", f"«{NNBSP}Confidentialité{NNBSP}»"),
    ],
)
def test_french_marks_get_a_narrow_no_break_space(typed, rendered):
    assert space_text(typed) == rendered


PIECES = [" ", "\u00a0", NNBSP, "a", "é", "10", ":", ";", "!", "?", "«", "»", ")", "<", "'"]
PIECES += ["https://x.org/a:b", "www.x.org?q", "&amp;", "&#39;", "\n"]


@given(st.lists(st.sampled_from(PIECES)).map("".join))
def test_a_text_without_a_mark_is_left_as_the_full_spacing_would_leave_it(text):
    # space_text skips the spacing of a text without any of ; ! ? : « » (most of a page).
    assert space_text(text) == spaced_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "https://example.org/a?b=1&c=2",
        "www.example.org/?q=x",
        "à 10:30",
        "R&amp;D et &nbsp; et &#39;",
    ],
)
def test_urls_times_and_character_references_stay_as_typed(text):
    assert space_text(text) == text


def test_only_text_nodes_and_script_messages_change_never_other_attributes_or_code():
    html = (
        '<p title="Bras A : B" data-x="a;b" data-saved="Enregistré !">Bras A : des cellules</p>'
        "<code>a ; b ?</code><pre>x : y</pre>"
        '<script>var a = b ? c : d;</script><a href="https://x.org/?q">lien</a> : fin'
        '<div lang="en">Note: <div>nested: yes</div> still English: yes</div>'
        '<input lang="en"> A : B'
    )
    assert space_html(html) == (
        f'<p title="Bras A : B" data-x="a;b" data-saved="Enregistré{NNBSP}!">'
        f"Bras A{NNBSP}: des cellules</p>"
        "<code>a ; b ?</code><pre>x : y</pre>"
        f'<script>var a = b ? c : d;</script><a href="https://x.org/?q">lien</a>{NNBSP}: fin'
        '<div lang="en">Note: <div>nested: yes</div> still English: yes</div>'
        f'<input lang="en"> A{NNBSP}: B'
    )


def test_the_french_trial_page_has_narrow_spaces_before_colons(client):
    page = client.get(TRIAL_PAGE.format(lang="fr")).get_data(as_text=True)
    assert f"Bras A{NNBSP}: des cellules CAR-T" in page
    assert f"Que teste cette étude{NNBSP}?" in page
    assert "Bras A : des" not in page
    # The official registry text is English (lang="en"): no French spacing there.
    official = page[page.index('<details class="official" lang="en"') :]
    assert NNBSP not in official[: official.index("</details>")]
    assert 'lang="fr"' in page  # attributes keep their ordinary characters
    # ...but the notes panel's messages, which its script shows as text, are spaced.
    assert f'data-count="Notes{NNBSP}: {{count}}"' in page


@pytest.mark.parametrize("lang", ["en", "es", "ca"])
def test_other_locales_are_left_alone(client, lang):
    page = client.get(TRIAL_PAGE.format(lang=lang)).get_data(as_text=True)
    assert NNBSP not in page


def test_french_emails_are_spaced_too(app):
    url = "https://trials.test/c?t=1"
    with app.test_request_context():
        _subject, text, html = render_email("alert_confirm", "fr", change=False, confirm_url=url)
        _subject, english, _html = render_email(
            "alert_confirm", "en", change=False, confirm_url=url
        )
    assert f"{NNBSP}:" in text and url in text
    assert f"{NNBSP}:" in html
    assert NNBSP not in english


def test_spacing_twice_changes_nothing():
    once = space_text("Langue : Français ! « oui » ? 10:30")
    assert space_text(once) == once


@pytest.mark.parametrize("encoding", ["gzip", "br", ""])
def test_kept_french_pages_are_spaced_in_every_encoding(client, encoding):
    """Reading pages are built once and compressed (caching.py): spaced before that, once."""
    import gzip

    import brotli

    decode = {"gzip": gzip.decompress, "br": brotli.decompress, "": bytes}[encoding]
    for _ in range(2):  # built, then served from the page store
        response = client.get("/fr/trials/NCT06709469/", headers={"Accept-Encoding": encoding})
        assert response.headers.get("Content-Encoding", "") == encoding
        page = decode(response.get_data()).decode()
        assert f"Langue{NNBSP}:" in page and f"{NNBSP}{NNBSP}" not in page
