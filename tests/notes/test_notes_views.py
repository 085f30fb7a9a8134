"""The recipient's page: passcode, notes beside passages, wrong tries, revoking, expiry, purge."""

import re
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

import pytest
from markupsafe import escape
from sqlalchemy import update

from tests.conftest import NCT, static_url
from trialfinder.extensions import db
from trialfinder.lib.clock import utcnow
from trialfinder.lib.locales import RTL_LOCALES
from trialfinder.notes.models import SharedNotes

QUOTE = "The leukaemia has come back (relapse)."
TEXT = "Ask whether we can stay near the hospital during the first month."
WRONG = "ZZZZ-ZZZZ-ZZZZ-ZZZZ"


def share(client, notes=None, lang="en") -> tuple[str, str]:
    """Share notes through the API; return the link's path and the passcode."""
    notes = notes if notes is not None else [{"quote": QUOTE, "text": TEXT}]
    answer = client.post("/api/v1/notes", json={"trial": NCT, "lang": lang, "notes": notes})
    assert answer.status_code == 201, answer.get_json()
    data = answer.get_json()
    return urlsplit(data["url"]).path, data["passcode"]


def token_of(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[1]


def alert(page: str) -> str:
    match = re.search(r'role="alert">([^<]*)<', page)
    return match.group(1) if match else ""


def set_row(app, token: str, **values) -> None:
    with app.app_context():
        db.session.execute(update(SharedNotes).where(SharedNotes.id == token).values(**values))
        db.session.commit()


def test_the_link_asks_for_the_passcode_and_shows_each_note_beside_its_passage(client, lang):
    path, passcode = share(client, lang=lang)
    assert path.startswith(f"/{lang}/notes/")
    form = client.get(path)
    assert form.status_code == 200
    page = form.get_data(as_text=True)
    assert 'name="passcode"' in page
    assert QUOTE not in page and TEXT not in page
    assert f'<html lang="{lang}" dir="{"rtl" if lang in RTL_LOCALES else "ltr"}">' in page

    shown = client.post(path, data={"passcode": passcode})
    assert shown.status_code == 200
    page = shown.get_data(as_text=True)
    note = re.search(r'<li class="shared-note">(.*?)</li>', page, re.S).group(1)
    assert re.search(rf"<blockquote[^>]*><p>{re.escape(escape(QUOTE))}</p></blockquote>", note)
    assert escape(TEXT) in note
    assert f'href="/{lang}/trials/{NCT}/"' in page
    assert shown.headers["Cache-Control"] == "no-store"


def test_notes_without_a_passage_and_several_notes_keep_their_order(client):
    notes = [{"quote": "", "text": "First question"}, {"quote": QUOTE, "text": ""}]
    path, passcode = share(client, notes=notes)
    page = client.post(path, data={"passcode": passcode}).get_data(as_text=True)
    items = re.findall(r'<li class="shared-note">(.*?)</li>', page, re.S)
    assert len(items) == 2
    assert "First question" in items[0] and "<blockquote" not in items[0]
    assert QUOTE in items[1]


def test_the_passcode_works_however_it_is_typed(client):
    path, passcode = share(client)
    typed = " " + passcode.lower().replace("-", " ").replace("0", "o") + " "
    assert client.post(path, data={"passcode": typed}).status_code == 200


def test_wrong_passcodes_slow_the_guesser_and_never_lock_out_the_right_one(app, client):
    path, passcode = share(client)
    for _try in range(4):  # the first tries cost nothing but the try
        response = client.post(path, data={"passcode": WRONG})
        assert response.status_code == 403
        page = response.get_data(as_text=True)
        assert "Wrong passcode. Please check it" in alert(page) and "<title>Error: " in page
    fifth = client.post(path, data={"passcode": WRONG})
    assert fifth.status_code == 403
    assert "Please wait 1 second, then" in alert(fifth.get_data(as_text=True))
    # The fifth wrong one opened a refusal window: nothing is tried inside it, not even the
    # right passcode, and the page says how long to wait.
    for typed in (WRONG, passcode):
        refused = client.post(path, data={"passcode": typed})
        assert refused.status_code == 429 and refused.headers["Retry-After"] == "1"
        assert "Please wait 1 second" in alert(refused.get_data(as_text=True))
        assert QUOTE not in refused.get_data(as_text=True)
    for window in (2, 4, 8, 16):  # each further wrong passcode doubles the window
        set_row(app, token_of(path), blocked_until=utcnow() - timedelta(seconds=1))
        before = utcnow()
        assert client.post(path, data={"passcode": WRONG}).status_code == 403
        after = utcnow()
        with app.app_context():
            until = db.session.get(SharedNotes, token_of(path)).blocked_until
        assert before + timedelta(seconds=window) <= until <= after + timedelta(seconds=window)
        wait = client.post(path, data={"passcode": WRONG})
        assert wait.status_code == 429 and 0 < int(wait.headers["Retry-After"]) <= window
    assert client.get(path).status_code == 200  # the link is never closed
    set_row(app, token_of(path), blocked_until=utcnow() - timedelta(seconds=1))
    assert client.post(path, data={"passcode": passcode}).status_code == 200  # after 9 wrong
    with app.app_context():
        row = db.session.get(SharedNotes, token_of(path))
        assert row.failed_attempts == 0 and row.blocked_until is None and not row.locked
    assert client.post(path, data={"passcode": WRONG}).status_code == 403  # counting restarts


def test_the_window_grows_to_a_minute_and_no_further():
    from trialfinder.notes.services import MAX_DELAY, delay_after

    assert [delay_after(n) for n in range(5)] == [0, 0, 0, 0, 0]
    assert [delay_after(n) for n in range(5, 12)] == [1, 2, 4, 8, 16, 32, 60]
    assert delay_after(10_000) == MAX_DELAY == 60


def test_parallel_guesses_take_one_try_at_a_time(app, client, live_server):
    path, passcode = share(client)
    set_row(app, token_of(path), failed_attempts=5)  # the next wrong one opens a window

    def guess(_: int) -> int:
        data = urlencode({"passcode": WRONG}).encode()
        try:
            return urlopen(Request(live_server + path, data=data), timeout=30).status
        except HTTPError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=12) as pool:
        codes = list(pool.map(guess, range(12)))
    assert codes.count(403) == 1 and codes.count(429) == 11
    with app.app_context():
        assert db.session.get(SharedNotes, token_of(path)).failed_attempts == 6
    set_row(app, token_of(path), blocked_until=utcnow() - timedelta(seconds=1))
    assert client.post(path, data={"passcode": passcode}).status_code == 200


def test_one_visitor_guessing_on_many_links_is_refused_but_right_passcodes_are_free(
    make_app,
):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_PASSCODE="3 per minute")
    client = app.test_client()
    links = [share(client) for _ in range(5)]
    for path, passcode in links:  # right passcodes never use up the visitor's allowance
        assert client.post(path, data={"passcode": passcode}).status_code == 200
    for path, _passcode in links[:3]:
        assert client.post(path, data={"passcode": WRONG}).status_code == 403
    refused = client.post(links[3][0], data={"passcode": WRONG})
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "60"
    assert "Too many tries" in refused.get_data(as_text=True)


def test_the_right_passcode_never_uses_up_a_try(app, client):
    path, passcode = share(client)
    client.post(path, data={"passcode": WRONG})
    for _ in range(6):
        assert client.post(path, data={"passcode": passcode}).status_code == 200
    with app.app_context():
        assert db.session.get(SharedNotes, token_of(path)).failed_attempts == 0


def test_the_creator_can_delete_the_notes_with_the_link_shown_once(app, client):
    answer = client.post(
        "/api/v1/notes", json={"trial": NCT, "lang": "es", "notes": [{"quote": "", "text": TEXT}]}
    )
    data = answer.get_json()
    path, passcode = urlsplit(data["url"]).path, data["passcode"]
    revoke = urlsplit(data["revoke_url"]).path
    assert revoke.startswith(path + "/revoke/")
    assert passcode not in revoke
    page = client.get(revoke)  # GET shows the button and deletes nothing
    assert page.status_code == 200 and "Borrar las notas" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    assert client.post(path, data={"passcode": passcode}).status_code == 200
    # The recipient's link is no proof: a made-up or another link's key opens nothing.
    other = urlsplit(
        client.post(
            "/api/v1/notes",
            json={"trial": NCT, "lang": "es", "notes": [{"quote": "", "text": "x"}]},
        ).get_json()["revoke_url"]
    ).path
    forged = path + "/revoke/" + other.rsplit("/", 1)[1]
    assert client.get(forged).status_code == 404 and client.post(forged).status_code == 404
    assert client.post(path + "/revoke/" + token_of(path)).status_code == 404
    done = client.post(revoke, follow_redirects=True)
    assert done.status_code == 200 and "Sus notas compartidas se han borrado" in done.get_data(True)
    assert client.get(path).status_code == 404
    assert client.post(path, data={"passcode": passcode}).status_code == 404
    assert client.get(revoke).status_code == 404
    with app.app_context():
        assert db.session.get(SharedNotes, token_of(path)) is None


@pytest.mark.parametrize("typed", ["", "1234", "ABCD-EFGH-JKMN-PQRU", "x" * 500])
def test_what_cannot_be_a_passcode_is_explained_and_costs_no_try(app, client, typed):
    path, _ = share(client)
    response = client.post(path, data={"passcode": typed})
    assert response.status_code == 400
    assert alert(response.get_data(as_text=True))
    with app.app_context():
        assert db.session.get(SharedNotes, token_of(path)).failed_attempts == 0


def test_an_unknown_link_is_a_404(client):
    assert client.get("/en/notes/nothing-here").status_code == 404
    assert client.post("/en/notes/nothing-here", data={"passcode": WRONG}).status_code == 404
    assert client.get("/en/notes/" + "a" * 300).status_code == 404
    assert client.get("/de/notes/nothing-here").status_code == 404


def test_expired_notes_are_never_shown_even_before_the_purge(app, client):
    path, passcode = share(client)
    set_row(app, token_of(path), expires_at=utcnow() - timedelta(seconds=1))
    form = client.get(path)
    assert form.status_code == 410
    assert "expired" in form.get_data(as_text=True)
    refused = client.post(path, data={"passcode": passcode})
    assert refused.status_code == 410
    assert TEXT not in refused.get_data(as_text=True)


def test_purge_deletes_expired_notes_only(app, client, runner):
    fresh, fresh_passcode = share(client)
    expired, _ = share(client)
    guessed, guessed_passcode = share(client)
    set_row(app, token_of(expired), expires_at=utcnow() - timedelta(minutes=1))
    # Locked by an older version after wrong passcodes: kept, and the right passcode opens it.
    set_row(app, token_of(guessed), locked=True, failed_attempts=5)
    result = runner.invoke(args=["notes", "purge"])
    assert result.exit_code == 0
    assert "deleted 1" in result.output
    assert client.get(expired).status_code == 404
    assert client.post(guessed, data={"passcode": guessed_passcode}).status_code == 200
    assert client.post(fresh, data={"passcode": fresh_passcode}).status_code == 200
    assert "deleted 0" in runner.invoke(args=["notes", "purge"]).output


def test_the_database_holds_no_passcode_and_no_plain_text(app, client, app_config):
    secret_quote, secret_text = "Quoted passage ZQX-31415", "Private worry ZQX-27182 ñandú"
    path, passcode = share(client, notes=[{"quote": secret_quote, "text": secret_text}])
    assert client.post(path, data={"passcode": passcode}).status_code == 200
    with app.app_context():
        db.engine.dispose()
    database = Path(app_config["DATABASE_URL"].removeprefix("sqlite:///"))
    with sqlite3.connect(database) as connection:
        dump = "\n".join(connection.iterdump())
        stored = connection.execute("SELECT salt, nonce, ciphertext FROM shared_notes").fetchall()
    assert len(stored) == 1
    raw = b"".join(p.read_bytes() for p in database.parent.glob(database.name + "*"))
    compact = passcode.replace("-", "")
    for secret in (secret_quote, secret_text, "ZQX", passcode, compact):
        assert secret not in dump
        assert secret.encode() not in raw
        assert secret.encode() not in b"".join(stored[0])


XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    "</blockquote><iframe src=//evil.example>",
    "\u202egnp.exe",
]


@pytest.mark.parametrize("payload", XSS)
def test_notes_are_escaped_on_the_recipient_page(client, payload):
    path, passcode = share(client, notes=[{"quote": payload, "text": payload}])
    page = client.post(path, data={"passcode": passcode}).get_data(as_text=True)
    main = page[page.index("<main") : page.index("</main>")]
    assert main.count(str(escape(payload))) == 2
    for raw in ("<script>alert", "<img src=x", "<svg", "<iframe"):
        assert raw not in main


def test_the_passcode_form_needs_its_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    token = client.get("/api/v1/csrf").get_json()["csrf_token"]
    answer = client.post(
        "/api/v1/notes",
        json={"trial": NCT, "lang": "en", "notes": [{"quote": QUOTE, "text": TEXT}]},
        headers={"X-CSRFToken": token},
    ).get_json()
    path = urlsplit(answer["url"]).path
    assert client.post(path, data={"passcode": answer["passcode"]}).status_code == 400
    form = client.get(path).get_data(as_text=True)
    form_token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    shown = client.post(path, data={"passcode": answer["passcode"], "csrf_token": form_token})
    assert shown.status_code == 200 and TEXT in shown.get_data(as_text=True)


def test_passcode_tries_are_rate_limited(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_PASSCODE="3 per minute")
    client = app.test_client()
    path, passcode = share(client)
    codes = [client.post(path, data={"passcode": WRONG}).status_code for _ in range(3)]
    assert codes == [403, 403, 403]
    assert client.post(path, data={"passcode": passcode}).status_code == 429
    assert client.get(path).status_code == 200  # reading the form costs nothing


def test_trial_pages_carry_the_notes_only_as_an_inert_template(app, client):
    for path in (f"/en/trials/{NCT}/", f"/en/trials/{NCT}/faq"):
        page = client.get(path).get_data(as_text=True)
        assert f'<script src="{static_url(app, "js/notes.js")}" defer></script>' in page
        body = page[page.index("<body") :]
        assert "notes-toggle" not in body, "the notes must not appear without JavaScript"
        template = page[page.index('<template id="notes-ui"') : page.index("</head>")]
        assert 'data-trial="NCT06709469"' in template and "Add a note" in template
    assert "js/notes" not in client.get("/en/").get_data(as_text=True)
