"""Production serving: hashed static names cached for a year, gzip, and what may be cached."""

import gzip
import re
import shutil

import brotli
import pytest

from tests.conftest import NCT, ROOT

YEAR = "public, max-age=31536000, immutable"
CSS_PARTS = ("tokens.css", "site.css", "contact.css")
PAGES = ["/{lang}/", f"/{{lang}}/trials/{NCT}/", f"/{{lang}}/trials/{NCT}/faq", "/{lang}/privacy"]


def stylesheet(client) -> str:
    """Return the address of the one stylesheet the pages link (assets.BUNDLES)."""
    body = client.get("/es/").get_data(as_text=True)
    (url,) = re.findall(r'<link rel="stylesheet" href="([^"]+)"', body)
    return url


def test_static_files_have_hashed_names_and_are_kept_a_year(client):
    url = stylesheet(client)
    assert re.fullmatch(r"/static/css/main\.[0-9a-f]{12}\.css", url)
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == YEAR
    parts = [(ROOT / "static" / "css" / name).read_bytes() for name in CSS_PARTS]
    assert response.data == b"\n".join(parts)  # the tokens first: every rule after uses them
    script = re.search(r'<script src="([^"]+)"', client.get(f"/es/trials/{NCT}/").text).group(1)
    assert re.fullmatch(r"/static/js/notes\.[0-9a-f]{12}\.js", script)
    assert client.get(script).headers["Cache-Control"] == YEAR


@pytest.mark.parametrize(
    "url",
    ["/static/css/site.css", "/static/css/site.0123456789ab.css", "/static/css/main.css"],
)
def test_unhashed_or_outdated_names_are_served_but_revalidated(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"


@pytest.mark.parametrize(
    "url",
    ["/static/css/nothing.0123456789ab.css", "/static/css/", "/static/%2e%2e/pyproject.toml"],
)
def test_a_missing_static_file_is_a_404_that_is_not_kept(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("part", CSS_PARTS)
def test_a_changed_file_gets_a_new_name(app, client, tmp_path, part):
    shutil.copytree(ROOT / "static", tmp_path / "static")
    app.static_folder = str(tmp_path / "static")
    app.config["CONTENT_CHECK_SECONDS"] = 0  # pages built with the old name are not served
    before = stylesheet(client)
    with (tmp_path / "static" / "css" / part).open("a") as css:
        css.write("\n/* changed */\n")
    after = stylesheet(client)
    assert before != after
    assert client.get(after).headers["Cache-Control"] == YEAR
    assert client.get(after).data.count(b"/* changed */") == 1
    assert client.get(before).headers["Cache-Control"] == "no-cache"


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize(("accept", "encoding"), [("gzip", "gzip"), ("gzip, br", "br")])
def test_pages_are_compressed_for_browsers_that_ask(client, path, accept, encoding):
    plain = client.get(path.format(lang="ar"))
    packed = client.get(path.format(lang="ar"), headers={"Accept-Encoding": accept})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert len(packed.data) < len(plain.data) / 2
    unpack = gzip.decompress if encoding == "gzip" else brotli.decompress
    unpacked = unpack(packed.data)
    assert unpacked == plain.data
    assert unpacked.decode().count("<main") == 1


def test_stylesheet_is_gzipped_too(client):
    response = client.get(stylesheet(client), headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Cache-Control"] == YEAR


@pytest.mark.parametrize("path", PAGES)
def test_reading_pages_carry_no_token_and_may_be_shared(client, lang, path):
    response = client.get(path.format(lang=lang), headers={"Accept-Encoding": "gzip"})
    assert b'name="csrf' not in gzip.decompress(response.data)
    assert response.headers["Cache-Control"].startswith("public, max-age=300")
    assert response.headers["ETag"]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/es/nothing-here", 404), ("GET", "/de/", 404), ("POST", "/es/", 405)],
)
def test_errors_and_posts_are_never_stored(client, method, path, status):
    response = client.open(path, method=method)
    assert response.status_code == status
    assert response.headers["Cache-Control"] == "no-store"
    assert "ETag" not in response.headers


@pytest.mark.parametrize("path", ["/sitemap.xml", "/robots.txt"])
@pytest.mark.parametrize("encoding", ["", "gzip"])
def test_public_files_are_cached_briefly_and_revalidated(client, path, encoding):
    headers = {"Accept-Encoding": encoding} if encoding else {}
    first = client.get(path, headers=headers)
    assert first.headers["Cache-Control"].startswith("public, max-age=300")
    assert "Set-Cookie" not in first.headers
    again = client.get(path, headers=headers | {"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""


@pytest.mark.parametrize(
    ("name", "hashed"),
    [
        ("css/site.css", "css/site.0123456789ab.css"),
        ("js/prescreen.step.js", "js/prescreen.step.0123456789ab.js"),
        ("LICENSE", "LICENSE"),
    ],
)
def test_hashed_names_round_trip(name, hashed):
    from trialfinder.web.assets import hashed_name, original_name

    assert hashed_name(name, "0123456789ab") == hashed
    assert original_name(hashed) == (name, "0123456789ab" if hashed != name else None)


def test_alternate_languages_are_full_addresses(client):
    body = client.get(f"/fr/trials/{NCT}/").get_data(as_text=True)
    assert f'hreflang="ar" href="http://127.0.0.1:5000/ar/trials/{NCT}/"' in body
    assert 'hreflang="x-default" href="http://127.0.0.1:5000/es/' in body
