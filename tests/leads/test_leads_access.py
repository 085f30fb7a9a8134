"""Need to know: a forward takes the family's details off the first site's link; every opening
and action on a staff link is on record, and `leads report` shows it per site."""

import json

import pytest
from sqlalchemy import select

from tests.contact_support import EMAIL, FIRST, LAST, MESSAGE, MULTI, post
from tests.leads_support import link_in, multisite_app, site_id
from trialfinder.extensions import db
from trialfinder.leads.models import LeadAccess

DETAILS = [FIRST, LAST, EMAIL, "+34612345678", "612 34 56 78", MESSAGE[:25], "28013"]


@pytest.fixture
def multisite(make_app, tmp_path):
    return multisite_app(make_app, tmp_path)


def forwarded_lead(app, smtp) -> tuple[str, str]:
    """Send a request from Madrid, forward it to Barcelona; return both staff links."""
    client = app.test_client()
    post(client, "en", MULTI, postal_code="28013")  # Madrid: Hospital Norte
    madrid = link_in(smtp.to("madrid@hospital.test")[0])
    barcelona = site_id(app, "Hospital del Mar")
    assert (
        client.post(madrid, data={"action": "forward", "site": str(barcelona)}).status_code == 303
    )
    return madrid, link_in(smtp.to("barcelona@hospital.test")[0])


def test_a_forward_takes_the_family_details_off_the_first_sites_link(multisite, smtp):
    client = multisite.test_client()
    madrid, barcelona = forwarded_lead(multisite, smtp)
    first = client.get(madrid)
    assert first.status_code == 200
    page = first.get_data(as_text=True)
    assert "Hospital del Mar (Barcelona)" in page  # where the request went (in Spanish)
    for value in DETAILS:
        assert value not in page, value
    assert "mailto:" not in page and "tel:" not in page
    now = client.get(barcelona).get_data(as_text=True)  # the site that holds it sees them all
    assert FIRST in now and f"mailto:{EMAIL}" in now and "tel:+34612345678" in now
    assert MESSAGE.replace("'", "&#39;")[:40] in now


def test_the_site_holding_the_lead_still_sees_the_details_before_a_forward(multisite, smtp):
    client = multisite.test_client()
    post(client, "en", MULTI, postal_code="28013")
    page = client.get(link_in(smtp.to("madrid@hospital.test")[0])).get_data(as_text=True)
    assert FIRST in page and f"mailto:{EMAIL}" in page


def accesses(app) -> list[tuple[str, str, str]]:
    with app.app_context():
        rows = db.session.execute(
            select(LeadAccess.site, LeadAccess.city, LeadAccess.action).order_by(LeadAccess.id)
        )
        return [tuple(row) for row in rows]


def test_each_opening_and_action_is_recorded_without_personal_data(multisite, smtp):
    client = multisite.test_client()
    madrid, barcelona = forwarded_lead(multisite, smtp)  # one forward from Madrid's link
    client.get(madrid)
    client.get(barcelona)
    client.get(barcelona)
    client.post(barcelona, data={"action": "contacted"})
    norte, mar = ("Hospital Norte", "Madrid"), ("Hospital del Mar", "Barcelona")
    assert accesses(multisite) == [
        (*norte, "forward"),
        (*norte, "opened"),  # the old link is still Madrid's, though the lead moved
        (*mar, "opened"),
        (*mar, "opened"),
        (*mar, "contacted"),
    ]
    with multisite.app_context():
        columns = set(LeadAccess.__table__.columns.keys())
    assert columns == {"id", "lead_id", "site", "city", "at", "action"}


def test_leads_report_shows_openings_and_actions_per_site(multisite, smtp):
    client = multisite.test_client()
    madrid, barcelona = forwarded_lead(multisite, smtp)
    client.get(madrid)
    client.get(barcelona)
    client.post(barcelona, data={"action": "not_suitable"})
    runner = multisite.test_cli_runner()
    result = runner.invoke(args=["leads", "report", "--format", "json"])
    rows = {row["site"]: row for row in json.loads(result.output)}
    assert (rows["Hospital Norte"]["opened"], rows["Hospital Norte"]["actions"]) == (1, 1)
    assert (rows["Hospital del Mar"]["opened"], rows["Hospital del Mar"]["actions"]) == (1, 1)
    table = runner.invoke(args=["leads", "report"]).output
    assert table.splitlines()[0].split()[-2:] == ["opened", "actions"]
    for value in DETAILS:
        assert value not in table and value not in result.output, value
    later = runner.invoke(args=["leads", "report", "--since", "2999-01-01", "--format", "json"])
    assert json.loads(later.output) == []  # openings follow their leads' dates


def test_erasing_the_family_erases_the_access_log_of_its_requests(multisite, smtp):
    client = multisite.test_client()
    madrid, _barcelona = forwarded_lead(multisite, smtp)
    client.get(madrid)
    runner = multisite.test_cli_runner()
    assert (
        "deleted 1 contact request(s)"
        in runner.invoke(args=["leads", "erase", "--email", EMAIL]).output
    )
    assert accesses(multisite) == []
