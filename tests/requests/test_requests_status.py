"""The family's side: the status link in its emails, a person to reply to, nothing typed relayed."""

import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tests.conftest import translate
from tests.contact.test_contact_delivery import LA_PAZ, confirmation
from tests.contact_support import (
    EMAIL,
    FIRST,
    LAST,
    MULTI,
    bodies,
    leads,
    outbox_rows,
    post,
    reference_of,
)
from tests.leads_support import link_in, multisite_app, site_id
from trialfinder.extensions import db
from trialfinder.leads import tokens
from trialfinder.leads.models import Lead
from trialfinder.outbox.models import OutboxMessage
from trialfinder.requests import status

STATUS_LINK = re.compile(r"http://127\.0\.0\.1:5000(/([a-z]{2})/requests/[A-Za-z0-9_.\-]+)")
NOT_FOUND = "We could not find this page. It may have moved."
CONTACTED_SUBJECT = "Your request %(reference)s: the study team has it"
STATE_LABELS = {
    "received": "Received",
    "contacted": "The study team has it",
    "forwarded": "Passed to another hospital",
    "closed": "Closed",
}


@pytest.fixture
def multisite(make_app, tmp_path):
    return multisite_app(make_app, tmp_path)


def status_path(message) -> str:
    """Return the path of the status link in a family email; both bodies carry it."""
    text, html = bodies(message)
    (path,) = {match[0] for match in STATUS_LINK.findall(text)}
    assert f'href="http://127.0.0.1:5000{path}"' in html
    return path


def state_shown(app, client, path: str, lang: str) -> str:
    """Return which of the four states the status page shows, checking it shows exactly one."""
    html = client.get(path).get_data(as_text=True)
    (label,) = re.findall(r'<strong class="state-label">(.*?)</strong>', html, re.S)
    shown = [key for key, msgid in STATE_LABELS.items() if translate(app, lang, msgid) == label]
    assert len(shown) == 1, label
    return shown[0]


# ---- pure logic ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lead_status", "hop", "expected"),
    [
        ("open", 0, status.RECEIVED),
        ("open", 2, status.FORWARDED),
        ("contacted", 0, status.CONTACTED),
        ("contacted", 1, status.CONTACTED),
        ("not_suitable", 0, status.CLOSED),
        ("not_suitable", 1, status.CLOSED),
    ],
)
def test_the_family_state_follows_the_sites_word_first(lead_status, hop, expected):
    assert status.family_state(lead_status, hop) == expected


def test_the_state_dates_from_the_step_that_made_it():
    steps = [
        {"action": "received", "at": "2026-01-01T10:00:00"},
        {"action": "reminded", "at": "2026-01-03T10:00:00"},
        {"action": "forwarded", "at": "2026-01-04T10:00:00"},
        {"action": "received", "at": "2026-01-04T10:00:00"},
        {"action": "contacted", "at": "2026-01-05T09:00:00"},
    ]
    assert status.since(steps, status.CONTACTED) == "2026-01-05T09:00:00"
    assert status.since(steps, status.FORWARDED) == "2026-01-04T10:00:00"
    assert status.since(steps[:2], status.RECEIVED) == "2026-01-01T10:00:00"


def test_a_status_token_is_signed_and_expires_with_the_request():
    token = tokens.STATUS.make("key", 7, "TF-ACDEFGHJ")
    assert tokens.STATUS.read("key", token) == (7, "TF-ACDEFGHJ")
    with pytest.raises(tokens.BadLink):
        tokens.STATUS.read("another key", token)
    with pytest.raises(tokens.BadLink):
        tokens.STATUS.read("key", token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))
    old = tokens.STATUS.make("key", 7, "TF-ACDEFGHJ", clock=lambda: time.time() - 181 * 86400)
    with pytest.raises(tokens.BadLink):
        tokens.STATUS.read("key", old)
    # A leads link (another salt) is no status link.

    with pytest.raises(tokens.BadLink):
        tokens.STATUS.read("key", tokens.STAFF.make("key", 7, 0))


# ---- the page, after each thing a site does -------------------------------------------------


def test_the_status_page_follows_the_request_and_shows_nothing_typed(app, client, smtp):
    reference = reference_of(post(client, "es"))
    (copy,) = smtp.to(EMAIL)
    path = status_path(copy)
    assert path.startswith("/es/requests/")  # the family's language
    page = client.get(path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "same-origin"
    assert reference in html and "Hospital Universitario La Paz" in html and LA_PAZ in html
    for private in (FIRST, LAST, EMAIL, "612 34 56 78", "+34612345678", "Lucía", "28013"):
        assert private not in html
    assert state_shown(app, client, path, "es") == "received"
    assert len(smtp.messages) == 2 and leads(app)[0].history is None  # GET changed nothing

    staff = link_in(smtp.to(LA_PAZ)[0])
    client.post(staff, data={"action": "contacted"})
    assert state_shown(app, client, path, "es") == "contacted"
    subject = translate(app, "es", CONTACTED_SUBJECT, reference=reference)
    (told,) = [message for message in smtp.to(EMAIL) if message["Subject"] == subject]
    # The same request (a link signed a second later differs only in its time and signature).
    assert status_path(told).split(".")[0] == path.split(".")[0] and told["Reply-To"] == LA_PAZ
    for body in bodies(told):
        assert FIRST not in body and LAST not in body  # no name, even from the site's email

    client.post(staff, data={"action": "not_suitable"})
    assert state_shown(app, client, path, "es") == "closed"
    assert client.get(path.replace("/es/", "/ar/")).status_code == 200  # any language


def test_a_forwarded_request_names_the_new_hospital(multisite, smtp):
    client = multisite.test_client()
    post(client, "ar", MULTI, postal_code="28013")  # Madrid: Hospital Norte
    path = status_path(smtp.to(EMAIL)[0])
    assert "Hospital Norte" in client.get(path).get_data(as_text=True)
    old = link_in(smtp.to("madrid@hospital.test")[0])
    barcelona = site_id(multisite, "Hospital del Mar")
    client.post(old, data={"action": "forward", "site": str(barcelona)})
    assert state_shown(multisite, client, path, "ar") == "forwarded"
    html = client.get(path).get_data(as_text=True)
    assert "Hospital del Mar (Barcelona)" in html and "barcelona@hospital.test" in html
    assert 'dir="rtl"' in html
    new = link_in(smtp.to("barcelona@hospital.test")[0])
    client.post(new, data={"action": "contacted"})
    assert state_shown(multisite, client, path, "ar") == "contacted"
    told = smtp.to(EMAIL)[-1]
    assert told["Reply-To"] == "barcelona@hospital.test"  # the team that holds it now


@pytest.mark.parametrize("lang", ["es", "ar"])
def test_an_altered_or_unknown_link_is_the_ordinary_not_found(app, client, smtp, lang):
    post(client, lang)
    path = status_path(smtp.to(EMAIL)[0])
    for bad in (path[:-3] + "xyz", f"/{lang}/requests/nothing", path + "x"):
        answer = client.get(bad)
        assert answer.status_code == 404
        assert translate(app, lang, NOT_FOUND) in answer.get_data(as_text=True)


def test_a_link_opens_nothing_once_its_request_is_purged_even_when_the_id_comes_back(
    app, client, smtp, runner
):
    """SQLite reuses the ids of deleted rows: the old link must not show the new request."""
    post(client, "en")
    old_path = status_path(smtp.to(EMAIL)[0])
    old_ids = {row.message_id for row in outbox_rows(app)}
    (old_lead,) = leads(app)
    with app.app_context():
        db.session.execute(update(Lead).values(created_at=Lead.created_at - timedelta(days=200)))
        db.session.commit()
    assert (
        "deleted 1 lead(s) and 2 email(s)"
        in runner.invoke(args=["leads", "purge", "--older-than", "180"]).output
    )
    assert client.get(old_path).status_code == 404
    reference = reference_of(post(client, "en"))
    (new_lead,) = leads(app)
    assert new_lead.id == old_lead.id and new_lead.reference == reference  # the id came back
    assert client.get(old_path).status_code == 404
    new_rows = outbox_rows(app)
    assert {row.id for row in new_rows} == {1, 2}  # the outbox ids came back too...
    received = [message["Message-ID"] for message in smtp.messages]
    assert len(received) == 4 and len(set(received)) == 4  # ...but no Message-ID repeats
    assert {row.message_id for row in new_rows} == set(received[2:])
    assert not old_ids & set(received[2:])


# ---- a person to reach ----------------------------------------------------------------------


def test_the_contact_setting_is_the_reply_to_of_every_family_email(make_app, smtp):
    app = make_app(CONTACT_EMAIL="ensayos@hospital.test")
    client = app.test_client()
    reference = reference_of(post(client, "fr"))
    client.post(link_in(smtp.to(LA_PAZ)[0]), data={"action": "contacted"})
    family = smtp.to(EMAIL)
    assert len(family) == 2
    assert {message["Reply-To"] for message in family} == {"ensayos@hospital.test"}
    assert smtp.to(LA_PAZ)[0]["Reply-To"] == EMAIL  # the site still answers the family
    page = confirmation(client, reference, "fr")
    assert 'href="mailto:ensayos@hospital.test"' in page
    assert translate(app, "fr", "How to reach the study team") in page
    path = status_path(family[0])
    assert 'href="mailto:ensayos@hospital.test"' in client.get(path).get_data(as_text=True)


def test_the_confirmation_page_shows_the_team_and_the_status_link(app, client, smtp):
    reference = reference_of(post(client, "en"))
    page = confirmation(client, reference)
    assert f'href="mailto:{LA_PAZ}"' in page and "Quote your reference " + reference in page
    (link,) = re.findall(r'class="status-link" href="(/en/requests/[^"]+)"', page)
    assert client.get(link).status_code == 200


# ---- nothing a stranger typed reaches an address --------------------------------------------

LURE = "URGENTE: confirme en https://evil.example/pago"


@pytest.mark.parametrize(
    "name",
    [
        "Ana. " + LURE,
        "Ana www.pago-seguro.es",
        "Ana evil.example",
        "ana@evil.example",
        "Ｈｔｔｐｓ：／／evil",  # full-width letters, folded before the check
    ],
)
@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_a_name_with_a_link_is_refused_with_a_clear_message(app, client, smtp, name, field):
    answer = post(client, "es", **{field: name})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and 'role="alert"' in html
    message = translate(app, "es", "Please write only a name here, without web addresses or links.")
    assert message in html
    assert leads(app) == [] and smtp.messages == []


@pytest.mark.parametrize("name", ["Zuriñe", "J.R.", "María José", "O'Neill", "محمد", "Mª.José"])
def test_real_names_are_still_accepted(client, smtp, name):
    reference_of(post(client, "es", first_name=name))


def test_the_familys_copy_holds_nothing_typed_even_a_hostile_message(app, client, smtp):
    hostile = f"{LURE} <a href='https://evil.example'>pagar</a> +34 600 000 000"
    reference = reference_of(post(client, "es", message=hostile, city="evil.example"))
    (copy,) = smtp.to(EMAIL)
    text, html = bodies(copy)
    for typed in ("evil", "URGENTE", "pagar", "600 000 000", FIRST, LAST, "28013", "Lucía"):
        assert typed not in text and typed not in html and typed not in copy["Subject"]
    assert reference in text and "Hospital Universitario La Paz" in text
    assert copy["Reply-To"] == LA_PAZ
    staff_text, _html = bodies(smtp.to(LA_PAZ)[0])
    assert LURE in staff_text  # the team still reads the message, where it belongs


def test_message_ids_are_stored_when_queued(app, client, smtp):
    post(client, "en")
    rows = outbox_rows(app)
    assert all(re.fullmatch(r"<[0-9a-f]{32}@127\.0\.0\.1>", row.message_id) for row in rows)
    assert sorted(message["Message-ID"] for message in smtp.messages) == sorted(
        row.message_id for row in rows
    )
    with app.app_context():
        assert db.session.scalar(select(OutboxMessage.message_id).limit(1))
