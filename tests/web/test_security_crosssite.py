"""Cross-site requests and redirects: CSRF on every state-changing route, Origin on the JSON
API, and every redirect and language link staying on this site."""

import re
from urllib.parse import urlsplit

import pytest

from tests.conftest import NCT
from tests.contact_support import form_data
from tests.security_support import STATE_CHANGING, count, routes
from trialfinder.alerts.models import Subscriber
from trialfinder.leads.models import Lead
from trialfinder.lib.locales import LOCALES
from trialfinder.notes.models import SharedNotes
from trialfinder.outbox.models import OutboxMessage

# Routes that take a state-changing method without a CSRF token, and why that is safe.
CSRF_EXEMPT = {
    "alerts.one_click": (
        "RFC 8058 one-click unsubscribe: mail apps POST with no form and no cookie; the signed, "
        "per-subscriber token in the URL is the proof, and it can only remove that subscription"
    ),
    "prescreen_api.prescreen": (
        "the pre-screen JSON API for partner sites evaluates the answers it is sent and stores "
        "nothing, in the database or in the session"
    ),
}
# JSON endpoints that take a POST but store and send nothing, so another site's page gains
# nothing by calling them (they may answer any Origin).
NO_SIDE_EFFECTS = {"prescreen_api.prescreen": CSRF_EXEMPT["prescreen_api.prescreen"]}
CSRF_PAGE, CSRF_JSON = "Please send the form again", "security token is missing"
EVIL = [
    "//evil.example",
    "https://evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "%2F%2Fevil.example",
    "https:%2F%2Fevil.example",
    "/%5Cevil.example",
    "http:/\\/\\evil.example",
    "\t//evil.example",
    "javascript:alert(1)",
]


def stored(app) -> int:
    return sum(count(app, model) for model in (Lead, Subscriber, SharedNotes, OutboxMessage))


def is_csrf_refusal(response) -> bool:
    return response.status_code == 400 and (
        CSRF_PAGE in response.get_data(as_text=True)
        or CSRF_JSON in ((response.get_json(silent=True) or {}).get("error") or "")
    )


def attempts(client, method: str, path: str) -> list:
    """Send a form and a JSON body, without a token and with a forged one."""
    forged = {"X-CSRFToken": "forged", "Accept-Language": "en"}
    notes = {"trial": NCT, "lang": "en", "notes": [{"quote": "q", "text": "t"}]}
    return [
        client.open(path, method=method, data=form_data(), headers={"Accept-Language": "en"}),
        client.open(path, method=method, data=form_data(csrf_token="forged"), headers=forged),
        client.open(path, method=method, json=notes, headers=forged),
    ]


def test_every_state_changing_route_refuses_a_missing_or_forged_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    unprotected = set()
    for method, path, endpoint in routes(app, STATE_CHANGING):
        answers = attempts(client, method, path)
        if not all(is_csrf_refusal(answer) for answer in answers):
            unprotected.add(endpoint)
    assert unprotected == set(CSRF_EXEMPT)
    assert stored(app) == 0


def test_the_exempt_one_click_unsubscribe_still_needs_its_signed_token(make_app):
    # With a genuine token it works without CSRF: test_alerts_cycle.py tests that.
    app = make_app(WTF_CSRF_ENABLED=True)
    response = app.test_client().post("/en/alerts/unsubscribe/forged-token/one-click")
    assert response.status_code == 400 and not is_csrf_refusal(response)


def test_json_endpoints_with_side_effects_refuse_another_sites_origin(app, client):
    posted = 0
    for method, path, endpoint in routes(app, STATE_CHANGING):
        if not path.startswith("/api/") or endpoint in NO_SIDE_EFFECTS:
            continue
        body = {"trial": NCT, "lang": "en", "notes": [{"quote": "q", "text": "t"}]}
        for origin in ("https://evil.example", "null", "http://localhost.evil.example"):
            response = client.open(path, method=method, json=body, headers={"Origin": origin})
            assert response.status_code == 403, (path, origin)
            assert response.get_json()["error"]
            posted += 1
    assert posted and stored(app) == 0


def on_this_site(location: str | None) -> bool:
    if location is None:
        return True
    parts = urlsplit(location.strip())
    return parts.netloc in ("", "localhost") and parts.scheme in ("", "http")


@pytest.mark.parametrize("evil", EVIL)
def test_paths_that_look_like_other_sites_never_redirect_there(client, evil):
    for path in (f"/{evil}", f"/{evil}/", f"/{evil}/en/", f"/en/{evil}", f"/en/trials/{evil}"):
        response = client.get("/", environ_overrides={"PATH_INFO": path})
        assert response.status_code < 500
        assert on_this_site(response.headers.get("Location")), (path, response.headers)


def links(html: str) -> list[str]:
    return re.findall(r'(?:href|src|action)="([^"]*)"', html)


def test_next_style_parameters_and_the_language_switcher_stay_on_this_site(app, client):
    public = app.config["BASE_URL"].rstrip("/") + "/"
    checked = 0
    for evil in EVIL:
        query = {name: evil for name in ("next", "url", "return_to", "redirect", "lang", "back")}
        for _method, path, _endpoint in routes(app, {"GET"}):
            response = client.get(path, query_string=query, headers={"Referer": evil})
            assert on_this_site(response.headers.get("Location")), (path, evil)
            html = response.get_data(as_text=True)
            response.close()
            assert not [link for link in links(html) if "evil" in link], (path, evil)
            tags = re.findall(r'<(?:a|link)\b[^>]*\bhreflang="[^"]*"[^>]*>', html)
            switcher = [re.search(r'href="([^"]*)"', tag).group(1) for tag in tags]
            for link in switcher:  # relative, or on the public address (for search engines)
                if not link.startswith(public):
                    assert link.startswith("/") and not link.startswith(("//", "/\\")), link
                checked += 1
    assert checked > 100


@pytest.mark.parametrize("accept", [*EVIL, "fr;q=1, //evil.example;q=0.9", "*"])
def test_the_root_sends_everyone_to_a_locale_of_this_site(client, accept):
    location = client.get("/", headers={"Accept-Language": accept}).headers["Location"]
    assert location in {f"/{lang}/" for lang in LOCALES}


def test_forms_over_https_behind_a_proxy_need_our_origin_or_referer(make_app):
    """PROXY_COUNT=1, X-Forwarded-Proto: https (as behind nginx): the token alone is not enough."""
    app = make_app(WTF_CSRF_ENABLED=True, PROXY_COUNT=1)
    client = app.test_client()
    proxy = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    path = f"/en/trials/{NCT}/contact"
    html = client.get(path, headers=proxy).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    ours, page = "https://localhost", f"https://localhost{path}"
    answers = {}
    for name, sent in {
        "origin": {"Origin": ours},
        "origin and referer": {"Origin": ours, "Referer": page},
        "referer only (a browser without Origin)": {"Referer": page},
        "nothing": {},
        "null origin (no-referrer page)": {"Origin": "null"},
        "null origin with our referer": {"Origin": "null", "Referer": page},
        "another site": {"Origin": "https://evil.example", "Referer": page},
        "our name over http": {"Origin": "http://localhost"},
        "another site's referer": {"Referer": "https://evil.example/en/"},
        "a look-alike": {"Origin": "https://localhost.evil.example"},
    }.items():
        response = client.post(path, data=form_data(csrf_token=token), headers=proxy | sent)
        answers[name] = (
            response.status_code
            if response.status_code != 400
            else ("refused" if is_csrf_refusal(response) else 400)
        )
    assert answers == {
        "origin": 303,
        "origin and referer": 303,
        "referer only (a browser without Origin)": 303,
        "nothing": "refused",
        "null origin (no-referrer page)": "refused",
        "null origin with our referer": "refused",
        "another site": "refused",
        "our name over http": "refused",
        "another site's referer": "refused",
        "a look-alike": "refused",
    }
    # Plain http (`make run`, tests): the token decides, as before.
    assert client.post(path, data=form_data(csrf_token=token)).status_code == 303
