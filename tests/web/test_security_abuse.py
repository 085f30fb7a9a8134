"""Abuse: every POST route is rate limited or says why not; bodies over the limit answer 413.

Each feature tests its own limit with its own setting, not repeated here:
contact form   test_contact_form.py::test_too_many_posts_from_one_address_get_a_localized_429
alert sign-up  test_alerts_signup.py::test_sign_ups_are_rate_limited
note creation  test_notes_api.py::test_sharing_is_rate_limited
passcodes      test_notes_views.py::test_passcode_tries_are_rate_limited (and the lock after 5)
"""

import json

import pytest

from tests.conftest import NCT
from tests.contact_support import form_data
from tests.security_support import routes
from tests.web.test_security_crosssite import stored
from trialfinder.config import DEFAULTS
from trialfinder.notes.services import BODY_LIMIT

# POST routes without a rate limit, and why a flood there does no harm.
UNLIMITED = {
    "alerts.unsubscribe": "needs a signed per-subscriber token; it only ever removes data",
    "alerts.one_click": "needs a signed per-subscriber token; it only ever removes data",
    "alerts.confirm": "needs a signed per-subscriber token that only the latest email holds; "
    "confirming twice changes nothing",
    "notes.revoke": "needs the creator's signed key for that one link; it only ever removes data",
    "leads.lead": "needs a signed per-lead staff link; an action is recorded once, the family "
    "is mailed at most once, and a forward makes the old link inert",
    "prescreen.step": "keeps an answer in the visitor's own session cookie; nothing on the server",
    "prescreen.result": "keeps the choice to share in the visitor's own session cookie",
    "prescreen.restart": "empties the visitor's own session cookie",
    "prescreen_api.prescreen": "evaluates the answers sent and stores nothing",
}
# Every per-route limit setting (RATELIMIT_CONTACT, _ALERTS, _NOTES, _PASSCODE, and any new one).
LIMITS = [
    name
    for name in DEFAULTS
    if name.startswith("RATELIMIT_") and name not in ("RATELIMIT_ENABLED", "RATELIMIT_STORAGE_URI")
]
NOTES = {"trial": NCT, "lang": "fr", "notes": [{"quote": "q", "text": "t"}]}


def send(client, method: str, path: str):
    """Post a plausible body, in French (the path's locale, or the browser's for the API)."""
    french = {"Accept-Language": "fr"}
    if path.startswith("/api/"):
        return client.open(path, method=method, json=NOTES, headers=french)
    path = path.replace("/en/", "/fr/", 1)
    return client.open(path, method=method, data=form_data(), headers=french)


def test_every_post_route_is_rate_limited_unless_harmless(make_app):
    app = make_app(RATELIMIT_ENABLED=True, **dict.fromkeys(LIMITS, "1 per minute"))
    client, limited = app.test_client(), set()
    for method, path, endpoint in routes(app, {"POST", "PUT", "PATCH", "DELETE"}):
        send(client, method, path)
        second = send(client, method, path)
        if second.status_code == 429:
            limited.add(endpoint)
            body = second.get_data(as_text=True)
            assert "Too many tries" not in body and "Please wait" not in body  # it is French
            assert '<html lang="fr"' in body or "Veuillez" in second.get_json()["error"]
    all_posts = {endpoint for _m, _p, endpoint in routes(app, {"POST"})}
    assert all_posts - limited == set(UNLIMITED)


def test_limits_are_off_with_one_setting(app, client):
    assert all(send(client, "POST", "/api/v1/notes").status_code == 201 for _ in range(12))


def big_bodies() -> list[dict]:
    size = max(DEFAULTS["MAX_CONTENT_LENGTH"], BODY_LIMIT) + 1024
    return [
        {"data": {"message": "x" * size}},
        {"data": "x" * size, "content_type": "text/plain"},
        {
            "data": json.dumps({"trial": NCT, "notes": ["x" * size]}),
            "content_type": "application/json",
        },
    ]


@pytest.mark.parametrize("csrf", [False, True], ids=["csrf-off", "csrf-on"])
def test_every_post_route_answers_413_to_a_body_over_the_limit(make_app, csrf):
    app = make_app(WTF_CSRF_ENABLED=csrf)
    client, checked = app.test_client(), 0
    for method, path, endpoint in routes(app, {"POST", "PUT", "PATCH", "DELETE"}):
        for body in big_bodies():
            response = client.open(path, method=method, **body)
            assert response.status_code == 413, (endpoint, body.get("content_type"))
            if path.startswith("/api/"):
                assert response.get_json()["error"]
            else:
                assert '<html lang="en"' in response.get_data(as_text=True)
            checked += 1
    assert checked >= 15 and stored(app) == 0
