"""`flask leads remind`: one reminder to the site, one escalation to the central contact, once."""

import pytest

from tests.contact_support import MULTI, bodies, leads, post, reference_of
from tests.leads_support import link_in, multisite_app

MADRID, CENTRAL = "madrid@hospital.test", "central@trial.test"


@pytest.fixture
def due_now(make_app, tmp_path):
    return multisite_app(make_app, tmp_path, LEAD_REMIND_HOURS=0, LEAD_ESCALATE_HOURS=0)


def remind(app) -> str:
    result = app.test_cli_runner().invoke(args=["leads", "remind"])
    assert result.exit_code == 0, result.output
    return result.output


def test_run_twice_one_reminder_and_one_escalation(due_now, smtp):
    client = due_now.test_client()
    reference = reference_of(post(client, "en", MULTI, postal_code="28013"))
    assert "queued 1 reminder(s) and 1 escalation(s)" in remind(due_now)
    assert "queued 0 reminder(s) and 0 escalation(s)" in remind(due_now)
    lead_email, reminder = smtp.to(MADRID)
    (escalation,) = smtp.to(CENTRAL)  # the record's central contact
    for message in (reminder, escalation):
        assert reference in message["Subject"] and "Zuriñe" not in message["Subject"]
    assert reminder["Content-Language"] == "es"  # the Madrid site
    assert escalation["Content-Language"] == "en"  # a central team for Spain and Portugal
    assert "Hospital Norte" in bodies(escalation)[0]
    # The escalation's link is a working link to the same lead.
    page = client.get(link_in(escalation))
    assert page.status_code == 200 and reference in page.get_data(as_text=True)
    assert link_in(reminder).startswith("/es/leads/")
    (lead,) = leads(due_now)
    assert lead.reminded_at is not None and lead.escalated_at is not None


def test_acknowledged_leads_get_neither(due_now, smtp):
    client = due_now.test_client()
    post(client, "en", MULTI, postal_code="28013")
    client.post(link_in(smtp.to(MADRID)[0]), data={"action": "not_suitable"})
    assert "queued 0 reminder(s) and 0 escalation(s)" in remind(due_now)
    assert smtp.to(CENTRAL) == [] and len(smtp.to(MADRID)) == 1


def test_nothing_is_due_before_the_hours(make_app, tmp_path, smtp):
    app = multisite_app(make_app, tmp_path)  # 48 and 120 hours
    post(app.test_client(), "en", MULTI, postal_code="28013")
    assert "queued 0 reminder(s) and 0 escalation(s)" in remind(app)
    assert len(smtp.messages) == 2


def test_without_a_central_contact_the_default_address_is_escalated_to(make_app, smtp):
    app = make_app(
        LEAD_REMIND_HOURS=0, LEAD_ESCALATE_HOURS=0, DEFAULT_LEAD_EMAIL="recruitment@sponsor.test"
    )
    post(app.test_client(), "en")  # NCT06709469 lists no central contact
    assert "queued 1 reminder(s) and 1 escalation(s)" in remind(app)
    (escalation,) = [m for m in smtp.messages if m["To"] == "recruitment@sponsor.test"]
    assert "Hospital Universitario La Paz" in bodies(escalation)[1]
