"""A request reaches the site and the family, in their languages, through outages and rejections."""

import threading

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import NCT, Inbox, translate
from tests.contact_support import (
    EMAIL,
    FIRST,
    LAST,
    MULTI,
    bodies,
    leads,
    multisite_content,
    outbox_rows,
    post,
    reference_of,
)
from tests.prescreen_support import put_state, read_state
from trialfinder.outbox import state

LA_PAZ = "lapaz-coordinator@example.org"
SAVED_NOT_SENT = "It will be sent as soon as our mail server is back."


def confirmation(client, reference: str, lang: str = "en", nct: str = NCT) -> str:
    response = client.get(f"/{lang}/trials/{nct}/contact/sent/{reference}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_request_reaches_the_site_and_a_copy_reaches_the_family(client, app, smtp):
    reference = reference_of(post(client, "en"))
    assert len(smtp.messages) == 2
    (staff,) = smtp.to(LA_PAZ)
    (copy,) = smtp.to(EMAIL)
    # The staff email is in the staff's language (es for La Paz), the family's copy in theirs.
    assert staff["Subject"] == translate(
        app, "es", "Contact request %(reference)s about %(nct)s", reference=reference, nct=NCT
    )
    # Each side's replies reach the other: the staff reach the family, the family the site.
    assert staff["Reply-To"] == EMAIL and copy["Reply-To"] == LA_PAZ
    assert FIRST not in copy["Subject"] and reference in copy["Subject"]
    staff_text, staff_html = bodies(staff)
    for body in (staff_text, staff_html):
        assert FIRST in body and LAST in body and EMAIL in body and "+34612345678" in body
        assert "Hospital Universitario La Paz" in body
        assert translate(app, "es", "less than %(distance)s", distance="10 km") in body
    assert "eligible" not in " ".join(bodies(copy)).lower()
    for body in bodies(copy):  # the reference, the trial, the hospital and the status link
        assert reference in body and NCT in body and "Hospital Universitario La Paz" in body
        assert "http://127.0.0.1:5000/en/requests/" in body
    page = confirmation(client, reference)
    assert reference in page and "Hospital Universitario La Paz" in page
    assert "less than 10 km" in page and "We have sent your request" in page
    (lead,) = leads(app)
    assert lead.reference == reference and lead.staff_email == LA_PAZ


@pytest.fixture
def multisite(make_app, tmp_path):
    """An app serving only the multi-site test trial, with its operator file."""
    return make_app(CONTENT_DIR=str(multisite_content(tmp_path)))


def test_staff_read_their_language_and_the_family_reads_the_page_language(multisite, smtp):
    client = multisite.test_client()
    reference = reference_of(post(client, "ar", MULTI, postal_code="08001"))
    (staff,) = smtp.to("barcelona@hospital.test")  # from the operator file, not the registry
    (copy,) = smtp.to(EMAIL)
    assert staff["Content-Language"] == "ca" and copy["Content-Language"] == "ar"
    staff_text, staff_html = bodies(staff)
    copy_text, copy_html = bodies(copy)
    assert "Espanya" in staff_text and '<html lang="ca" dir="ltr">' in staff_html
    assert "Hospital del Mar" in copy_text and '<html lang="ar" dir="rtl">' in copy_html
    assert "/ar/requests/" in copy_text and copy["Reply-To"] == "barcelona@hospital.test"
    assert "إسبانيا" not in copy_text  # nothing typed into the form: not even the country
    assert "espanyol" in staff_text  # and named in Catalan for the staff
    assert reference in staff["Subject"] and MULTI in staff["Subject"]
    page = confirmation(client, reference, "ar", MULTI)
    assert 'dir="rtl"' in page and "Hospital del Mar" in page


@pytest.mark.parametrize(
    ("visitor", "recipient", "site"),
    [
        ({"postal_code": "28013"}, "madrid@hospital.test", "Hospital Norte"),
        ({"postal_code": "41001"}, "sevilla@hospital.test", "Hospital Virgen del Rocío"),
        (
            {"country": "PT", "postal_code": "1000-001", "city": "Lisboa", "phone": ""},
            "lisboa@hospital.test",
            "Hospital de Santa Maria",
        ),
        ({"lat": "41.39", "lon": "2.17"}, "barcelona@hospital.test", "Hospital del Mar"),
    ],
)
def test_each_request_goes_to_the_nearest_recruiting_site(
    multisite, smtp, visitor, recipient, site
):
    client = multisite.test_client()
    reference = reference_of(post(client, "es", MULTI, **visitor))
    assert len(smtp.to(recipient)) == 1
    assert site in confirmation(client, reference, "en", MULTI)
    # Staff read their own language: Barcelona's from sites.yaml, Lisbon's from its country.
    staff_language = {"barcelona": "ca", "lisboa": "pt"}.get(recipient.split("@")[0], "es")
    assert smtp.to(recipient)[0]["Content-Language"] == staff_language


COIMBRA = {"country": "PT", "postal_code": "", "city": "Coimbra", "phone": ""}


def test_a_family_in_coimbra_without_a_postal_code_reaches_the_nearest_site(multisite, smtp):
    client = multisite.test_client()
    reference = reference_of(post(client, "pt", MULTI, **COIMBRA))
    assert len(smtp.messages) == 2
    (staff,) = smtp.to("lisboa@hospital.test")  # about 180 km; Madrid and Sevilla are near 400
    (copy,) = smtp.to(EMAIL)
    assert copy["Content-Language"] == "pt"
    (lead,) = leads(multisite)
    assert lead.site_facility == "Hospital de Santa Maria" and not lead.central
    assert 170 < lead.distance_km < 185
    staff_text, staff_html = bodies(staff)
    placed = translate(  # the Lisbon team reads Portuguese
        multisite, "pt", "Location worked out from the town (%(place)s).", place="Coimbra"
    )
    assert placed in staff_text
    for body in (staff_text, staff_html):
        assert ": Coimbra, Portugal" in body or ">Coimbra, Portugal<" in body  # no stray space
    page = confirmation(client, reference, "pt", MULTI)
    assert "Hospital de Santa Maria" in page and reference in page


def test_the_shipped_trial_routes_coimbra_by_the_town_too(client, app, smtp):
    reference_of(post(client, "pt", **COIMBRA))
    assert len(smtp.to(LA_PAZ)) == 1
    (lead,) = leads(app)
    assert (
        lead.site_facility == "Hospital Universitario La Paz" and lead.location_label == "Coimbra"
    )
    assert 395 < lead.distance_km < 405


def test_an_unresolvable_visitor_is_asked_for_the_town_before_anything_is_sent(multisite, smtp):
    client = multisite.test_client()
    response = post(client, "en", MULTI, postal_code="99999", city="Atlantis")
    assert response.status_code == 200  # the form again, not a confirmation
    assert "We could not find this place." in response.get_data(as_text=True)
    assert smtp.messages == [] and leads(multisite) == []
    # With a town that exists, the request goes to the nearest site, never to a first one.
    reference_of(post(client, "en", MULTI, postal_code="", city="Sabadell"))
    assert len(smtp.to("barcelona@hospital.test")) == 1 and smtp.to("central@trial.test") == []


def test_an_outage_keeps_every_request_and_delivers_each_once_later(client, app, smtp_port, runner):
    references = [reference_of(post(client, "en", first_name=f"Ana{n}")) for n in range(3)]
    for reference in references:
        page = confirmation(client, reference)
        assert reference in page and SAVED_NOT_SENT in page
    assert len(leads(app)) == 3
    rows = outbox_rows(app)
    assert len(rows) == 6 and {row.status for row in rows} == {state.PENDING}
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        assert "sent 6, still pending 0" in runner.invoke(args=["outbox", "send"]).output
        assert "sent 0, still pending 0" in runner.invoke(args=["outbox", "send"]).output
    finally:
        controller.stop()
    assert len(inbox.messages) == 6
    assert len({message["Message-ID"] for message in inbox.messages}) == 6
    for reference in references:
        assert len([m for m in inbox.messages if reference in m["Subject"]]) == 2
        assert "We have sent your request" in confirmation(client, reference)


def test_a_permanent_rejection_of_the_staff_address_is_told_and_not_retried(
    client, app, smtp, runner
):
    smtp.reject.add(LA_PAZ)
    reference = reference_of(post(client, "en"))
    assert len(smtp.to(EMAIL)) == 1 and smtp.to(LA_PAZ) == []
    page = confirmation(client, reference).replace("&#39;", "’")
    assert reference in page and "mail server did not accept it" in page
    statuses = {row.kind: row.status for row in outbox_rows(app)}
    assert statuses == {"lead_staff": state.FAILED, "lead_confirmation": state.SENT}
    runner.invoke(args=["outbox", "send"])
    assert len(smtp.messages) == 1
    status = runner.invoke(args=["outbox", "status"]).output
    assert "failed 1" in status and "SMTP 550" in status


def test_concurrent_requests_are_each_stored_and_mailed_exactly_once(app, smtp):
    count, errors, references = 12, [], []

    def visitor(n: int) -> None:
        try:
            response = post(app.test_client(), "es", first_name=f"Visitor{n}")
            references.append(reference_of(response))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=visitor, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    stored = leads(app)
    assert len(stored) == count and len({lead.reference for lead in stored}) == count
    assert sorted(lead.first_name for lead in stored) == sorted(f"Visitor{n}" for n in range(count))
    assert len(smtp.messages) == 2 * count
    assert len({message["Message-ID"] for message in smtp.messages}) == 2 * count
    for reference in references:
        assert sorted(m["To"] for m in smtp.messages if reference in m["Subject"]) == sorted(
            [EMAIL, LA_PAZ]
        )
    assert {row.status for row in outbox_rows(app)} == {state.SENT}


def test_shared_questionnaire_answers_reach_the_staff_only_when_ticked(client, app, smtp):
    from trialfinder.prescreen.sharing import staff_summary

    answers = {"respondent": "child", "age_years": 12, "diagnosis": "b_all", "cd22": "positive"}
    with app.test_request_context():
        summary = staff_summary(NCT, answers, "es")  # La Paz staff read Spanish
    diagnosis = dict(summary["answers"])
    marker = next(label for question, label in summary["answers"] if "B-ALL" in label)
    assert diagnosis and summary["arm"] == "A"
    put_state(client, app, shared=answers)
    reference_of(post(client, "en", share_prescreen="y"))
    staff_text, staff_html = bodies(smtp.to(LA_PAZ)[0])
    assert marker in staff_text and summary["fit"] in staff_text
    assert marker in staff_html.replace("&#39;", "'")
    copy_text, copy_html = bodies(smtp.to(EMAIL)[0])
    assert marker not in copy_text + copy_html  # the family's copy holds no answers at all
    assert "questionnaire" not in copy_text
    assert leads(app)[0].prescreen == answers
    assert NCT not in read_state(client, app).get("shared", {})  # handed over, then forgotten

    put_state(client, app, shared=answers)
    reference_of(post(client, "en"))  # not ticked
    assert marker not in "".join(bodies(smtp.to(LA_PAZ)[1]))
    assert leads(app)[1].prescreen is None
