"""The alert sign-up form: fields, errors beside them, one row per address, rate limit."""

import re

import pytest
from sqlalchemy import event, func, select

from tests.conftest import NCT, ROOT
from trialfinder.alerts.models import Subscriber
from trialfinder.alerts.services import interest_choices
from trialfinder.extensions import db
from trialfinder.lib.locales import LOCALES

CONDITION = "Precursor Cell Lymphoblastic Leukemia-Lymphoma"


def form_data(**overrides) -> dict:
    data = {
        "email": "ana@example.com",
        "language": "en",
        "interests": [CONDITION],
        "age_years": "12",
        "country": "ES",
        "postal_code": "28046",
        "consent": "y",
    }
    return {key: value for key, value in (data | overrides).items() if value is not None}


def subscribers(app) -> list[Subscriber]:
    with app.app_context():
        rows = db.session.scalars(select(Subscriber).order_by(Subscriber.id)).all()
        for row in rows:
            db.session.expunge(row)
        return rows


def test_the_form_renders_in_every_locale_with_the_contract_fields(client, lang):
    response = client.get(f"/{lang}/alerts")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    for name in ("email", "language", "interests", "age_years", "country", "postal_code"):
        assert f'name="{name}"' in body
    assert 'name="consent"' in body and 'name="website"' in body
    assert f'href="/{lang}/privacy"' in body
    assert f'<option lang="{lang}" selected value="{lang}">' in body  # emails in the page language
    assert '<option value="ES" selected>' in body


def test_countries_are_named_in_the_page_language(client):
    assert ">España</option>" in client.get("/es/alerts").get_data(as_text=True)
    assert ">Spain</option>" in client.get("/en/alerts").get_data(as_text=True)
    assert ">إسبانيا</option>" in client.get("/ar/alerts").get_data(as_text=True)


def test_trial_page_link_preselects_its_condition(client):
    overview = client.get(f"/fr/trials/{NCT}/").get_data(as_text=True)
    link = re.search(r'<a href="(/fr/alerts\?interest=[^"]+)">', overview)
    assert link, "no 'trials like this one' link on the trial page"
    form = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert re.search(r'<input checked id="interests-0" name="interests" type="checkbox"', form)
    plain = client.get("/fr/alerts").get_data(as_text=True)
    assert "<input checked" not in plain


def test_every_page_links_to_the_alerts(client):
    assert 'href="/ro/alerts">' in client.get("/ro/privacy").get_data(as_text=True)


def test_a_sign_up_redirects_to_check_your_email(app, client, smtp):
    response = client.post("/en/alerts", data=form_data())
    assert response.status_code == 302
    assert response.headers["Location"] == "/en/alerts/check-email"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Check your email" in page and "7 days" in page
    (row,) = subscribers(app)
    assert (row.email, row.language, row.interests) == ("ana@example.com", "en", [CONDITION])
    assert (row.age_years, row.country, row.postal_code) == (12, "ES", "28046")
    assert row.confirmed_at is None


BAD_INPUTS = [
    ("email", {"email": None}, "Enter your email address."),
    ("email", {"email": "not-an-address"}, "Enter an email address like name@example.com."),
    ("email", {"email": "ana@example.com\r\nBcc: all@example.com"}, "Write this on one line."),
    ("email", {"email": "a" * 250 + "@example.com"}, "An email address has at most 254"),
    ("interests", {"interests": None}, "Choose at least one condition."),
    ("interests", {"interests": ["Melanoma"]}, "Choose conditions from the list."),
    ("age_years", {"age_years": "twelve"}, "Enter the age in whole years"),
    ("age_years", {"age_years": "12.5"}, "Enter the age in whole years"),
    ("age_years", {"age_years": "121"}, "Enter an age between 0 and 120."),
    ("age_years", {"age_years": "-1"}, "Enter an age between 0 and 120."),
    ("country", {"country": "XX"}, "Choose a country from the list."),
    ("country", {"country": "EU"}, "Choose a country from the list."),
    ("postal_code", {"postal_code": "99999"}, "Enter a Spanish postal code of 5 digits"),
    ("postal_code", {"postal_code": "28046\n"}, "Write this on one line."),
    ("postal_code", {"postal_code": "<b>1</b>", "country": "FR"}, "letters, numbers and spaces"),
    ("language", {"language": "de"}, "Choose a language from the list."),
    ("consent", {"consent": None}, "Tick the box to agree"),
]


@pytest.mark.parametrize(("field", "overrides", "message"), BAD_INPUTS)
def test_bad_input_is_explained_beside_its_field(app, client, field, overrides, message):
    response = client.post("/en/alerts", data=form_data(**overrides))
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    error = re.search(
        rf'<span class="error-message" id="{field}-error" role="alert">([^<]*)</span>', body
    )
    assert error and message in error.group(1)
    assert re.search(r"<title>Error: Trial alerts", body)
    assert (
        f'aria-describedby="{field}-error' in body
        or f'aria-describedby="{field}-hint {field}-error' in body
    )
    assert subscribers(app) == []
    if field != "email" and overrides.get("email", "") is not None:
        assert 'value="ana@example.com"' in body  # what was typed is kept


def test_optional_fields_may_stay_empty(app, client, smtp):
    response = client.post("/en/alerts", data=form_data(age_years="", postal_code=""))
    assert response.status_code == 302
    (row,) = subscribers(app)
    assert row.age_years is None and row.postal_code == ""


def test_an_address_is_stored_once_whatever_the_number_of_sign_ups(app, client, smtp):
    client.post("/en/alerts", data=form_data(email="Ana.Ruiz@Example.COM"))
    client.post("/fr/alerts", data=form_data(email="  Ana.Ruiz@example.com ", language="fr"))
    (row,) = subscribers(app)
    assert row.email == "Ana.Ruiz@example.com" and row.language == "fr"
    assert len(smtp.to("Ana.Ruiz@example.com")) == 2
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Subscriber)) == 1


def test_the_honeypot_keeps_and_sends_nothing(app, client, smtp):
    response = client.post("/en/alerts", data=form_data(website="http://spam.example"))
    assert response.headers["Location"] == "/en/alerts/check-email"
    assert subscribers(app) == [] and smtp.messages == []


def test_the_sign_up_form_needs_its_csrf_token(make_app, smtp):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    response = client.post("/en/alerts", data=form_data())
    assert response.status_code == 400
    assert "Please send the form again" in response.get_data(as_text=True)
    page = client.get("/en/alerts").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/en/alerts", data=form_data(csrf_token=token)).status_code == 302
    assert len(subscribers(app)) == 1


def test_sign_ups_are_rate_limited(make_app, smtp):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_ALERTS="2 per minute")
    client = app.test_client()
    codes = [
        client.post("/en/alerts", data=form_data(email=f"n{n}@example.com")).status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429]
    assert "Too many tries" in client.post("/en/alerts", data=form_data()).get_data(as_text=True)
    assert client.get("/en/alerts").status_code == 200  # reading the form is not limited
    assert len(subscribers(app)) == 2


@pytest.mark.parametrize("lang", LOCALES)
def test_pages_after_the_form_render_in_every_locale(client, lang):
    for path in ("alerts/check-email", "alerts/unsubscribed"):
        response = client.get(f"/{lang}/{path}")
        assert response.status_code == 200
        assert f'<html lang="{lang}"' in response.get_data(as_text=True)


def test_the_conditions_offered_are_read_once_per_content_version(app, runner):
    """At 100,000 trials, reading every trial's conditions took 1.3 s of each sign-up."""
    read = []

    def note(_connection, _cursor, statement, *_args):
        read.append(statement)

    with app.test_request_context():
        event.listen(db.engine, "before_cursor_execute", note)
        assert CONDITION in interest_choices() and "Dysphagia" not in interest_choices()
        event.remove(db.engine, "before_cursor_execute", note)
    assert sum("FROM trial\n" in f"{statement}\n" for statement in read) == 1
    record = ROOT / "tests" / "data" / "records" / "NCT05594173.json"  # about dysphagia
    assert runner.invoke(args=["trials", "import", str(record)]).exit_code == 0
    with app.test_request_context():
        assert "Dysphagia" in interest_choices()  # the import made a new version
