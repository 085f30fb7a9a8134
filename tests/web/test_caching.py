"""Reading pages the same for everyone: no cookie, public, ETag and 304; rebuilt on change."""

import gzip
import json
import re
import shutil
import subprocess
import sys
import time

import pytest

from tests.conftest import NCT, ROOT
from tests.databases import app_environment
from trialfinder.web import content_version

READING_PAGES = [
    "/{lang}/",
    "/{lang}/?q=leukemia&age=12",
    f"/{{lang}}/trials/{NCT}/",
    f"/{{lang}}/trials/{NCT}/faq",
    "/{lang}/privacy",
    "/{lang}/accessibility",
    "/sitemap.xml",
]
FORM_PAGES = [
    f"/{{lang}}/trials/{NCT}/contact",
    f"/{{lang}}/trials/{NCT}/prescreen",
    "/{lang}/alerts?interest=leukemia",
]
RECORD = ROOT / "content" / "trials" / NCT / "record.json"
POLL_SECONDS = 10  # the promise: a change is served within this time


@pytest.mark.parametrize("lang", ["es", "en", "ar"])
@pytest.mark.parametrize("path", READING_PAGES)
@pytest.mark.parametrize("encoding", ["", "gzip", "gzip, br"])
def test_reading_pages_are_public_and_revalidate(client, lang, path, encoding):
    headers = {"Accept-Encoding": encoding} if encoding else {}
    first = client.get(path.format(lang=lang), headers=headers)
    assert first.status_code == 200
    assert "Set-Cookie" not in first.headers
    assert re.fullmatch(
        r"public, max-age=300, stale-while-revalidate=\d+", first.headers["Cache-Control"]
    )
    assert first.headers["Vary"] == "Accept-Encoding"
    etag = first.headers["ETag"]
    assert not etag.startswith("W/")
    again = client.get(path.format(lang=lang), headers=headers | {"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    assert "Set-Cookie" not in again.headers


@pytest.mark.parametrize("encoding", ["", "gzip", "br"])
def test_a_kept_page_is_answered_exactly_as_flask_answered_it(client, encoding):
    # The second answer comes from replay.py, before Flask: same bytes, same headers.
    headers = {"Accept-Encoding": encoding}
    built, kept = (client.get(f"/ar/trials/{NCT}/faq", headers=headers) for _ in range(2))
    assert kept.data == built.data
    assert sorted(kept.headers.items()) == sorted(built.headers.items())
    head = client.head(f"/ar/trials/{NCT}/faq", headers=headers)
    assert head.data == b"" and head.headers["Content-Length"] == built.headers["Content-Length"]


def test_each_encoding_has_its_own_etag(client):
    tags = {
        client.get(f"/en/trials/{NCT}/", headers={"Accept-Encoding": accept}).headers["ETag"]
        for accept in ("", "gzip", "br")
    }
    assert len(tags) == 3


def test_a_visitor_with_answers_still_gets_the_public_page(client):
    client.get(f"/en/trials/{NCT}/prescreen")
    answered = client.get(f"/en/trials/{NCT}/")
    stranger = client.application.test_client().get(f"/en/trials/{NCT}/")
    assert "Set-Cookie" not in answered.headers
    assert answered.headers["Cache-Control"].startswith("public")
    assert answered.data == stranger.data


def test_the_token_endpoint_is_never_stored_and_gives_the_cookie(client):
    response = client.get("/api/v1/csrf")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.get_json()["csrf_token"]
    assert "session=" in response.headers["Set-Cookie"]


@pytest.fixture
def csrf_app(make_app):
    return make_app(WTF_CSRF_ENABLED=True)


@pytest.mark.parametrize("path", FORM_PAGES)
@pytest.mark.parametrize("encoding", ["", "gzip"])
def test_form_pages_are_private_with_a_token_for_each_visitor(csrf_app, path, encoding):
    tokens = []
    for _visitor in range(2):
        client = csrf_app.test_client()
        response = client.get(path.format(lang="ar"), headers={"Accept-Encoding": encoding})
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "private, no-store"
        assert "ETag" not in response.headers
        body = response.data
        if encoding:  # compressed around the token: still one valid gzip stream
            assert response.headers["Content-Encoding"] == "gzip"
            body = gzip.decompress(body)
        body = body.decode()
        assert body.rstrip().endswith("</html>")
        assert "placeholder" not in body
        tokens += re.findall(r'name="csrf_token" type="hidden" value="([^"]+)"', body)
    assert len(tokens) == 2 and tokens[0] != tokens[1]


def test_a_result_built_from_answers_is_never_stored(client):
    step = client.get(f"/en/trials/{NCT}/prescreen").get_data(as_text=True)
    action = re.search(r'<form[^>]+action="([^"]+)"', step).group(1)
    client.post(action, data={"answer": "12"})  # the first question: the age
    result = client.get(f"/en/trials/{NCT}/prescreen/result")
    assert result.status_code == 200
    assert result.headers["Cache-Control"] == "private, no-store"


def test_the_token_inserted_in_a_built_form_is_accepted(csrf_app):
    client = csrf_app.test_client()
    path = f"/en/trials/{NCT}/prescreen"
    client.get(path)  # built for an earlier visitor
    client = csrf_app.test_client()
    body = client.get(path).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', body).group(1)
    action = re.search(r'<form[^>]+action="([^"]+)"', body).group(1)
    refused = client.post(action, data={"answer": "yes"})
    accepted = client.post(action, data={"answer": "yes", "csrf_token": token})
    assert refused.status_code == 400
    assert accepted.status_code in (302, 200)
    assert "security" not in accepted.get_data(as_text=True).lower()


# ---- hosts and transport -------------------------------------------------------------------

FORGED = "forged.example"


@pytest.mark.parametrize(
    "path", ["/", "/es/", f"/en/trials/{NCT}/", "/sitemap.xml", "/robots.txt", "/es/nothing"]
)
def test_a_forged_host_is_refused_and_never_echoed(client, path):
    response = client.get(path, headers={"Host": FORGED})
    assert response.status_code == 400
    assert FORGED not in response.get_data(as_text=True)
    assert "Location" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_a_forged_host_is_refused_for_a_kept_page_too(client):
    assert client.get("/es/privacy").status_code == 200  # now kept
    response = client.get("/es/privacy", headers={"Host": FORGED})
    assert response.status_code == 400
    assert FORGED not in response.get_data(as_text=True)


def test_only_the_configured_hosts_are_served(make_app):
    app = make_app(TRUSTED_HOSTS="trials.example.org, www.trials.example.org")
    client = app.test_client()
    assert client.get("/es/", base_url="https://www.trials.example.org").status_code == 200
    assert client.get("/es/", base_url="http://example.org").status_code == 400


def test_the_base_url_host_is_served_outside_debug(make_app):
    production = {"TESTING": False, "LEAD_EMAIL_OVERRIDE": "coordinator@hospital.test"}
    app = make_app(**production, BASE_URL="https://trials.example.org")
    client = app.test_client()
    assert client.get("/es/", base_url="https://trials.example.org").status_code == 200
    assert client.get("/es/", base_url="http://localhost").status_code == 400


def test_hsts_only_when_the_site_is_https(make_app, client):
    assert "Strict-Transport-Security" not in client.get("/es/").headers
    secure = make_app(BASE_URL="https://trials.example.org", TRUSTED_HOSTS="localhost")
    hsts = secure.test_client().get("/es/").headers["Strict-Transport-Security"]
    assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 31_536_000


# ---- invalidation --------------------------------------------------------------------------


def retitled_record(tmp_path, title: str):
    record = json.loads(RECORD.read_text(encoding="utf-8"))
    record["protocolSection"]["identificationModule"]["briefTitle"] = title
    path = tmp_path / "retitled.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    return path


def served_within(client, path: str, text: str) -> bool:
    """Poll a page until it shows a text, for at most POLL_SECONDS."""
    deadline = time.monotonic() + POLL_SECONDS
    while time.monotonic() < deadline:
        if text in client.get(path).get_data(as_text=True):
            return True
        time.sleep(0.2)
    return False


@pytest.mark.databases  # a second machine shares PostgreSQL: the version lives in the database
def test_a_reimport_in_another_process_is_served_within_10_seconds(client, database_url, tmp_path):
    page = f"/en/trials/{NCT}/"
    before = client.get(page)
    assert "Retitled by a second process" not in before.get_data(as_text=True)
    record = retitled_record(tmp_path, "Retitled by a second process")
    command = [sys.executable, "-m", "flask", "--app", "trialfinder", "trials", "import"]
    done = subprocess.run(
        [*command, str(record)],
        env=app_environment(database_url),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "changed" in done.stdout
    assert served_within(client, page, "Retitled by a second process")
    assert client.get(page, headers={"If-None-Match": before.headers["ETag"]}).status_code == 200


def test_a_reimport_in_this_process_is_served_at_once(app, client, tmp_path):
    from trialfinder.trials import services

    page = f"/en/trials/{NCT}/"
    client.get(page)
    with app.app_context():
        services.import_file(retitled_record(tmp_path, "Retitled here"))
    assert "Retitled here" in client.get(page).get_data(as_text=True)


@pytest.mark.databases
@pytest.mark.parametrize("command", [["search", "reindex"], ["trials", "reindex"]])
def test_reindex_counts_as_a_change(app, runner, command):
    with app.app_context():
        before = content_version.read()
    result = runner.invoke(args=command)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("indexed ")
    with app.app_context():
        assert content_version.read() != before


def test_an_edited_content_file_is_served_within_10_seconds(make_app, tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    app = make_app(CONTENT_DIR=str(tmp_path / "content"))
    client = app.test_client()
    page = f"/en/trials/{NCT}/faq"
    assert "An edited title" not in client.get(page).get_data(as_text=True)
    english = tmp_path / "content" / "trials" / NCT / "en.yaml"
    text = english.read_text(encoding="utf-8")
    english.write_text(re.sub(r"(?m)^title: .*$", 'title: "An edited title"', text, count=1))
    assert served_within(client, page, "An edited title")
