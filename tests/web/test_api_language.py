"""One ?lang= rule on every JSON API: one of the seven, or absent (the browser's), else a 400."""

import pytest

from tests.conftest import NCT

NOTE = {"quote": "The leukaemia has come back", "text": "Ask how often we would travel"}
# Each endpoint, and a request whose answer shows its language (a "lang" field or an error).
ENDPOINTS = {
    "finder": ("get", "/api/v1/trials", None),
    "questionnaire": ("get", f"/api/v1/trials/{NCT}/questionnaire", None),
    "prescreen": ("post", f"/api/v1/trials/{NCT}/prescreen", {"answers": 5}),
    # A language the notes cannot be in: the error is in the language of the rule.
    "notes": ("post", "/api/v1/notes", {"trial": NCT, "lang": "de", "notes": [NOTE]}),
}


def call(client, endpoint: str, query: str = "", accept: str = "") -> tuple[int, dict]:
    method, url, body = ENDPOINTS[endpoint]
    headers = {"Accept-Language": accept} if accept else {}
    response = getattr(client, method)(url + query, json=body, headers=headers)
    return response.status_code, response.get_json()


def said(answer: dict) -> tuple:
    """What shows the answer's language: its lang field, else its error text."""
    return answer.get("lang"), answer.get("error")


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_lang_picks_the_language(client, endpoint):
    french = said(call(client, endpoint, "?lang=fr")[1])
    english = said(call(client, endpoint, "?lang=en")[1])
    assert french != english
    # ?lang= wins over the browser's language.
    assert said(call(client, endpoint, "?lang=fr", accept="en")[1]) == french


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_without_lang_the_browser_language_else_spanish(client, endpoint):
    french = said(call(client, endpoint, "?lang=fr")[1])
    spanish = said(call(client, endpoint, "?lang=es")[1])
    assert said(call(client, endpoint, accept="fr-FR,fr;q=0.9")[1]) == french
    assert said(call(client, endpoint)[1]) == spanish
    assert said(call(client, endpoint, "?lang=")[1]) == spanish


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("value", ["xx", "de", "EN", "es-ES", "../en"])
def test_an_unknown_lang_is_a_400_that_says_so(client, endpoint, value):
    status, answer = call(client, endpoint, f"?lang={value}", accept="en")
    assert status == 400
    assert answer == {"error": "This language is not available.", "field": "lang"}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_the_400_is_in_the_browser_language(client, endpoint):
    status, answer = call(client, endpoint, "?lang=xx", accept="fr")
    assert status == 400 and answer["error"] == "Cette langue n'est pas disponible."
