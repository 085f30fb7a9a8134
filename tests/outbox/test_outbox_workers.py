"""Outbox workers as separate processes, and the row locks that keep them apart."""

import asyncio
import re
import subprocess
import sys

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import event, select

from tests.conftest import Inbox
from tests.databases import app_environment
from tests.outbox.test_outbox import queue, statuses
from trialfinder.extensions import db
from trialfinder.outbox import services, state
from trialfinder.outbox.models import OutboxMessage

SEND = [sys.executable, "-m", "flask", "--app", "trialfinder", "outbox", "send"]


class SlowInbox(Inbox):
    """A server that takes a moment per message, so that two workers surely overlap."""

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0.02)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def slow_smtp(smtp_port):
    inbox = SlowInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield inbox
    controller.stop()


@pytest.mark.slow  # two real worker processes, on both databases
@pytest.mark.databases
def test_two_worker_processes_send_every_message_exactly_once(
    app, slow_smtp, smtp_port, database_url
):
    count = 200
    queue(app, count)
    environment = app_environment(
        database_url, MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_port, OUTBOX_BATCH=5
    )
    workers = [
        subprocess.Popen(SEND, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    outputs = [worker.communicate(timeout=120) for worker in workers]
    for worker, (_out, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err.decode()
    sent = [int(re.search(rb"sent (\d+)", out).group(1)) for out, _err in outputs]
    assert sum(sent) == count
    assert all(share > 0 for share in sent), f"one worker did everything: {sent}"
    subjects = [message["Subject"] for message in slow_smtp.messages]
    assert len(subjects) == count and len(set(subjects)) == count
    assert set(statuses(app).values()) == {state.SENT}


@pytest.mark.databases
def test_a_claim_takes_no_more_than_its_batch(app):
    queue(app, 20)
    with app.app_context():
        assert len(services.claim(5)) == 5
    assert sorted(statuses(app).values()).count(state.SENDING) == 5


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_postgresql_claims_skip_rows_another_worker_has_locked(app, smtp):
    ids = queue(app, 4)
    with app.app_context():
        statements = []
        event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
        with db.engine.connect() as other_worker:
            locked = select(OutboxMessage.id).where(OutboxMessage.id.in_(ids[:2]))
            other_worker.execute(locked.with_for_update())  # held until this block ends
            claimed = [row.id for row in services.claim(10)]
            other_worker.rollback()
        assert claimed == ids[2:]
        assert any("FOR UPDATE SKIP LOCKED" in statement for statement in statements)
