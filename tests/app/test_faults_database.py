"""A busy or locked database: an honest 503, nothing half saved, and it works again after."""

import pytest
from sqlalchemy import select

from tests.alerts.test_alerts_signup import form_data as alert_form
from tests.conftest import NCT
from tests.contact_support import post
from tests.notes.test_notes_views import WRONG, share, token_of
from tests.security_support import count, write_lock
from trialfinder.alerts.models import Subscriber
from trialfinder.extensions import db
from trialfinder.leads.models import Lead
from trialfinder.notes.models import SharedNotes
from trialfinder.outbox.models import OutboxMessage

NOTHING_SAVED = "what you sent was not saved"


@pytest.fixture
def app(make_app):
    # A write waits a tenth of a second for the lock, not 30: the test stays quick.
    return make_app(DATABASE_TIMEOUT=0.1)


def assert_nothing_kept(app) -> None:
    for model in (Lead, Subscriber, SharedNotes, OutboxMessage):
        assert count(app, model) == 0, model.__name__


def test_a_contact_request_during_a_lock_is_refused_honestly_and_kept_nowhere(
    app, client, smtp, caplog
):
    with write_lock(app):
        response = post(client, "en")
        html = response.get_data(as_text=True)
        assert response.status_code == 503 and response.headers["Retry-After"] == "30"
        assert "Nothing was saved" in html and NOTHING_SAVED in html
        assert "Zuriñe" not in html
        localized = post(client, "fr")
        assert localized.status_code == 503
        assert '<html lang="fr"' in localized.get_data(as_text=True)
        # Reading still works while another process writes (WAL).
        assert client.get(f"/en/trials/{NCT}/contact").status_code == 200
    assert_nothing_kept(app)
    assert smtp.messages == []
    assert "database unavailable on POST" in caplog.text and "Zuri" not in caplog.text
    assert post(client, "en").status_code == 303  # the lock is gone: sending again works
    assert count(app, Lead) == 1 and count(app, OutboxMessage) == 2 and len(smtp.messages) == 2


def test_an_alert_sign_up_during_a_lock_keeps_and_sends_nothing(app, client, smtp):
    with write_lock(app):
        response = client.post("/es/alerts", data=alert_form())
        assert response.status_code == 503
        assert '<html lang="es"' in response.get_data(as_text=True)
    assert_nothing_kept(app)
    assert smtp.messages == []
    assert client.post("/en/alerts", data=alert_form()).status_code == 302
    assert count(app, Subscriber) == 1 and len(smtp.messages) == 1


def test_sharing_notes_during_a_lock_answers_a_json_503(app, client):
    body = {"trial": NCT, "lang": "en", "notes": [{"quote": "q", "text": "t"}]}
    with write_lock(app):
        response = client.post("/api/v1/notes", json=body)
        assert response.status_code == 503
        assert NOTHING_SAVED in response.get_json()["error"]
        assert response.headers["Retry-After"] == "30"
    assert_nothing_kept(app)
    assert client.post("/api/v1/notes", json=body).status_code == 201


def test_a_passcode_tried_during_a_lock_costs_no_try(app, client):
    path, passcode = share(client)
    with write_lock(app):
        assert client.post(path, data={"passcode": WRONG}).status_code == 503
        assert client.post(path, data={"passcode": passcode}).status_code == 503
    with app.app_context():
        row = db.session.get(SharedNotes, token_of(path))
        assert row.failed_attempts == 0 and not row.locked
    assert client.post(path, data={"passcode": passcode}).status_code == 200


def test_the_outbox_worker_says_the_database_is_busy_and_loses_nothing(app, client, runner):
    post(client, "en")  # no mail server: both emails wait
    with write_lock(app):
        result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 1
    assert "database is busy" in result.output and "Traceback" not in result.output
    with app.app_context():
        assert set(db.session.scalars(select(OutboxMessage.status))) == {"pending"}
    assert "pending 2" in runner.invoke(args=["outbox", "status"]).output
