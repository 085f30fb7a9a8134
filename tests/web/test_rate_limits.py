"""Rate limits: counted in Redis (TRIALFINDER_RATELIMIT_STORAGE_URI), the same for every machine."""

import subprocess
import sys

import flask
import pytest

from tests.databases import app_environment

# One machine of the site (its own process), with a route allowed three times a minute.
MACHINE = """
import sys
from trialfinder import create_app
from trialfinder.extensions import limiter
from trialfinder.web.security import csrf

app = create_app()

@app.post("/limited")  # limits count what changes something: GET is never limited
@csrf.exempt
@limiter.limit("3 per minute")
def limited():
    return "ok"

client = app.test_client()
post = lambda: client.post("/limited", base_url="http://127.0.0.1")  # the one trusted host
print(*(post().status_code for _ in range(int(sys.argv[1]))))
"""


def visit(database_url: str, storage: str, times: int) -> list[int]:
    """Ask a fresh machine for the limited page; return the answers' status codes."""
    environment = app_environment(
        database_url, RATELIMIT_ENABLED="true", RATELIMIT_STORAGE_URI=storage
    )
    result = subprocess.run(
        [sys.executable, "-c", MACHINE, str(times)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return [int(code) for code in result.stdout.split()]


@pytest.mark.slow  # a real process for each machine
def test_two_machines_share_one_count_in_redis(database_url, redis_url):
    assert visit(database_url, redis_url, 3) == [200, 200, 200]
    assert visit(database_url, redis_url, 1) == [429]
    import redis

    with redis.Redis.from_url(redis_url) as server:
        assert any(b"limited" in key for key in server.keys("*"))


@pytest.mark.slow  # a real process for each machine
def test_without_redis_each_machine_counts_alone(database_url):
    assert visit(database_url, "memory://", 4) == [200, 200, 200, 429]
    assert visit(database_url, "memory://", 1) == [200]  # why several machines need Redis


def test_reads_return_before_the_limiter_and_writes_go_through_it(make_app, monkeypatch):
    """extensions.Limiter overrides the method Flask-Limiter calls for both of its checks."""
    import flask_limiter

    from trialfinder.extensions import limiter

    app = make_app(RATELIMIT_ENABLED=True)
    assert limiter._check_request_limit in app.before_request_funcs[None]  # still its name
    checked = []
    original = flask_limiter.Limiter._check_request_limit

    def spy(self, *args, **kwargs):
        checked.append(flask.request.method)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(flask_limiter.Limiter, "_check_request_limit", spy)
    client = app.test_client()
    page = "/en/trials/NCT06709469/contact"
    assert client.get(page).status_code == client.head(page).status_code == 200
    assert checked == []
    client.post(page, data={})
    assert checked == ["POST", "POST"]  # before the request, and in the view's decorator
