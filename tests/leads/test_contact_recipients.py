"""No request without a recipient: real registry records, a real SMTP server, real routes.

The records in tests/data/records/ are registry records as published (see SOURCE.md there):
NCT05594173 completed in Toronto with no contact at all; NCT06171568 not yet recruiting in Paris,
with central contacts at aphp.fr. The shipped ReALL_CART record lists no email of its own: its
requests reach someone only through content/trials/<NCT>/sites.yaml or the deployment's default.
"""

import shutil

import pytest

from tests.conftest import CONTROLLER, DPO_EMAIL, NCT, ROOT
from tests.contact_support import (
    EMAIL,
    contact_url,
    form_data,
    leads,
    outbox_rows,
    post,
    reference_of,
)
from trialfinder import create_app
from trialfinder.config import ConfigError
from trialfinder.extensions import db
from trialfinder.leads import checks
from trialfinder.leads.languages import country_language

RECORDS = ROOT / "tests" / "data" / "records"
COMPLETED, NOT_YET = "NCT05594173", "NCT06171568"
NO_ADDRESS = "sites:\n  - facility: Hospital Universitario La Paz\n    staff_language: es\n"


def content_folder(tmp_path, shipped_sites: str | None = None) -> str:
    """The shipped trial (its sites.yaml replaced when asked) and the two registry records."""
    trials = tmp_path / "content" / "trials"
    shutil.copytree(ROOT / "content" / "trials" / NCT, trials / NCT)
    if shipped_sites is not None:
        (trials / NCT / "sites.yaml").write_text(shipped_sites, encoding="utf-8")
    for nct in (COMPLETED, NOT_YET):
        (trials / nct).mkdir()
        shutil.copy(RECORDS / f"{nct}.json", trials / nct / "record.json")
    return str(tmp_path / "content")


@pytest.fixture
def app_config(app_config, tmp_path):
    return app_config | {"CONTENT_DIR": content_folder(tmp_path, NO_ADDRESS)}


def assert_closed(page: str) -> None:
    assert 'class="contact"' not in page and 'name="first_name"' not in page  # no form


@pytest.mark.parametrize("nct", [COMPLETED, NCT])
def test_a_trial_nobody_would_answer_offers_no_form_and_stores_nothing(app, client, smtp, nct):
    """Completed with no contact, and recruiting with no address: the form is never offered."""
    page = client.get(contact_url("en", nct)).get_data(as_text=True)
    assert_closed(page)
    overview = client.get(f"/en/trials/{nct}/").get_data(as_text=True)
    assert contact_url("en", nct) not in overview  # no "Contact the study team" anywhere
    assert "Tell me about studies like this one" in overview  # alerts instead
    response = post(client, "en", nct)
    assert response.status_code == 409
    answer = response.get_data(as_text=True)
    assert "Your request was not sent and nothing of it was kept." in answer
    assert "Thank you" not in answer and "received" not in answer
    assert leads(app) == [] and outbox_rows(app) == []
    assert smtp.messages == []


def test_the_completed_trial_says_why_and_when_the_registry_confirmed_it(client):
    page = client.get(f"/en/trials/{COMPLETED}/contact").get_data(as_text=True)
    assert "This study has ended. It no longer takes participants." in page
    assert "October 2022" in page  # statusVerifiedDate 2022-10, through Babel
    assert "The registry lists no contact for the study team." in page
    overview = client.get(f"/es/trials/{COMPLETED}/").get_data(as_text=True)
    assert "octubre de 2022" in overview  # CLDR: "LLLL y" left out the "de"


def test_the_default_address_takes_a_recruiting_trial_but_never_a_completed_one(make_app, smtp):
    app = make_app(DEFAULT_LEAD_EMAIL="ensayos@hospital.test")
    client = app.test_client()
    assert 'name="first_name"' in client.get(contact_url("es", NCT)).get_data(as_text=True)
    reference_of(post(client, "es", NCT))
    (staff,) = smtp.to("ensayos@hospital.test")
    assert staff["Content-Language"] == "es"  # the only site is in Spain
    assert len(smtp.to(EMAIL)) == 1  # and the family's copy
    assert post(client, "es", COMPLETED).status_code == 409
    assert len(leads(app)) == 1 and len(smtp.messages) == 2
    with app.app_context():
        db.engine.dispose()


def test_a_trial_not_yet_recruiting_takes_requests_through_its_central_contact(app, client, smtp):
    page = client.get(f"/fr/trials/{NOT_YET}/").get_data(as_text=True)
    assert contact_url("fr", NOT_YET) in page  # the registry lists who to write to
    response = post(client, "fr", NOT_YET, country="FR", postal_code="75010", city="Paris")
    reference_of(response)
    (staff,) = smtp.to("camille.heslot@aphp.fr")
    assert staff["Content-Language"] == "fr"  # a Paris team reads French, not Spanish
    (lead,) = leads(app)
    assert (lead.staff_email, lead.staff_language, lead.central) == (
        "camille.heslot@aphp.fr",
        "fr",
        True,
    )


@pytest.mark.parametrize(
    ("country", "language"),
    [
        ("Spain", "es"),
        ("France", "fr"),
        ("Portugal", "pt"),
        ("Brazil", "pt"),
        ("Romania", "ro"),
        ("Morocco", "ar"),
        ("Egypt", "ar"),
        ("Germany", "en"),
        ("United States", "en"),
        ("Canada", "en"),
        ("Andorra", "en"),  # Catalan only where sites.yaml says so
        ("", "en"),
    ],
)
def test_staff_language_follows_the_site_country(country, language):
    assert country_language(country) == language


def test_content_check_and_outbox_status_name_the_trial_nobody_would_answer(runner):
    outbox = runner.invoke(args=["outbox", "status"])
    assert f"no recipient: contact requests would reach nobody: {NCT}" in outbox.output
    assert COMPLETED not in outbox.output and NOT_YET not in outbox.output
    check = runner.invoke(args=["content", "check"])
    assert f"no recipient: contact requests would reach nobody: {NCT}" in check.output


@pytest.fixture
def production(monkeypatch, tmp_path):
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.delenv("TRIALFINDER_LEAD_EMAIL_OVERRIDE", raising=False)
    built = []

    def build(content: str, **settings):
        config = {"SECRET_KEY": "s", "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.db'}"}
        config |= {"DATA_CONTROLLER": CONTROLLER, "DPO_EMAIL": DPO_EMAIL}  # what privacy asks
        built.append(create_app(config | {"CONTENT_DIR": content} | settings))
        return built[-1]

    yield build
    for app in built:
        with app.app_context():
            db.engine.dispose()


def test_a_production_start_refuses_a_recruiting_trial_with_no_address(production, tmp_path):
    with pytest.raises(ConfigError) as refused:
        production(content_folder(tmp_path, NO_ADDRESS))
    assert f"{NCT} (recruiting): no address at all" in str(refused.value)


def test_a_refused_start_names_the_first_problems_and_counts_the_others(
    app, production, tmp_path, monkeypatch
):
    """An import may leave thousands of sites without an address: the refusal names a few."""
    with app.app_context():
        problems = checks.lead_address_problems(app)
    assert len(problems) > 1
    monkeypatch.setattr(checks, "LISTED", 1)
    with pytest.raises(ConfigError) as refused:
        production(content_folder(tmp_path / "production", NO_ADDRESS))
    message = str(refused.value)
    others = f"{len(problems) - 1:,} more (`flask content check` lists them)"
    assert f"would reach nobody: {problems[0]}; and {others}. Set lead_email" in message
    assert problems[1] not in message


def test_a_production_start_accepts_closed_trials_without_contacts(production, tmp_path):
    real = NO_ADDRESS + "    lead_email: hemato@lapaz.test\n"
    app = production(content_folder(tmp_path / "real", real))
    client = app.test_client()
    assert 'name="first_name"' not in client.get(contact_url("es", COMPLETED)).get_data(
        as_text=True
    )
    assert client.post(contact_url("es", COMPLETED), data=form_data()).status_code in (400, 409)


def test_the_prescreen_result_offers_contact_where_someone_reads_it(client):
    for question, answer in [("respondent", "self"), ("age_years", "30")]:
        client.post(f"/en/trials/{NOT_YET}/prescreen/{question}", data={"answer": answer})
    page = client.get(f"/en/trials/{NOT_YET}/prescreen/result").get_data(as_text=True)
    assert "Your result" in page
    assert 'class="prescreen-share' in page
    assert "Contact the study team. They will talk with you" in page


def test_a_study_that_has_ended_has_no_questionnaire_but_its_page_says_why(client):
    """No "this study may fit" for a closed door: every pre-screen page leads to the reason."""
    overview = f"/en/trials/{COMPLETED}/#status-reason"
    for path in ("prescreen", "prescreen/respondent", "prescreen/result"):
        response = client.get(f"/en/trials/{COMPLETED}/{path}")
        assert response.status_code in (302, 303) and response.location == overview, path
    posted = client.post(f"/en/trials/{COMPLETED}/prescreen/respondent", data={"answer": "self"})
    assert posted.location == overview
    page = client.get(f"/en/trials/{COMPLETED}/").get_data(as_text=True)
    assert "This study has ended. It no longer takes participants." in page
    assert "The registry lists no contact for the study team." in page
    assert "/prescreen" not in page and f"/trials/{COMPLETED}/contact" not in page
    faq = client.get(f"/en/trials/{COMPLETED}/faq").get_data(as_text=True)
    assert "/prescreen" not in faq and f"/trials/{COMPLETED}/contact" not in faq


def test_who_a_request_could_reach_is_decided_without_an_app():
    """Pure: the routes of the real records, under each rule (no Flask, no database)."""
    import json

    from trialfinder.leads.reach import reachable
    from trialfinder.trials.registry import parse_study

    paris = parse_study(json.loads((RECORDS / f"{NOT_YET}.json").read_text(encoding="utf-8")))
    (central,) = reachable(paris.status, list(paris.sites), central_emails=paris.central_emails)
    assert (central.email, central.staff_language, central.site) == (
        "camille.heslot@aphp.fr",
        "fr",
        None,
    )
    # Not yet recruiting: its site is not recruiting, so only a central contact can answer.
    assert reachable(paris.status, list(paris.sites)) == []
    assert reachable(paris.status, list(paris.sites), default_email="x@team.test")[0].email
    toronto = parse_study(json.loads((RECORDS / f"{COMPLETED}.json").read_text(encoding="utf-8")))
    assert reachable(toronto.status, list(toronto.sites), default_email="x@team.test") == []
    assert reachable(toronto.status, list(toronto.sites), override="all@team.test") == []
    # In production a placeholder never counts; in development it lands in the local mailbox.
    placeholder = {"central_emails": ["team@example.org"]}
    assert reachable(paris.status, list(paris.sites), **placeholder, strict=True) == []
    assert reachable(paris.status, list(paris.sites), **placeholder)[0].email == "team@example.org"
