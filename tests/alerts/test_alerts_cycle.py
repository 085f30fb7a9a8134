"""Opt-in, alerts and unsubscribing end to end, against a real SMTP server and SQLite file."""

import json
import re
import time
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from flask_babel import force_locale
from sqlalchemy import func, inspect, select

from tests.conftest import NCT, ROOT, Inbox, translate
from trialfinder import create_app
from trialfinder.alerts import tokens
from trialfinder.alerts.digest import digest_items, distance_away, load_trials
from trialfinder.alerts.matching import Match
from trialfinder.alerts.models import AlertSent, Subscriber
from trialfinder.extensions import db
from trialfinder.lib.locales import LOCALES
from trialfinder.outbox.models import OutboxMessage
from trialfinder.trials.labels import record_ages, trial_ages

CONDITION = "Precursor Cell Lymphoblastic Leukemia-Lymphoma"
EMAIL = "ana@example.com"
BASE = "http://127.0.0.1:5000"


def sign_up(client, lang: str = "en", **overrides) -> None:
    data = {
        "email": EMAIL,
        "language": lang,
        "interests": [CONDITION],
        "age_years": "12",
        "country": "ES",
        "postal_code": "28046",
        "consent": "y",
    } | overrides
    response = client.post(f"/{lang}/alerts", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(("html",)).get_content()


def link(message, kind: str) -> str:
    """Return the path of the first link of a kind ('confirm', 'unsubscribe') in a message."""
    match = re.search(rf"{re.escape(BASE)}(/\w+/alerts/{kind}/\S+)", text_of(message))
    assert match, f"no {kind} link in:\n{text_of(message)}"
    return match.group(1)


def alerts_send(runner) -> str:
    result = runner.invoke(args=["alerts", "send"])
    assert result.exit_code == 0, result.output
    return result.output


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def subscriber(app) -> Subscriber | None:
    with app.app_context():
        row = db.session.scalar(select(Subscriber))
        if row is not None:
            db.session.expunge(row)
        return row


def reimport_changed(runner, tmp_path, **changes) -> None:
    """Import the trial again with a changed registry text: a new version."""
    record = json.loads((ROOT / "content" / "trials" / NCT / "record.json").read_text("utf-8"))
    record["protocolSection"]["descriptionModule"]["briefSummary"] += " (updated)"
    for key, value in changes.items():
        record["protocolSection"]["eligibilityModule"][key] = value
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    result = runner.invoke(args=["trials", "import", str(path)])
    assert f"{NCT} changed" in result.output, result.output


def test_the_whole_opt_in_alert_and_unsubscribe_cycle(app, client, runner, smtp, tmp_path):
    sign_up(client)
    (confirmation,) = smtp.to(EMAIL)
    assert confirmation["Subject"] == "Confirm your trial alerts"
    assert "7 days" in text_of(confirmation)
    assert "List-Unsubscribe" not in confirmation

    assert "queued 0 digest(s)" in alerts_send(runner)
    assert len(smtp.to(EMAIL)) == 1, "an alert went to an unconfirmed address"

    path = link(confirmation, "confirm")
    for _scanner in range(2):  # opening the link (a mail scanner does) confirms nothing
        page = client.get(path)
        assert page.status_code == 200 and "Confirm my alerts" in page.get_data(as_text=True)
        assert page.headers["Cache-Control"] == "no-store"
    assert subscriber(app).confirmed_at is None
    assert "queued 0 digest(s)" in alerts_send(runner)
    page = client.post(path, follow_redirects=True)
    assert page.status_code == 200 and "Your trial alerts are on" in page.get_data(as_text=True)

    assert "queued 1 digest(s) listing 1 trial(s); sent 1 now" in alerts_send(runner)
    digest = smtp.to(EMAIL)[-1]
    assert digest["Subject"] == "Trial alert: 1 trial about the conditions you chose"
    assert f"{BASE}/en/trials/{NCT}/" in text_of(digest)
    assert "Hospital Universitario La Paz, Madrid (less than 10 km away)" in text_of(digest)
    assert f'href="{BASE}/en/trials/{NCT}/"' in html_of(digest)
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    one_click = re.fullmatch(r"<(\S+)>", digest["List-Unsubscribe"]).group(1)
    assert one_click.startswith(f"{BASE}/en/alerts/unsubscribe/") and one_click.endswith(
        "/one-click"
    )
    assert "Stop these alerts" in html_of(digest) and link(digest, "unsubscribe")

    assert "queued 0 digest(s)" in alerts_send(runner)
    assert len(smtp.to(EMAIL)) == 2, "the same trial version was sent twice"

    reimport_changed(runner, tmp_path)
    assert "queued 1 digest(s) listing 1 trial(s)" in alerts_send(runner)
    assert "new, or have changed since our last email" in text_of(smtp.to(EMAIL)[-1])
    assert "queued 0 digest(s)" in alerts_send(runner)
    assert len(smtp.to(EMAIL)) == 3

    response = client.post(one_click.removeprefix(BASE), data="List-Unsubscribe=One-Click")
    assert response.status_code == 200
    assert "Your trial alerts are stopped" in response.get_data(as_text=True)
    assert subscriber(app) is None
    assert count(app, AlertSent) == 0 and count(app, OutboxMessage) == 0  # nothing of hers is kept
    reimport_changed(runner, tmp_path, maximumAge="31 Years")
    assert "0 confirmed subscriber(s)" in alerts_send(runner)
    assert len(smtp.to(EMAIL)) == 3


def test_the_unsubscribe_button_asks_first_and_deletes(app, client, runner, smtp):
    sign_up(client, lang="es")
    client.post(link(smtp.to(EMAIL)[0], "confirm"))
    alerts_send(runner)
    path = link(smtp.to(EMAIL)[-1], "unsubscribe")
    assert path.startswith("/es/")
    page = client.get(path)
    assert page.status_code == 200 and subscriber(app) is not None  # a GET never unsubscribes
    assert f'action="{path}"' in page.get_data(as_text=True)
    response = client.post(path)
    assert response.headers["Location"] == "/es/alerts/unsubscribed"
    assert subscriber(app) is None
    assert client.get(path).headers["Location"] == "/es/alerts/unsubscribed"
    assert client.post(path + "/one-click").status_code == 200  # twice is harmless


def test_one_click_needs_no_csrf_token_but_the_button_does(app_config, smtp):
    app = create_app(app_config | {"WTF_CSRF_ENABLED": True})
    client, runner = app.test_client(), app.test_cli_runner()
    page = client.get("/en/alerts").get_data(as_text=True)
    csrf_token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    sign_up(client, csrf_token=csrf_token)
    confirm = link(smtp.to(EMAIL)[0], "confirm")
    forged = app.test_client().post(confirm)  # another site's form, or a scanner: no token
    assert forged.status_code == 400 and subscriber(app).confirmed_at is None
    page = client.get(confirm).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post(confirm, data={"csrf_token": token}).status_code == 303
    assert subscriber(app).confirmed_at is not None
    alerts_send(runner)
    digest = smtp.to(EMAIL)[-1]

    fresh = app.test_client()  # a mail app: no cookie, no session, no form token
    button = fresh.post(link(digest, "unsubscribe"))
    assert button.status_code == 400 and subscriber(app) is not None

    one_click = re.fullmatch(r"<(\S+)>", digest["List-Unsubscribe"]).group(1)
    response = fresh.post(
        one_click.removeprefix(BASE),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200 and subscriber(app) is None


def test_a_mail_app_that_opens_the_one_click_link_gets_the_button(app, client, runner, smtp):
    sign_up(client)
    client.post(link(smtp.to(EMAIL)[0], "confirm"))
    alerts_send(runner)
    one_click = re.fullmatch(r"<(\S+)>", smtp.to(EMAIL)[-1]["List-Unsubscribe"]).group(1)
    response = client.get(one_click.removeprefix(BASE))
    assert response.status_code == 302 and subscriber(app) is not None
    assert "Stop my alerts" in client.get(response.headers["Location"]).get_data(as_text=True)


def altered(path: str) -> str:
    token = path.rsplit("/", 1)[1]
    middle = len(token) // 2
    return path.replace(
        token, token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]
    )


def test_altered_and_expired_links_change_nothing(app, client, runner, smtp):
    sign_up(client)
    path = link(smtp.to(EMAIL)[0], "confirm")
    assert client.get(altered(path)).status_code == 400
    response = client.post(altered(path))
    assert response.status_code == 400
    assert "This link does not work" in response.get_data(as_text=True)
    with app.app_context():
        row = db.session.scalar(select(Subscriber))
        eight_days_ago = time.time() - timedelta(days=8).total_seconds()
        old = tokens.make_link(
            app.secret_key,
            tokens.CONFIRM_SALT,
            tokens.LinkData(row.id, row.nonce),
            clock=lambda: eight_days_ago,
        )
    assert client.get(f"/en/alerts/confirm/{old}").status_code == 410
    response = client.post(f"/en/alerts/confirm/{old}")
    assert response.status_code == 410
    assert "This link has expired" in response.get_data(as_text=True)
    assert subscriber(app).confirmed_at is None
    assert client.get(altered(path.replace("confirm", "unsubscribe"))).status_code == 400
    alerts_send(runner)
    assert len(smtp.to(EMAIL)) == 1


def test_only_the_latest_confirmation_link_works(app, client, smtp):
    sign_up(client)
    sign_up(client, lang="fr")
    first, second = smtp.to(EMAIL)
    assert client.post(link(first, "confirm")).status_code == 410
    assert subscriber(app).confirmed_at is None
    assert link(second, "confirm").startswith("/fr/")
    assert client.post(link(second, "confirm")).status_code == 303
    assert subscriber(app).language == "fr"


def test_a_sign_up_cannot_change_a_confirmed_subscribers_choices_unseen(app, client, runner, smtp):
    sign_up(client)
    client.post(link(smtp.to(EMAIL)[0], "confirm"))
    sign_up(client, lang="fr", age_years="50", postal_code="")
    change = smtp.to(EMAIL)[-1]
    assert change["Subject"] == translate(app, "fr", "Confirm the changes to your trial alerts")
    row = subscriber(app)
    assert (row.language, row.age_years, row.postal_code) == ("en", 12, "28046")
    assert row.pending["age_years"] == 50

    alerts_send(runner)  # the alert still follows the confirmed choices
    assert f"{BASE}/en/trials/{NCT}/" in text_of(smtp.to(EMAIL)[-1])
    assert client.get(link(change, "confirm")).status_code == 200  # the button, nothing more
    assert subscriber(app).pending["age_years"] == 50
    assert client.post(link(change, "confirm")).status_code == 303
    row = subscriber(app)
    assert (row.language, row.age_years, row.postal_code, row.pending) == ("fr", 50, "", None)
    assert "queued 0 digest(s)" in alerts_send(runner)  # 50 is outside the trial's ages


def test_distance_and_age_decide_who_hears(app, client, runner, smtp):
    people = {
        "madrid@example.com": {"postal_code": "28001"},
        "barcelona@example.com": {"postal_code": "08001"},
        "abroad@example.com": {"country": "FR", "postal_code": "75001"},
        "adult@example.com": {"age_years": "45"},
        "any-age@example.com": {"age_years": "", "postal_code": ""},
    }
    for email, overrides in people.items():
        sign_up(client, email=email, **overrides)
        client.post(link(smtp.to(email)[0], "confirm"))
    alerts_send(runner)
    told = {email for email in people if len(smtp.to(email)) == 2}
    # Paris (75001) is placed now, 1,050 km from Madrid: as far as Barcelona, too far to be told.
    assert told == {"madrid@example.com", "any-age@example.com"}


@pytest.mark.parametrize("lang", LOCALES)
def test_emails_are_in_the_subscribers_language(app, client, runner, smtp, lang):
    sign_up(client, lang="en", language=lang)
    confirmation = smtp.to(EMAIL)[0]
    assert link(confirmation, "confirm").startswith(f"/{lang}/")
    client.post(link(confirmation, "confirm"))
    alerts_send(runner)
    html = html_of(smtp.to(EMAIL)[-1])
    assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in html
    assert f"{BASE}/{lang}/trials/{NCT}/" in html


def start_smtp(port: int) -> tuple[Inbox, Controller]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return inbox, controller


def test_nothing_is_lost_while_the_mail_server_is_down(app, client, runner, smtp_port):
    sign_up(client)  # the server is down: the page still answers
    with app.app_context():
        body = db.session.scalar(select(OutboxMessage.body_text))
    path = re.search(rf"{re.escape(BASE)}(/en/alerts/confirm/\S+)", body).group(1)
    assert client.post(path).status_code == 303
    assert "sent 0 now, 2 message(s) wait in the outbox" in alerts_send(runner)
    inbox, controller = start_smtp(smtp_port)
    try:
        assert "sent 2" in runner.invoke(args=["outbox", "send"]).output
        assert "queued 0 digest(s)" in alerts_send(runner)
    finally:
        controller.stop()
    subjects = [message["Subject"] for message in inbox.to(EMAIL)]
    assert subjects == [
        "Confirm your trial alerts",
        "Trial alert: 1 trial about the conditions you chose",
    ]


def test_logs_hold_no_personal_data(app, client, runner, smtp, caplog):
    with caplog.at_level("DEBUG"):
        sign_up(client, email="Secret.Person@example.org", postal_code="28046")
        client.post(link(smtp.to("Secret.Person@example.org")[0], "confirm"))
        alerts_send(runner)
        client.post(link(smtp.messages[-1], "unsubscribe"))
    ours = "\n".join(
        record.getMessage() for record in caplog.records if record.name != "mail.log"
    )  # mail.log is the test's own SMTP server, not the site
    assert "alerts: subscriber 1 confirmed" in ours and "outbox: message" in ours
    for secret in ("Secret.Person", "example.org", "28046"):
        assert secret not in ours


def test_the_alert_run_forgets_sign_ups_never_confirmed_in_seven_days(app, client, runner, smtp):
    sign_up(client, email="never@example.com")
    sign_up(client)
    client.post(link(smtp.to(EMAIL)[0], "confirm"))
    sign_up(client, lang="fr")  # a change to a confirmed address, never confirmed either
    with app.app_context():
        for row in db.session.scalars(select(Subscriber)):
            row.requested_at -= timedelta(days=8)
        db.session.commit()
    assert "forgot 1 unconfirmed sign-up(s)" in alerts_send(runner)
    assert count(app, Subscriber) == 1
    row = subscriber(app)
    assert (row.email, row.language, row.pending) == (EMAIL, "en", None)
    with app.app_context():
        recipients = set(db.session.scalars(select(OutboxMessage.recipient)))
    assert recipients == {EMAIL}


@pytest.mark.parametrize(
    ("lang", "km", "country", "said"),
    [
        ("en", 40.2, "US", "about 25 mi away"),
        ("en", 12.0, "US", "less than 10 mi away"),
        ("en", 40.2, "ES", "about 40 km away"),
        ("es", 40.2, "GB", "a unos 25 mi"),
        ("ar", 40.2, "ES", "على بُعد حوالي 40 كم"),
    ],
)
def test_a_digest_says_distances_in_the_unit_of_the_subscribers_country(
    app, lang, km, country, said
):
    with app.test_request_context(), force_locale(lang):
        assert distance_away(km, country) == said


def test_an_alert_run_reads_what_matching_needs_and_reloads_what_it_announces(app, runner):
    """At 100,000 trials, reading every trial whole (its registry record among it) took 50 s
    and 3 GB: a run reads the trials that may take people, without their records."""
    completed = ROOT / "tests" / "data" / "records" / "NCT05594173.json"
    assert runner.invoke(args=["trials", "import", str(completed)]).exit_code == 0
    with app.test_request_context():
        (trial,) = load_trials()  # the completed study is not read at all
        assert trial.nct_id == NCT and "record" in inspect(trial).unloaded
        (item,) = digest_items([Match(trial)], "en")
        announced = item["trial"]
        assert "record" not in inspect(announced).unloaded  # its ages in the record's units
        assert trial_ages(announced) == record_ages(announced.record) != (None, None)
