"""Migration 0004: leads stored before it are open, on their first hop, and can be acknowledged."""

import flask_migrate
import pytest
import sqlalchemy as sa

from tests.contact_support import leads
from trialfinder.database import MIGRATIONS
from trialfinder.extensions import db

pytestmark = pytest.mark.databases

OLD_LEAD = """
INSERT INTO lead (reference, nct_id, lang, created_at, first_name, last_name, email, phone,
  preferred_language, other_language, respondent, country, postal_code, city, message,
  location_label, location_source, site_facility, site_city, central, staff_email,
  staff_language, route_source)
VALUES ('TF-OLD00001', 'NCT06709469', 'es', '2026-11-30 10:00:00', 'Ana', 'Old', 'ana@old.test',
  '', 'es', '', 'self', 'ES', '28013', '', 'hola', '', '', 'Hospital Universitario La Paz',
  'Madrid', false, 'lapaz@hospital.test', 'es', 'operator')
"""


def test_a_lead_from_before_0004_is_open_and_counted(app, runner):
    with app.app_context():
        flask_migrate.downgrade(directory=str(MIGRATIONS), revision="0003")
        columns = {column["name"] for column in sa.inspect(db.engine).get_columns("lead")}
        assert "status" not in columns and "hop" not in columns
        db.session.execute(sa.text(OLD_LEAD))
        db.session.commit()
        flask_migrate.upgrade(directory=str(MIGRATIONS))
    (lead,) = leads(app)
    assert (lead.status, lead.hop, lead.history, lead.reminded_at) == ("open", 0, None, None)
    result = runner.invoke(args=["leads", "report", "--format", "csv"])
    assert "Hospital Universitario La Paz,Madrid,1,0,0,0,1,," in result.output
