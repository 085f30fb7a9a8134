"""POST /api/v1/notes: the contract, its limits, CSRF, other sites and the rate limit."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import NCT
from trialfinder.notes.services import MAX_NOTES, MAX_QUOTE, MAX_TEXT

API = "/api/v1/notes"
NOTE = {"quote": "The leukaemia has come back", "text": "Ask how often we would travel"}


def body(**overrides) -> dict:
    return {"trial": NCT, "lang": "en", "notes": [NOTE]} | overrides


def test_created_notes_answer_a_link_a_passcode_and_an_expiry(client):
    response = client.post(API, json=body(lang="ar"))
    assert response.status_code == 201
    answer = response.get_json()
    assert set(answer) == {"url", "passcode", "expires_at", "revoke_url"}
    assert re.fullmatch(r"http://127\.0\.0\.1:5000/ar/notes/[A-Za-z0-9_-]{32}", answer["url"])
    # The creator's own link to delete them: the recipient's link plus a signed key.
    assert answer["revoke_url"].startswith(answer["url"] + "/revoke/")
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", answer["passcode"])
    expires = datetime.fromisoformat(answer["expires_at"])
    assert expires.tzinfo is not None and answer["expires_at"].endswith("Z")
    assert abs(expires - (datetime.now(UTC) + timedelta(days=7))) < timedelta(minutes=1)
    assert response.headers["Cache-Control"] == "no-store"


def test_each_share_has_its_own_link_and_passcode(client):
    first, second = (client.post(API, json=body()).get_json() for _ in range(2))
    assert first["url"] != second["url"] and first["passcode"] != second["passcode"]


def test_the_link_uses_the_public_address(make_app):
    app = make_app(BASE_URL="https://trials.example.org/")
    answer = app.test_client().post(API, json=body()).get_json()
    assert answer["url"].startswith("https://trials.example.org/en/notes/")


def test_the_largest_allowed_notes_are_accepted_even_in_arabic(client):
    note = {"quote": "ب" * MAX_QUOTE, "text": "ج" * MAX_TEXT}
    response = client.post(API, json=body(notes=[note] * MAX_NOTES))
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("payload", "field", "words"),
    [
        (body(trial="NCT00000000"), "trial", "trial"),
        (body(trial="../../etc/passwd"), "trial", "trial"),
        (body(trial=12), "trial", "trial"),
        (body(lang="de"), "lang", "language"),
        (body(lang=["en"]), "lang", "language"),
        (body(notes="my note"), "notes", "list"),
        (body(notes=[]), "notes", "no note"),
        (body(notes=[NOTE] * (MAX_NOTES + 1)), "notes", "at most 50 notes"),
        (body(notes=[{"quote": "x" * (MAX_QUOTE + 1), "text": ""}]), "notes[0].quote", "1,000"),
        (body(notes=[NOTE, {"quote": "", "text": "x" * (MAX_TEXT + 1)}]), "notes[1].text", "2,000"),
        (body(notes=[NOTE, "text"]), "notes[1]", "text"),
        (body(notes=[{"quote": 1, "text": "x"}]), "notes[0].quote", "text"),
        (body(notes=[{"quote": " ", "text": "\x00\n"}]), "notes[0]", "empty"),
        ([NOTE], None, "JSON object"),
        ("notes", None, "JSON object"),
        (None, None, "JSON object"),
    ],
)
def test_what_breaks_the_contract_is_a_400_saying_what_and_where(client, payload, field, words):
    # Without a valid "lang" in the body, the answer follows the browser's language.
    response = client.post(API, json=payload, headers={"Accept-Language": "en"})
    assert response.status_code == 400
    answer = response.get_json()
    assert answer["field"] == field
    assert words in answer["error"]


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ("{not json", "application/json"),
        (
            '{"trial": "NCT06709469", "lang": "en", "notes": [{"quote": "\\ud800", "text": "x"}]}',
            "application/json",
        ),
        ("trial=NCT06709469&lang=en", "application/x-www-form-urlencoded"),
        (b"\xff\xfe\x00", "application/json"),
    ],
)
def test_malformed_bodies_are_a_400_never_a_crash(client, data, content_type):
    response = client.post(API, data=data, content_type=content_type)
    assert response.status_code == 400
    assert response.get_json()["error"]


def test_a_body_beyond_any_allowed_notes_is_a_413(client):
    huge = json.dumps(body(notes=[{"quote": "x" * 2_000_000, "text": ""}]))
    response = client.post(API, data=huge, content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["error"]


def test_only_post_is_offered(client):
    assert client.get(API).status_code == 405


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    payload=st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(
                st.sampled_from(["trial", "lang", "notes", "quote", "text"]), children
            )
        ),
        max_leaves=12,
    )
)
def test_random_json_is_answered_201_or_400(client, payload):
    assert client.post(API, json=payload).status_code in (201, 400)


# ---- requests from other sites ----------------------------------------------------------------


@pytest.mark.parametrize(
    "origin", ["https://evil.example", "null", "http://127.0.0.1:5000.evil.example"]
)
def test_a_request_from_another_site_is_refused(client, origin):
    response = client.post(API, json=body(), headers={"Origin": origin})
    assert response.status_code == 403
    assert response.get_json()["error"]


@pytest.mark.parametrize("origin", ["http://localhost", "http://127.0.0.1:5000"])
def test_a_request_from_this_site_is_accepted(client, origin):
    assert client.post(API, json=body(), headers={"Origin": origin}).status_code == 201


@pytest.fixture
def csrf_client(make_app):
    return make_app(WTF_CSRF_ENABLED=True).test_client()


def page_token(client) -> str:
    """Return the token the notes panel asks for when it opens (the page itself has none)."""
    assert "csrf_token" not in client.get(f"/en/trials/{NCT}/").get_data(as_text=True)
    return client.get("/api/v1/csrf").get_json()["csrf_token"]


def test_the_csrf_token_of_the_page_is_required(csrf_client):
    refused = csrf_client.post(API, json=body(), headers={"Accept-Language": "en"})
    assert refused.status_code == 400
    assert "security token" in refused.get_json()["error"]
    wrong = csrf_client.post(API, json=body(), headers={"X-CSRFToken": "forged"})
    assert wrong.status_code == 400
    token = page_token(csrf_client)
    assert csrf_client.post(API, json=body(), headers={"X-CSRFToken": token}).status_code == 201


def test_long_notes_pass_the_csrf_check_too(csrf_client):
    # The CSRF check reads the body before the view: the notes' larger limit applies there too.
    note = {"quote": "ب" * MAX_QUOTE, "text": "ج" * MAX_TEXT}
    headers = {"X-CSRFToken": page_token(csrf_client)}
    response = csrf_client.post(API, json=body(notes=[note] * MAX_NOTES), headers=headers)
    assert response.status_code == 201


def test_another_site_is_refused_even_with_a_valid_token(csrf_client):
    token = page_token(csrf_client)
    headers = {"X-CSRFToken": token, "Origin": "https://evil.example"}
    assert csrf_client.post(API, json=body(), headers=headers).status_code == 403


# ---- rate limit ----------------------------------------------------------------------------


def test_sharing_is_rate_limited(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_NOTES="2 per minute")
    client = app.test_client()
    assert [client.post(API, json=body()).status_code for _ in range(3)] == [201, 201, 429]
    assert client.post(API, json=body()).get_json()["error"]
