"""The outbox worker killed with SIGKILL in the middle of a batch, then run again."""

import os
import signal
import subprocess
import time
from collections import Counter

import pytest
from sqlalchemy import select

from tests.conftest import ROOT
from tests.contact_support import post, reference_of
from tests.security_support import FLASK, SlowInbox, count, smtp_server, worker_environment
from trialfinder.extensions import db
from trialfinder.leads.models import Lead
from trialfinder.outbox import state
from trialfinder.outbox.models import OutboxMessage

pytestmark = pytest.mark.databases  # the claim differs on PostgreSQL (FOR UPDATE SKIP LOCKED)

LEADS = 8
# Long enough for the checks between the kill and the next worker, on a busy machine (with 4 s,
# a second worker started under the slow tests' load found the claim expired already).
LEASE_SECONDS = 15


def statuses(app) -> dict[int, str]:
    with app.app_context():
        return dict(db.session.execute(select(OutboxMessage.id, OutboxMessage.status)).all())


def message_ids(app) -> dict[int, str]:
    with app.app_context():
        return dict(db.session.execute(select(OutboxMessage.id, OutboxMessage.message_id)).all())


def run_worker(environment: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [*FLASK, "outbox", "send"],
        env=environment,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def kill_after(worker: subprocess.Popen, inbox: SlowInbox, messages: int) -> None:
    """SIGKILL the worker once the server holds some messages: no goodbye, no cleanup."""
    deadline = time.monotonic() + 60
    while len(inbox.messages) < messages and time.monotonic() < deadline:
        assert worker.poll() is None, worker.communicate()
        time.sleep(0.02)
    os.kill(worker.pid, signal.SIGKILL)
    worker.communicate(timeout=10)
    assert worker.returncode == -signal.SIGKILL


@pytest.mark.slow  # a real outbox worker killed mid-send, then run again (about 25 s)
def test_a_killed_worker_loses_nothing_and_only_smtps_window_can_repeat_a_message(
    app, client, runner, smtp_port
):
    for n in range(LEADS):  # the mail server is down: every email waits in the outbox
        reference_of(post(client, "en", first_name=f"Ana{n}"))
    ids = sorted(statuses(app))
    assert len(ids) == 2 * LEADS
    environment = worker_environment(app, OUTBOX_LEASE_SECONDS=LEASE_SECONDS, MAIL_TIMEOUT=10)

    with smtp_server(smtp_port, SlowInbox(delay=0.15, keep_first=True)) as inbox:
        kill_after(run_worker(environment), inbox, messages=4)
        killed_at = time.monotonic()  # every claim of the dead worker was made before this
        time.sleep(0.5)  # a message the server was still taking in ends up kept, or not
        first_run = Counter(message["Message-ID"] for message in inbox.messages)
        after_kill = statuses(app)
        held = [id_ for id_, status in after_kill.items() if status == state.SENDING]
        recorded = {id_ for id_, status in after_kill.items() if status == state.SENT}
        assert held and len(recorded) >= 3 and set(after_kill.values()) <= {"sent", "sending"}

        report = runner.invoke(args=["outbox", "status"]).output
        assert f"sending {len(held)}" in report and f"sent {len(recorded)}" in report
        assert all(f"#{id_} " in report for id_ in held) and "claimed=" in report
        soon = subprocess.run(
            [*FLASK, "outbox", "send"], env=environment, cwd=ROOT, capture_output=True, text=True
        )
        assert f"sent 0, still pending 0, held by a worker {len(held)}" in soon.stdout

        time.sleep(max(0.0, killed_at + LEASE_SECONDS + 0.5 - time.monotonic()))  # expired
        again = subprocess.run(
            [*FLASK, "outbox", "send"], env=environment, cwd=ROOT, capture_output=True, text=True
        )
        assert again.returncode == 0, again.stderr
        assert f"sent {len(held)}, still pending 0" in again.stdout

    assert set(statuses(app).values()) == {state.SENT}
    assert count(app, Lead) == LEADS
    received = Counter(message["Message-ID"] for message in inbox.messages)
    stored = message_ids(app)
    expected = {stored[id_] for id_ in ids}
    assert len(expected) == len(ids) and all(id_.endswith("@127.0.0.1>") for id_ in expected)
    assert set(received) == expected  # every message arrived
    repeated = {message_id for message_id, n in received.items() if n > 1}
    # Only the message the server had kept when the worker died, before the worker could
    # record it, may arrive twice, with the same Message-ID (SMTP's window; see the report).
    in_flight = {stored[id_] for id_ in held} & set(first_run)
    assert repeated <= in_flight and len(repeated) <= 1
    assert all(n <= 2 for n in received.values())
