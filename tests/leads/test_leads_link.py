"""The staff link: GET shows the lead and changes nothing; POSTs acknowledge or forward it."""

import time

import pytest
from markupsafe import escape

from tests.conftest import translate
from tests.contact.test_contact_delivery import LA_PAZ
from tests.contact_support import (
    EMAIL,
    FIRST,
    LAST,
    MESSAGE,
    MULTI,
    bodies,
    leads,
    post,
    reference_of,
)
from tests.leads_support import link_in, multisite_app, site_id
from trialfinder.leads import tokens

NOT_FOUND = "We could not find this page. It may have moved."


@pytest.fixture
def multisite(make_app, tmp_path):
    return multisite_app(make_app, tmp_path)


CONTACTED_SUBJECT = "Your request %(reference)s: the study team has it"


def test_email_link_get_changes_nothing_then_contacted_tells_the_family_once(app, client, smtp):
    reference = reference_of(post(client, "en"))
    (staff,) = smtp.to(LA_PAZ)
    path = link_in(staff)
    assert path.startswith("/es/leads/")  # the staff language of La Paz
    page = client.get(path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert page.headers["Referrer-Policy"] == "same-origin"
    assert "no-store" in page.headers["Cache-Control"]
    for shown in (FIRST, LAST, EMAIL, "+34612345678", MESSAGE.replace("'", "&#39;"), reference):
        assert shown in html
    assert "Hospital Universitario La Paz" in html
    assert translate(app, "es", "Nobody has recorded an answer to this request yet.") in html
    assert len(smtp.messages) == 2  # opening the link sent nothing, changed nothing
    (lead,) = leads(app)
    assert lead.status == "open" and lead.history is None
    for _press in range(3):
        answer = client.post(path, data={"action": "contacted"})
        assert answer.status_code == 303 and answer.headers["Location"].endswith(path)
    subject = translate(app, "en", CONTACTED_SUBJECT, reference=reference)
    told = [message for message in smtp.to(EMAIL) if message["Subject"] == subject]
    assert len(told) == 1 and "Hospital Universitario La Paz" in bodies(told[0])[0]
    assert told[0]["Content-Language"] == "en" and LAST not in told[0]["Subject"]
    after = client.get(path).get_data(as_text=True)
    assert translate(app, "es", "Record what you did") in after
    assert 'value="contacted"' not in after and 'value="not_suitable"' in after
    (lead,) = leads(app)
    assert lead.status == "contacted" and lead.acknowledged_at is not None


def test_not_suitable_records_the_state_and_mails_nobody(app, client, smtp):
    post(client, "fr")
    path = link_in(smtp.to(LA_PAZ)[0])
    assert client.post(path, data={"action": "not_suitable"}).status_code == 303
    assert len(smtp.messages) == 2  # the lead email and the family's copy, nothing more
    (lead,) = leads(app)
    assert lead.status == "not_suitable"


def test_staff_subjects_hold_no_personal_data(app, client, smtp):
    post(client, "en")
    (staff,) = smtp.to(LA_PAZ)
    for private in (FIRST, LAST, EMAIL, "612"):
        assert private not in staff["Subject"]


def test_forward_mails_the_new_site_its_own_link_and_the_old_link_says_where(multisite, smtp):
    client = multisite.test_client()
    post(client, "en", MULTI, postal_code="28013")  # Madrid: Hospital Norte
    old = link_in(smtp.to("madrid@hospital.test")[0])
    page = client.get(old).get_data(as_text=True)
    assert "Hospital del Mar (Barcelona)" in page and "Hospital Centro" not in page  # closed
    barcelona = site_id(multisite, "Hospital del Mar")
    answer = client.post(old, data={"action": "forward", "site": str(barcelona)})
    assert answer.status_code == 303
    (forwarded,) = smtp.to("barcelona@hospital.test")  # from the operator file, in Catalan
    assert forwarded["Content-Language"] == "ca"
    new = link_in(forwarded)
    assert new.startswith("/ca/leads/") and new != old
    moved = client.get(old).get_data(as_text=True)
    assert "Hospital del Mar" in moved and 'name="action"' not in moved
    assert client.post(old, data={"action": "contacted"}).status_code == 303
    (lead,) = leads(multisite)
    assert lead.status == "open" and lead.site_facility == "Hospital del Mar"  # old link inert
    assert client.post(new, data={"action": "contacted"}).status_code == 303
    (told,) = [m for m in smtp.to(EMAIL) if "Hospital del Mar" in bodies(m)[0]]
    assert "Barcelona" in bodies(told)[1]


def test_forward_to_a_site_not_offered_is_refused(multisite, smtp):
    client = multisite.test_client()
    post(client, "en", MULTI, postal_code="28013")
    path = link_in(smtp.to("madrid@hospital.test")[0])
    closed = site_id(multisite, "Hospital Centro (closed)")
    answer = client.post(path, data={"action": "forward", "site": str(closed)})
    assert answer.status_code == 400
    assert translate(multisite, "es", "Please choose a hospital.") in answer.get_data(as_text=True)
    assert len(smtp.messages) == 2


@pytest.mark.parametrize("days, found", [(29, True), (31, False)])
def test_links_expire_after_30_days(app, client, smtp, days, found):
    post(client, "en")
    (lead,) = leads(app)
    made = time.time() - days * 86400
    token = tokens.STAFF.make("test-secret", lead.id, 0, clock=lambda: made)
    response = client.get(f"/ca/leads/{token}")
    assert response.status_code == (200 if found else 404)
    if not found:
        html = response.get_data(as_text=True)
        assert '<html lang="ca"' in html
        assert escape(translate(app, "ca", NOT_FOUND)) in html
        assert FIRST not in html and "expired" not in html.lower()


@pytest.mark.parametrize(
    "change",
    [
        # Not the last character: its low bits are padding, and some changes decode the same.
        lambda token: token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:],
        lambda token: token.replace(".", "x", 1),
        lambda token: "x" * 60,
        lambda token: tokens.STAFF.make("another-secret", 1, 0),
    ],
    ids=["signature", "payload", "garbage", "other-secret"],
)
def test_tampered_links_are_a_plain_404_in_the_site_language(app, client, smtp, change):
    post(client, "en")
    path = link_in(smtp.to(LA_PAZ)[0])
    token = path.rsplit("/", 1)[1]
    response = client.get(f"/fr/leads/{change(token)}")
    html = response.get_data(as_text=True)
    assert response.status_code == 404 and '<html lang="fr"' in html
    assert escape(translate(app, "fr", NOT_FOUND)) in html
    for leaked in (FIRST, EMAIL, "signature", "BadSignature", "Traceback"):
        assert leaked not in html
    refused = client.post(f"/fr/leads/{change(token)}", data={"action": "contacted"})
    assert refused.status_code == 404
    assert leads(app)[0].status == "open"


def test_posts_need_the_csrf_token(make_app, smtp):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        from trialfinder.extensions import db
        from trialfinder.leads.models import Lead

        lead = Lead(reference="TF-CSRF0001", nct_id="NCT06709469", lang="en",
                    first_name=FIRST, last_name=LAST, email=EMAIL, preferred_language="en",
                    respondent="self", country="ES", message=MESSAGE,
                    site_facility="Hospital Universitario La Paz", site_city="Madrid",
                    staff_email=LA_PAZ)  # fmt: skip
        db.session.add(lead)
        db.session.commit()
        token = tokens.STAFF.make("test-secret", lead.id, 0)
    path = f"/es/leads/{token}"
    refused = client.post(path, data={"action": "contacted"})
    assert refused.status_code == 400 and leads(app)[0].status == "open"
    html = client.get(path).get_data(as_text=True)
    csrf = html.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    accepted = client.post(path, data={"action": "contacted", "csrf_token": csrf})
    assert accepted.status_code == 303 and leads(app)[0].status == "contacted"
    assert len(smtp.to(EMAIL)) == 1
