"""No key, no start: real servers (gunicorn with 4 workers, `flask run`) started as operators do.

Each server starts from an empty temporary folder with none of the developer's settings. A refused
start must stop within seconds (gunicorn's arbiter halts, no worker crash-loop), exit non-zero and
say in one line what to set.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import NCT, PRIVACY_ENVIRONMENT, ROOT, free_port

BIN = Path(sys.executable).parent
# A refused start takes one app import per worker; the arbiter halts on the first failure.
STOPS_WITHIN = 30


def operator_environment(tmp_path: Path, **settings: str) -> dict:
    """An operator's server environment: this checkout's code, no developer settings."""
    keep = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("TRIALFINDER_", "FLASK_", "PYTEST", "GUNICORN"))
    }
    return (
        keep
        | {
            "PYTHONPATH": str(ROOT),  # this worktree, not whatever the shared venv points at
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
            "TRIALFINDER_DATABASE_URL": f"sqlite:///{tmp_path / 'site.db'}",
            "TRIALFINDER_MAILBOX_DIR": str(tmp_path / "mailbox"),
        }
        | PRIVACY_ENVIRONMENT  # a test that wants the refusal takes them out
        | settings
    )


def start(command: list[str], tmp_path: Path, env: dict) -> subprocess.Popen:
    folder = tmp_path / "empty"
    folder.mkdir(exist_ok=True)
    return subprocess.Popen(
        command,
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def refused(command: list[str], tmp_path: Path, env: dict) -> tuple[int, str, float]:
    """Run a server that must refuse: its exit status, stderr and seconds it took."""
    began = time.monotonic()
    server = start(command, tmp_path, env)
    try:
        _out, err = server.communicate(timeout=STOPS_WITHIN)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        _out, err = server.communicate()
        pytest.fail(f"{command[0]} was still running after {STOPS_WITHIN} s:\n{err[-3000:]}")
    return server.returncode, err, time.monotonic() - began


def gunicorn(port: int) -> list[str]:
    return [str(BIN / "gunicorn"), "-w", "4", "-b", f"127.0.0.1:{port}", "trialfinder:create_app()"]


def assert_no_traceback(stderr: str) -> None:
    """The refusal is our one line: no stack of the app's frames, nor of gunicorn's arbiter."""
    assert "Traceback" not in stderr, stderr[-3000:]


def refusal_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("trialfinder cannot start:")]


@pytest.mark.slow  # gunicorn's arbiter and 4 workers, each importing the app (about 10 s)
@pytest.mark.parametrize("debug", [None, "1"], ids=["plain", "FLASK_DEBUG=1"])
def test_gunicorn_without_a_secret_key_stops_within_seconds(tmp_path, debug):
    env = operator_environment(tmp_path) | ({"FLASK_DEBUG": debug} if debug else {})
    status, stderr, took = refused(gunicorn(free_port()), tmp_path, env)
    assert status == 3  # gunicorn's "worker failed to boot"
    assert took < STOPS_WITHIN
    # One worker says it; the others are stopped by the halting arbiter without repeating it.
    (line,) = refusal_lines(stderr)
    assert "TRIALFINDER_SECRET_KEY is not set" in line, stderr[-3000:]
    # The arbiter halted instead of booting replacement workers: no worker booted twice.
    assert "Worker failed to boot" in stderr
    assert stderr.count("Booting worker") == 4
    assert_no_traceback(stderr)


@pytest.mark.slow  # gunicorn's arbiter and 4 workers, each importing the app (about 10 s)
def test_gunicorn_on_the_development_key_stops(tmp_path):
    from trialfinder.config import DEVELOPMENT_SECRET

    env = operator_environment(tmp_path, TRIALFINDER_SECRET_KEY=DEVELOPMENT_SECRET)
    status, stderr, _took = refused(gunicorn(free_port()), tmp_path, env)
    assert status != 0
    assert "public development key" in " ".join(refusal_lines(stderr)), stderr[-3000:]


@pytest.mark.slow  # gunicorn's arbiter and 4 workers, each importing the app (about 10 s)
def test_gunicorn_with_the_shipped_example_lead_address_stops(tmp_path):
    env = operator_environment(tmp_path, TRIALFINDER_SECRET_KEY="a-long-random-production-secret")
    status, stderr, _took = refused(gunicorn(free_port()), tmp_path, env)
    assert status != 0
    line = " ".join(refusal_lines(stderr))
    assert "Contact requests would reach nobody" in line and "lapaz-coordinator@example.org" in line
    assert_no_traceback(stderr)


@pytest.mark.slow  # gunicorn's arbiter and 4 workers, each importing the app (about 10 s)
def test_gunicorn_without_the_data_controller_and_dpo_stops(tmp_path):
    env = operator_environment(
        tmp_path,
        TRIALFINDER_SECRET_KEY="a-long-random-production-secret",
        TRIALFINDER_LEAD_EMAIL_OVERRIDE="coordinator@hospital.test",
    )
    for name in PRIVACY_ENVIRONMENT:
        del env[name]
    status, stderr, took = refused(gunicorn(free_port()), tmp_path, env)
    assert status == 3 and took < STOPS_WITHIN
    (line,) = refusal_lines(stderr)
    assert "TRIALFINDER_DATA_CONTROLLER and TRIALFINDER_DPO_EMAIL are not set" in line, stderr
    assert_no_traceback(stderr)


@pytest.mark.slow  # gunicorn's arbiter and 4 workers, each importing the app (about 10 s)
def test_gunicorn_with_a_broken_sites_file_stops(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "trials" / NCT / "sites.yaml").write_text("sites: [unclosed\n", encoding="utf-8")
    env = operator_environment(
        tmp_path,
        TRIALFINDER_SECRET_KEY="a-long-random-production-secret",
        TRIALFINDER_CONTENT_DIR=str(content),
        TRIALFINDER_LEAD_EMAIL_OVERRIDE="coordinator@hospital.test",
    )
    status, stderr, _took = refused(gunicorn(free_port()), tmp_path, env)
    assert status != 0
    assert "sites.yaml" in " ".join(refusal_lines(stderr)), stderr[-3000:]
    assert_no_traceback(stderr)


@pytest.mark.slow  # gunicorn's arbiter and 4 workers, each importing the app (about 10 s)
def test_gunicorn_with_an_unreachable_database_stops_without_its_password(tmp_path):
    env = operator_environment(
        tmp_path,
        TRIALFINDER_SECRET_KEY="a-long-random-production-secret",
        TRIALFINDER_DATABASE_URL=f"postgresql://trials:hunter2secret@127.0.0.1:{free_port()}/t",
        TRIALFINDER_LEAD_EMAIL_OVERRIDE="coordinator@hospital.test",
    )
    status, stderr, _took = refused(gunicorn(free_port()), tmp_path, env)
    assert status != 0
    line = " ".join(refusal_lines(stderr))
    assert "cannot be used" in line and "TRIALFINDER_DATABASE_URL" in line, stderr[-3000:]
    assert "hunter2secret" not in stderr
    assert_no_traceback(stderr)


@pytest.mark.slow  # a real server: flask run, twice
def test_flask_run_on_every_interface_without_a_key_refuses(tmp_path):
    command = [str(BIN / "flask"), "--app", "trialfinder", "run", "--host", "0.0.0.0"]
    command += ["--port", str(free_port())]
    for env in (
        operator_environment(tmp_path),
        operator_environment(tmp_path, FLASK_DEBUG="1"),
    ):
        status, stderr, _took = refused(command, tmp_path, env)
        assert status != 0
        assert [line for line in stderr.splitlines() if line.strip()] == refusal_lines(stderr)
        assert "TRIALFINDER_SECRET_KEY is not set" in refusal_lines(stderr)[0]


@pytest.mark.slow  # a real server: flask run, serving
@pytest.mark.parametrize("debug", [[], ["--debug", "--no-reload"]], ids=["plain", "debug"])
def test_flask_run_on_this_machine_serves_without_a_key(tmp_path, debug):
    port = free_port()
    command = [str(BIN / "flask"), "--app", "trialfinder", "run", *debug]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    server = start(command, tmp_path, operator_environment(tmp_path))
    try:
        for _ in range(600):
            assert server.poll() is None, server.communicate()[1][-3000:]
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/es/", timeout=5) as page:
                    assert page.status == 200
                    assert "ReALL" in page.read().decode()
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        pytest.fail("flask run did not serve within a minute")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.communicate(timeout=30)


@pytest.mark.slow  # a real command line: flask outbox status
def test_one_off_commands_run_without_a_key(tmp_path):
    result = subprocess.run(
        [str(BIN / "flask"), "--app", "trialfinder", "outbox", "status"],
        cwd=tmp_path,
        env=operator_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "cannot start" not in result.stderr


# ---- limits that hold on several workers -----------------------------------------------------


def served_log(command: list[str], tmp_path: Path, env: dict, port: int) -> str:
    """Start a server, wait until it answers, stop it, and return what it wrote to stderr."""
    server = start(command, tmp_path, env)
    try:
        for _ in range(600):
            assert server.poll() is None, server.communicate()[1][-3000:]
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=5).close()
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        else:
            pytest.fail("the server did not answer within a minute")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        _out, err = server.communicate(timeout=60)
    return err


def production_environment(tmp_path: Path, **settings: str) -> dict:
    return operator_environment(
        tmp_path,
        TRIALFINDER_SECRET_KEY="a-long-random-production-secret",
        TRIALFINDER_LEAD_EMAIL_OVERRIDE="coordinator@hospital.test",
        **settings,
    )


@pytest.mark.slow  # a real server: gunicorn's arbiter and 2 workers
def test_gunicorn_with_several_workers_and_memory_limits_warns_loudly(tmp_path):
    port = free_port()
    command = [str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}"]
    stderr = served_log(
        [*command, "trialfinder:create_app()"], tmp_path, production_environment(tmp_path), port
    )
    warnings = [line for line in stderr.splitlines() if "RATE LIMITS DO NOT HOLD" in line]
    assert warnings, stderr[-3000:]
    assert "2 workers" in warnings[0]
    assert "TRIALFINDER_RATELIMIT_STORAGE_URI=redis://" in warnings[0]
    assert "CLIENT ADDRESSES CAN BE FORGED" not in stderr  # PROXY_COUNT=0


@pytest.mark.slow  # a real server: gunicorn's arbiter and a worker
def test_gunicorn_with_one_worker_counts_limits_in_one_place(tmp_path):
    port = free_port()
    command = [str(BIN / "gunicorn"), "-w", "1", "-b", f"127.0.0.1:{port}"]
    env = production_environment(tmp_path, TRIALFINDER_PROXY_COUNT="1")
    stderr = served_log([*command, "trialfinder:create_app()"], tmp_path, env, port)
    assert "Booting worker" in stderr
    assert "RATE LIMITS DO NOT HOLD" not in stderr
    # Bound to 127.0.0.1 behind the proxy: only the proxy can set X-Forwarded-For.
    assert "CLIENT ADDRESSES CAN BE FORGED" not in stderr


def test_a_proxy_count_with_gunicorn_reachable_from_other_machines_warns():
    from trialfinder.config import exposed_binds

    binds = ["0.0.0.0:8000", "127.0.0.1:8001", "[::1]:8002", "[::]:8003", "unix:/run/tf.sock"]
    assert exposed_binds(binds) == ["0.0.0.0:8000", "[::]:8003"]
    assert exposed_binds(["localhost:8000", "10.0.0.4:80"]) == ["10.0.0.4:80"]
