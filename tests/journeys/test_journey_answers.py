"""Questionnaire answers never readable in the cookie; the share choice and the answers carry on.

Anyone holding the session cookie (a shared computer, a proxy log) can base64-decode a Flask
session: the answers are sealed in it instead, and what the questionnaire asked is not asked again.
"""

import base64
import json
import re
import time
import zlib

import pytest

from tests.conftest import NCT, translate
from tests.contact_support import EMAIL, FIRST, MESSAGE, bodies, contact_url, form_data, leads, post
from tests.prescreen.test_prescreen_engine import passing_answers
from tests.prescreen.test_prescreen_pages import RESULT, START, walk
from tests.prescreen_support import put_state, read_state
from trialfinder.prescreen.services import STATE_KEY, STATE_MAX_AGE

LA_PAZ = "lapaz-coordinator@example.org"


def cookie_as_read_by_anyone(client) -> str:
    """Decode the session cookie without the key, as anyone holding it can."""
    value = client.get_cookie("session").value
    compressed = value.startswith(".")
    payload = value.lstrip(".").split(".")[0]
    data = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    return (zlib.decompress(data) if compressed else data).decode()


def test_the_cookie_shows_no_answer_and_no_question(client, app):
    answers = passing_answers() | {"disease_status": "relapsed"}
    walk(client, answers)
    assert client.post(RESULT, data={"share": "y"}).status_code == 302
    readable = cookie_as_read_by_anyone(client)
    session = json.loads(readable)
    assert isinstance(session[STATE_KEY], str)
    assert set(session) <= {STATE_KEY, "csrf_token"}, session
    sealed = base64.urlsafe_b64decode(session[STATE_KEY])  # a Fernet token: version, time, ...
    for secret in [*answers, *map(str, answers.values()), NCT, "prescreen_shared"]:
        # As JSON would write it anywhere in the cookie (quotes are not base64).
        assert f'"{secret}"' not in readable and f": {secret}," not in readable, secret
        assert secret.encode() not in sealed or len(secret) < 4, secret  # nothing in clear
        if len(secret) >= 6:
            assert secret not in readable, secret
    # The site itself still reads them: the result and the shared copy are there.
    assert read_state(client, app)["answers"][NCT] == answers
    assert read_state(client, app)["shared"][NCT] == answers
    assert "This study may fit" in client.get(RESULT).get_data(as_text=True)


@pytest.mark.parametrize(
    "spoil",
    [
        lambda token: token[:-6] + ("AAAAAA" if not token.endswith("AAAAAA") else "BBBBBB"),
        lambda token: token[:40],
        lambda token: "not a sealed value",
        lambda token: {NCT: passing_answers()},  # the old, readable format
        lambda token: 12,
    ],
    ids=["altered", "cut", "garbage", "old-format", "number"],
)
def test_altered_answers_count_as_no_answers(client, app, spoil):
    put_state(client, app, passing_answers(), shared=passing_answers())
    with client.session_transaction() as session:
        session[STATE_KEY] = spoil(session[STATE_KEY])
    assert client.get(RESULT).headers["Location"] == START
    start = client.get(START)
    assert start.status_code == 200 and "checked" not in start.get_data(as_text=True)
    form = client.get(contact_url("en")).get_data(as_text=True)
    assert 'name="share_prescreen"' not in form


def test_answers_left_for_hours_are_forgotten(client, app):
    put_state(client, app, passing_answers(), at=time.time() - STATE_MAX_AGE - 60)
    assert client.get(RESULT).headers["Location"] == START
    put_state(client, app, passing_answers(), at=time.time() - STATE_MAX_AGE + 600)
    assert client.get(RESULT).status_code == 200


def test_answers_sealed_with_another_key_are_not_opened(client, make_app):
    other = make_app(SECRET_KEY="another-site-secret")
    put_state(client, other, passing_answers())
    assert client.get(RESULT).headers["Location"] == START


def test_the_share_choice_is_ticked_on_the_form_and_reaches_the_staff(client, app, smtp):
    answers = passing_answers()
    walk(client, answers)
    client.post(RESULT, data={"share": "y"})
    form = client.get(contact_url("en")).get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*name="share_prescreen"', form)
    # The ticked box is posted as a browser would post it.
    post(client, "en", share_prescreen="y")
    staff_text, _html = bodies(smtp.to(LA_PAZ)[0])
    # La Paz staff read Spanish: the answers are there, worded for a clinician.
    assert translate(app, "es", "B-cell ALL (B-ALL)") in staff_text
    assert translate(app, "es", "How old is the patient?") in staff_text
    assert leads(app)[0].prescreen == answers
    family_text, family_html = bodies(smtp.to(EMAIL)[0])
    assert "B-ALL" not in family_text + family_html


def test_unticking_on_the_form_sends_no_answers(client, app, smtp):
    walk(client, passing_answers())
    client.post(RESULT, data={"share": "y"})
    post(client, "en")  # the visitor unticked the box
    assert "B-ALL" not in "".join(bodies(smtp.to(LA_PAZ)[0]))
    assert leads(app)[0].prescreen is None


@pytest.mark.parametrize("respondent", ["self", "child", "other", "clinician"])
def test_the_form_knows_who_is_asking_from_the_questionnaire(client, app, respondent):
    put_state(client, app, passing_answers() | {"respondent": respondent})
    form = client.get(contact_url("es")).get_data(as_text=True)
    checked = re.findall(r'<input[^>]*checked[^>]*name="respondent"[^>]*value="(\w+)"', form)
    checked += re.findall(r'<input[^>]*name="respondent"[^>]*value="(\w+)"[^>]*checked', form)
    assert checked == [respondent]


def test_without_answers_nobody_is_ticked(client):
    form = client.get(contact_url("es")).get_data(as_text=True)
    assert not re.search(r'name="respondent"[^>]*checked|checked[^>]*name="respondent"', form)


def test_switching_language_keeps_what_was_typed_and_sends_nothing(client, app, smtp):
    page = client.get(contact_url("es")).get_data(as_text=True)
    assert re.search(r'<button[^>]*form="contact-form"[^>]*formaction="/ar/trials/', page)
    data = form_data(switch_language="ar", consent=None)
    response = client.post(contact_url("ar"), data=data)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in body
    assert f'value="{FIRST}"' in body and f'value="{EMAIL}"' in body
    assert MESSAGE in body.replace("&#39;", "'")
    assert 'class="error-summary"' not in body  # nothing was checked yet
    assert leads(app) == [] and smtp.messages == []
    # Then sent from the Arabic page, as usual.
    assert post(client, "ar").status_code == 303
    assert len(leads(app)) == 1


def test_switching_language_does_not_use_up_the_sending_limit(make_app, smtp):
    """A family that changes language a few times can still send: a switch is not counted."""
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_CONTACT="2 per minute")
    client = app.test_client()
    for lang in ["ar", "fr", "es", "ar", "ro"]:
        data = form_data(switch_language=lang)
        assert client.post(contact_url(lang), data=data).status_code == 200
    assert post(client, "es").status_code == 303
    assert post(client, "es").status_code == 303
    assert post(client, "es").status_code == 429
