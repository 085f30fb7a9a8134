"""`flask leads report`: per-site counts and hours, in three formats, without personal data."""

import csv
import io
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.contact_support import EMAIL, FIRST, LAST, MESSAGE, MULTI, leads, post
from tests.leads_support import link_in, multisite_app, site_id
from trialfinder.extensions import db
from trialfinder.leads.models import Lead
from trialfinder.leads.report import percentile, tally

PRIVATE = [FIRST, LAST, EMAIL, "+34612345678", "612345678", MESSAGE, "Lucía", "28013", "zurine"]


@pytest.fixture
def activity(make_app, tmp_path, smtp):
    """Four leads: one contacted, one not suitable, one forwarded to Barcelona, one open."""
    app = multisite_app(make_app, tmp_path)
    client = app.test_client()
    for number in range(4):
        post(client, "en", MULTI, postal_code="28013", first_name=f"{FIRST}{number}")
    with app.app_context():  # they came ten hours ago
        for lead in db.session.scalars(select(Lead)):
            lead.created_at -= timedelta(hours=10)
        db.session.commit()
    links = [link_in(message) for message in smtp.to("madrid@hospital.test")]
    client.post(links[0], data={"action": "contacted"})
    client.post(links[1], data={"action": "not_suitable"})
    barcelona = site_id(app, "Hospital del Mar")
    client.post(links[2], data={"action": "forward", "site": str(barcelona)})
    return app


def report(app, *options) -> str:
    result = app.test_cli_runner().invoke(args=["leads", "report", *options])
    assert result.exit_code == 0, result.output
    return result.output


def test_json_counts_per_site(activity):
    rows = {row["site"]: row for row in json.loads(report(activity, "--format", "json"))}
    norte, mar = rows["Hospital Norte"], rows["Hospital del Mar"]
    assert norte["city"] == "Madrid" and mar["city"] == "Barcelona"
    assert (norte["received"], norte["acknowledged"], norte["not_suitable"]) == (4, 2, 1)
    assert (norte["forwarded"], norte["open"]) == (1, 1)
    assert (mar["received"], mar["acknowledged"], mar["open"]) == (1, 0, 1)
    assert 9.9 <= norte["median_hours"] <= 10.1 and 9.9 <= norte["p90_hours"] <= 10.1
    assert mar["median_hours"] is None


def test_csv_and_table_say_the_same(activity):
    rows = list(csv.DictReader(io.StringIO(report(activity, "--format", "csv"))))
    norte = next(row for row in rows if row["site"] == "Hospital Norte")
    assert norte["received"] == "4" and norte["open"] == "1" and norte["forwarded"] == "1"
    table = report(activity).splitlines()
    assert table[0].split()[:3] == ["site", "city", "received"]
    assert any(line.startswith("Hospital Norte") and " 4 " in line for line in table)


def test_since_leaves_out_older_requests(activity):
    assert json.loads(report(activity, "--since", "2999-01-01", "--format", "json")) == []
    assert len(json.loads(report(activity, "--since", "2000-01-01", "--format", "json"))) == 2


@pytest.mark.parametrize("output", ["table", "csv", "json"])
def test_no_personal_data_in_any_format(activity, output):
    text = report(activity, "--format", output)
    every = [value for lead in leads(activity) for value in (lead.first_name, lead.email)]
    for private in PRIVATE + every:
        assert private.casefold() not in text.casefold(), private


def test_hours_are_from_reaching_the_site_and_percentiles_by_rank():
    site = {"site": "A", "city": "X"}
    steps = [
        [{"action": "received", "at": "2026-01-01T00:00:00", **site},
         {"action": "contacted", "at": f"2026-01-01T{hours:02d}:00:00", **site}]
        for hours in (1, 2, 3, 4, 20)
    ]  # fmt: skip
    (row,) = tally(("contacted", lead) for lead in steps)
    values = row.as_dict()
    assert values["acknowledged"] == 5 and values["open"] == 0
    assert values["median_hours"] == 3 and values["p90_hours"] == 20
    assert percentile([5.0], 90) == 5.0
