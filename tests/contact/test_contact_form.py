"""The contact form: fields, localized errors beside each field, limits, abuse answers."""

import re

import pytest
from babel import Locale
from flask_babel import force_locale
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from tests.conftest import NCT, static_url, translate
from tests.contact_support import EMAIL, FIRST, contact_url, form_data, leads, outbox_rows, post
from tests.prescreen_support import put_state
from trialfinder.contact import forms

FIELDS = (
    "first_name last_name email phone preferred_language other_language respondent country "
    "postal_code city message consent website csrf_token"
).split()
ONE_LINE_FIELDS = "first_name last_name email phone city postal_code other_language".split()


def errors_of(html: str) -> dict[str, str]:
    """Map each field id to the error shown beside it."""
    return dict(
        re.findall(r'<span class="error-message" id="([a-z_]+)-error" role="alert">([^<]*)<', html)
    )


def summary_links(html: str) -> list[tuple[str, str]]:
    """Return the (field id, text) of each link in the error summary at the top of the form."""
    summary = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', html, re.S).group(1)
    return re.findall(r'<a href="#([^"]+)">([^<]*)</a>', summary)


def test_form_renders_in_every_locale(app, client, lang):
    response = client.get(contact_url(lang))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<html lang="{lang}"' in html
    for name in FIELDS:
        if name != "csrf_token":  # tests run with CSRF off; the CSRF test checks the token
            assert f'name="{name}"' in html, name
    assert 'name="share_prescreen"' not in html  # no questionnaire result attached
    assert f'href="/{lang}/privacy"' in html  # the consent label links the privacy page
    spain = Locale.parse(lang).territories["ES"]
    assert f'<option value="ES" selected>{spain}</option>' in html
    assert f'<option selected value="{lang}">' in html  # preferred language defaults to the page's
    assert static_url(app, "js/contact.js") in html


def test_country_names_follow_the_page_language(client):
    assert ">إسبانيا</option>" in client.get(contact_url("ar")).get_data(as_text=True)
    assert ">Espanya</option>" in client.get(contact_url("ca")).get_data(as_text=True)
    english = client.get(contact_url("en")).get_data(as_text=True)
    assert ">Portugal</option>" in english and 'value="EU"' not in english


def test_overview_has_a_contact_button(client, lang):
    html = client.get(f"/{lang}/trials/{NCT}/").get_data(as_text=True)
    section = html[html.index('<section id="contact"') :]
    assert f'href="/{lang}/trials/{NCT}/contact"' in section


def test_unknown_trial_or_language_is_not_found(client):
    assert client.get(contact_url("es", "NCT00000000")).status_code == 404
    assert client.get(contact_url("de")).status_code == 404


def test_errors_are_shown_beside_each_field_and_input_is_kept(client, app):
    response = post(client, "en", last_name="", consent=None, respondent=None)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error: Contact the study team" in html
    assert errors_of(html) == {
        "last_name": str(forms.REQUIRED),
        "respondent": str(forms.CHOOSE_ONE),
        "consent": str(forms.NEED_CONSENT),
    }
    assert 'aria-describedby="last_name-error" aria-invalid="true"' in html
    assert f'value="{FIRST}"' in html and f'value="{EMAIL}"' in html
    assert 'class="error-summary" role="alert"' in html
    assert leads(app) == [] and outbox_rows(app) == []


@pytest.mark.parametrize("lang", ["es", "ar"])
def test_the_error_summary_links_each_error_to_its_field_in_the_page_language(client, app, lang):
    unfilled = {"first_name": "", "respondent": None, "consent": None, "postal_code": ""}
    html = post(client, lang, preferred_language="other", **unfilled).get_data(as_text=True)
    links = summary_links(html)
    errors = errors_of(html)
    targets = ["first_name", "other_language", "respondent", "postal_code", "consent"]
    assert [target for target, _text in links] == targets == list(errors)
    page_ids = re.findall(r' id="([^"]+)"', html)
    for target, text in links:
        assert page_ids.count(target) == 1  # the link lands on the field, and on nothing else
        assert text.endswith(errors[target])  # the message beside the field, in the same words
    summary = html[html.index('<div class="error-summary"') :]
    assert summary.startswith('<div class="error-summary" role="alert" tabindex="-1"')
    assert " autofocus>" in summary.split("\n", 1)[0]  # focus starts on the summary
    assert translate(app, lang, "Please check the form") in summary
    assert f"<title>{translate(app, lang, 'Error: %(title)s', title='')}" in html


def test_summary_names_each_field_and_a_question_takes_no_colon(client, app):
    html = post(client, "en", first_name="", respondent=None).get_data(as_text=True)
    assert [text for _target, text in summary_links(html)] == [
        "First name: Please fill this in.",
        "Who is asking? Please choose one of the options.",
    ]
    french = post(client, "fr", first_name="").get_data(as_text=True)
    # French typography (trialfinder.web.typography): a narrow no-break space before the colon.
    assert summary_links(french)[0][1].startswith(translate(app, "fr", "First name") + "\u202f: ")


def test_outside_spain_the_town_is_enough(client, app):
    coimbra = {"country": "PT", "postal_code": "", "city": "Coimbra", "phone": ""}
    assert post(client, "pt", **coimbra).status_code == 303
    (lead,) = leads(app)
    assert (lead.postal_code, lead.city, lead.country) == ("", "Coimbra", "PT")
    assert (lead.location_label, lead.location_source) == ("Coimbra", "city")


@pytest.mark.parametrize("country", ["PT", "FR", "RO", "MA"])
def test_outside_spain_a_postal_code_or_a_town_is_needed(client, app, country):
    nowhere = {"country": country, "postal_code": "", "city": "", "phone": ""}
    html = post(client, "en", **nowhere).get_data(as_text=True)
    assert errors_of(html) == {"postal_code": str(forms.NEED_PLACE)}
    assert leads(app) == []
    code = {"PT": "1000-001", "FR": "75015", "RO": "010011", "MA": "32000"}[country]
    assert post(client, "en", **(nowhere | {"postal_code": code})).status_code == 303


def test_in_spain_the_town_alone_is_enough(client, app):
    assert post(client, "es", postal_code="", city="Sabadell").status_code == 303
    [lead] = leads(app)
    assert (lead.location_label, lead.location_source) == ("Sabadell", "city")


@pytest.mark.parametrize(
    ("country", "postal_code", "city", "field"),
    [
        ("ES", "99999", "", "postal_code"),  # no Spanish code starts with 99
        ("US", "00000", "", "postal_code"),
        ("PT", "", "Nowhere-upon-Thames", "city"),
        ("UG", "", "Atlantis", "city"),  # no postal codes for Uganda: only towns
    ],
)
def test_a_place_that_cannot_be_found_is_said_before_sending(
    client, app, lang, country, postal_code, city, field
):
    typed = {"country": country, "postal_code": postal_code, "city": city, "phone": ""}
    html = post(client, lang, **typed).get_data(as_text=True)
    text = (
        "We could not find this place. Please check the postal code and the country, "
        "or type the name of your town or city."
    )
    assert errors_of(html) == {field: str(escape(translate(app, lang, text)))}
    assert f'value="{postal_code or city}"' in html  # kept, to correct it
    assert leads(app) == [] and outbox_rows(app) == []


def test_a_wrong_postal_code_with_a_known_town_is_placed_by_the_town(client, app):
    assert post(client, "fr", country="FR", postal_code="ZZ999", city="Paris").status_code == 303
    [lead] = leads(app)
    assert (lead.location_label, lead.location_source) == ("Paris", "city")


def test_the_postal_code_hint_says_the_town_is_enough(client, app, lang):
    html = client.get(contact_url(lang)).get_data(as_text=True)
    hint = translate(app, lang, "Or leave it empty and write your town or city below.")
    assert f'<span class="hint" id="postal_code-hint">{hint}</span>' in html
    assert 'aria-describedby="postal_code-hint"' in html


@pytest.mark.parametrize("field", ONE_LINE_FIELDS)
@pytest.mark.parametrize("breaker", ["\r\n", "\n", "\r", "\x00"])
def test_line_breaks_in_single_line_fields_are_refused(client, app, field, breaker):
    value = f"Ana{breaker}Bcc: victim@example.net"
    extra = {"preferred_language": "other"} if field == "other_language" else {}
    html = post(client, "en", **extra, **{field: value}).get_data(as_text=True)
    assert errors_of(html)[field] == str(forms.ONE_LINE)
    assert leads(app) == [] and outbox_rows(app) == []


def test_errors_are_in_the_page_language(client, app):
    for lang in ("es", "ar", "en"):
        html = post(client, lang, first_name="").get_data(as_text=True)
        with app.test_request_context(), force_locale(lang):
            assert errors_of(html)["first_name"] == str(forms.REQUIRED)
        assert f'<html lang="{lang}"' in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "not-an-address", forms.BAD_EMAIL),
        ("email", "ana@", forms.BAD_EMAIL),
        ("phone", "12", forms.BAD_PHONE),
        ("phone", "hello", forms.BAD_PHONE),
        ("first_name", "x" * 101, "Please shorten this to 100 characters or fewer."),
        ("message", "x" * 4001, "Please shorten this to 4,000 characters or fewer."),
        ("message", "hello\x00world", forms.BAD_CHARACTERS),
        ("message", "   ", forms.REQUIRED),
        ("country", "XX", forms.CHOOSE_ONE),
        ("country", "EU", forms.CHOOSE_ONE),
        ("respondent", "robot", forms.CHOOSE_ONE),
        ("preferred_language", "de", forms.CHOOSE_ONE),
        ("postal_code", "", forms.NEED_PLACE),  # and no town either
    ],
)
def test_bad_values_get_a_clear_message(client, app, field, value, message):
    html = post(client, "en", **{field: value}).get_data(as_text=True)
    assert errors_of(html)[field] == str(message).replace("'", "&#39;")
    assert leads(app) == []


def test_another_language_must_be_named(client, app):
    html = post(client, "en", preferred_language="other").get_data(as_text=True)
    assert errors_of(html)["other_language"] == str(forms.NEED_LANGUAGE)
    assert (
        post(client, "en", preferred_language="other", other_language="Euskara").status_code == 303
    )
    assert leads(app)[0].other_language == "Euskara"
    post(client, "en", preferred_language="fr", other_language="ignored")
    assert leads(app)[1].other_language == ""


@pytest.mark.parametrize(
    ("country", "phone", "stored"),
    [
        ("ES", "612 34 56 78", "+34612345678"),
        ("PT", "912 345 678", "+351912345678"),
        ("ES", "+351 912 345 678", "+351912345678"),
        ("ES", "", ""),
    ],
)
def test_phone_numbers_are_stored_as_e164(client, app, country, phone, stored):
    city = {"PT": "Lisboa"}.get(country, "")
    assert post(client, country=country, phone=phone, city=city).status_code == 303
    assert leads(app)[0].phone == stored


def test_email_is_checked_without_dns_and_normalized(client, app):
    assert post(client, email="Zurine.Family@EXAMPLE.com").status_code == 303
    assert leads(app)[0].email == "Zurine.Family@example.com"


def test_multiline_message_and_unicode_names_are_kept(client, app):
    message = "Línea uno\r\nسطر اثنان\n\tתודה"
    assert post(client, first_name="أحمد", last_name="Ñúñez", message=message).status_code == 303
    lead = leads(app)[0]
    assert (lead.first_name, lead.last_name) == ("أحمد", "Ñúñez")
    assert lead.message == message


def test_share_checkbox_appears_only_with_a_questionnaire_result(client, app):
    put_state(client, app, shared={"age_years": 9, "diagnosis": "b_all"})
    assert 'name="share_prescreen"' in client.get(contact_url("en")).get_data(as_text=True)
    other = app.test_client()
    assert 'name="share_prescreen"' not in other.get(contact_url("en")).get_data(as_text=True)
    # A forged tick without a result attaches nothing.
    assert post(other, share_prescreen="y").status_code == 303
    assert leads(app)[0].prescreen is None


def test_a_body_over_64_kb_is_refused(client, app):
    response = post(client, "es", message="x" * (65 * 1024))
    assert response.status_code == 413
    assert '<html lang="es"' in response.get_data(as_text=True)
    assert leads(app) == []


def test_too_many_posts_from_one_address_get_a_localized_429(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_CONTACT="2 per minute")
    client = app.test_client()
    assert [post(client, "fr", first_name="").status_code for _ in range(2)] == [200, 200]
    response = post(client, "fr")
    assert response.status_code == 429
    assert '<html lang="fr"' in response.get_data(as_text=True)
    assert client.get(contact_url("fr")).status_code == 200  # reading the form is not limited
    assert leads(app) == []


def test_a_missing_csrf_token_shows_the_friendly_page_and_keeps_nothing(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    assert 'name="csrf_token"' in client.get(contact_url("en")).get_data(as_text=True)
    response = post(client, "en")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "send the form again" in html.lower() and FIRST not in html
    assert leads(app) == [] and outbox_rows(app) == []


def test_a_valid_csrf_token_is_accepted(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    html = client.get(contact_url("en")).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    response = client.post(contact_url("en"), data=form_data(csrf_token=token))
    assert response.status_code == 303
    assert len(leads(app)) == 1


def test_a_body_over_64_kb_is_refused_before_the_csrf_check_too(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    response = post(app.test_client(), "ro", message="x" * (65 * 1024))
    assert response.status_code == 413
    assert '<html lang="ro"' in response.get_data(as_text=True)
    assert leads(app) == []


def test_digits_from_any_keyboard_are_understood(client, app):
    assert post(client, "ar", postal_code="٢٨٠١٣").status_code == 303  # Arabic-Indic 28013
    assert post(client, "ar", postal_code="2٨013").status_code == 303
    assert [lead.postal_code for lead in leads(app)] == ["28013", "28013"]
    assert {lead.location_label for lead in leads(app)} == {"Madrid"}


HOSTILE_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    values=st.dictionaries(
        st.sampled_from(FIELDS + ["share_prescreen", "lat", "lon"]), HOSTILE_TEXT
    )
)
def test_no_input_crashes_the_form(client, values):
    response = client.post(contact_url("en"), data=form_data(**values))
    assert response.status_code in (200, 303)
    if response.status_code == 200:
        assert 'role="alert"' in response.get_data(as_text=True)
