"""Helpers shared by the contact tests: a valid form, posting it, the multi-site test trial."""

import shutil
from pathlib import Path

from sqlalchemy import select

from tests.conftest import NCT
from trialfinder.extensions import db
from trialfinder.leads.models import Lead
from trialfinder.outbox.models import OutboxMessage

DATA = Path(__file__).parent / "data"
MULTI = "NCT99000001"
FIRST, LAST = "Zuriñe", "Etxeberria-Quintana"
EMAIL, PHONE = "zurine.family@example.com", "612 34 56 78"
MESSAGE = "My daughter Lucía is 9 and relapsed in March. Could she take part?"
OPERATOR_FILE = """\
sites:
  - facility: Hospital del Mar
    lead_email: barcelona@hospital.test
    staff_language: ca
"""


def form_data(**overrides) -> dict:
    """Return a valid contact form, with some fields replaced."""
    data = {
        "first_name": FIRST,
        "last_name": LAST,
        "email": EMAIL,
        "phone": PHONE,
        "preferred_language": "es",
        "other_language": "",
        "respondent": "child",
        "country": "ES",
        "postal_code": "28013",
        "city": "",
        "message": MESSAGE,
        "consent": "y",
        "website": "",
    }
    return {key: value for key, value in (data | overrides).items() if value is not None}


def contact_url(lang: str = "es", nct: str = NCT) -> str:
    return f"/{lang}/trials/{nct}/contact"


def post(client, lang: str = "es", nct: str = NCT, **overrides):
    """Send the form; return the response without following the redirect."""
    return client.post(contact_url(lang, nct), data=form_data(**overrides))


def reference_of(response) -> str:
    """Return the reference a successful post redirects to."""
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return response.headers["Location"].rstrip("/").rsplit("/", 1)[1]


def multisite_content(folder: Path) -> Path:
    """Write a content folder holding only the multi-site test trial and its operator file."""
    trial = folder / "content" / "trials" / MULTI
    trial.mkdir(parents=True)
    shutil.copy(DATA / "contact_multisite.json", trial / "record.json")
    (trial / "sites.yaml").write_text(OPERATOR_FILE, encoding="utf-8")
    return folder / "content"


def leads(app) -> list[Lead]:
    with app.app_context():
        rows = list(db.session.scalars(select(Lead).order_by(Lead.id)))
        db.session.expunge_all()
        return rows


def outbox_rows(app) -> list[OutboxMessage]:
    with app.app_context():
        rows = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        db.session.expunge_all()
        return rows


def headers_of(message) -> set[str]:
    return {name.lower() for name in message.keys()}


def bodies(message) -> tuple[str, str]:
    """Return the plain-text and HTML bodies of a received message."""
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html
