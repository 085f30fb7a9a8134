"""The shipped defaults are the tested path: `make run` with no settings, and the README commands.

A copy of the repository stands in for a fresh clone (the test's own virtualenv serves it); no
TRIALFINDER_ variable is set, exactly as a newcomer would run it.
"""

import html
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from email import message_from_bytes, policy
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from babel.support import Translations

from tests.conftest import NCT, PRIVACY_ENVIRONMENT, ROOT, free_port
from tests.contact_support import form_data
from trialfinder import config
from trialfinder.config import ConfigError
from trialfinder.web.typography import space_text

BIN = Path(sys.executable).parent
SKIP = {".git", ".venv", "instance", "__pycache__", ".pytest_cache", "screenshots", ".ruff_cache"}


def clean_environment() -> dict:
    """Return this process's environment without any setting a newcomer would not have."""
    keep = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("TRIALFINDER_", "FLASK_", "MAKEFLAGS", "MFLAGS", "PYTEST"))
    }
    return keep | {"PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}"}


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """A copy of the repository as a fresh clone has it: no instance folder, no settings."""
    target = tmp_path_factory.mktemp("fresh") / "trialfinder"
    shutil.copytree(ROOT, target, ignore=lambda _dir, names: [n for n in names if n in SKIP])
    return target


def french(msgid: str) -> str:
    return Translations.load(str(ROOT / "translations"), ["fr"]).gettext(msgid)


# ---- the effective configuration of the three ways the app starts ----------------------------


def test_make_run_configuration_writes_mail_to_the_instance_mailbox(tmp_path):
    settings = config.effective({}, str(tmp_path), None)
    assert settings["MAIL_SERVER"] is None
    assert settings["MAILBOX_DIR"] == str(tmp_path / "mailbox")
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'trialfinder.db'}"
    assert settings["BASE_URL"] == "http://127.0.0.1:5000"
    assert settings["SECRET_KEY"] is None  # debug gives the development key, see below


def test_test_fixture_configuration_keeps_its_overrides(app, app_config):
    assert app.config["MAIL_SERVER"] == "127.0.0.1"
    assert app.config["MAIL_PORT"] == app_config["MAIL_PORT"]
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith(("sqlite:///", "postgresql+psycopg"))
    assert app.config["MAILBOX_DIR"] == str(Path(app.instance_path) / "mailbox")
    assert app.config["SECRET_KEY"] == "test-secret" and app.testing
    assert app.config["SERVES_PUBLIC"] is False


def test_production_configuration_comes_from_the_environment(monkeypatch, tmp_path):
    environ = {
        "TRIALFINDER_SECRET_KEY": "a-long-random-production-secret",
        "TRIALFINDER_DATABASE_URL": "postgresql://u:p@db.example/trials",
        "TRIALFINDER_MAIL_SERVER": "smtp.example.org",
        "TRIALFINDER_MAIL_PORT": "587",
        "TRIALFINDER_MAILBOX_DIR": str(tmp_path / "elsewhere"),
    }
    settings = config.effective(environ, str(tmp_path), None)
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db.example/trials"
    assert settings["MAIL_SERVER"] == "smtp.example.org" and settings["MAIL_PORT"] == 587
    assert settings["MAILBOX_DIR"] == str(tmp_path / "elsewhere")
    assert settings["SECRET_KEY"] == "a-long-random-production-secret"


def test_a_production_server_start_needs_the_secret_key(monkeypatch, tmp_path):
    for name in [n for n in os.environ if n.startswith(("TRIALFINDER_", "FLASK_"))]:
        monkeypatch.delenv(name)
    from trialfinder import create_app

    with pytest.raises(ConfigError, match="TRIALFINDER_SECRET_KEY"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}"})
    monkeypatch.setenv("TRIALFINDER_SECRET_KEY", "a-long-random-production-secret")
    monkeypatch.setenv("TRIALFINDER_LEAD_EMAIL_OVERRIDE", "coordinator@hospital.test")
    with pytest.raises(ConfigError, match="TRIALFINDER_DATA_CONTROLLER and TRIALFINDER_DPO_EMAIL"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}"})
    for name, value in PRIVACY_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}"})
    assert app.config["SERVES_PUBLIC"] is True
    assert app.config["SECRET_KEY"] == "a-long-random-production-secret"
    assert app.config["MAILBOX_DIR"] == str(Path(app.instance_path) / "mailbox")


# ---- make run, then a family's contact request -----------------------------------------------


@pytest.fixture(scope="module")
def make_run(clone):
    """Start the site exactly as `make run` does, in the clone, on a free port."""
    port = free_port()
    command = ["make", "--no-print-directory", "run", f"PORT={port}", f"BIN={BIN}"]
    # The test's virtualenv is installed already: a stamp newer than the clone's pyproject.toml.
    stamp = clone.parent / "installed"
    stamp.touch()
    command.append(f"STAMP={stamp}")
    log = (clone.parent / "make-run.log").open("w")
    server = subprocess.Popen(
        command,
        cwd=clone,
        env=clean_environment(),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base, server, clone.parent / "make-run.log")
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()


def wait_until_serving(base: str, server: subprocess.Popen, log: Path) -> None:
    for _ in range(1800):  # a busy CI machine may take a while to start it
        if server.poll() is not None:
            pytest.fail(f"make run exited {server.returncode}:\n{log.read_text()}")
        try:
            urllib.request.urlopen(base + "/robots.txt", timeout=2).close()
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):  # still loading the app
            time.sleep(0.1)
    pytest.fail(f"make run did not serve within three minutes:\n{log.read_text()}")


class Browser:
    """A visitor's cookies and form posts, over real HTTP, without following redirects."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read().decode()

    def post(self, path: str, fields: dict) -> str:
        data = urllib.parse.urlencode(fields).encode()
        with self.opener.open(self.base + path, data=data, timeout=30) as response:
            return response.geturl(), response.read().decode()


@pytest.mark.slow  # a fresh clone served by a real `make run` (about 15 s to start)
def test_make_run_delivers_a_french_contact_request_to_the_mailbox(clone, make_run):
    mailbox = clone / "instance" / "mailbox"
    visitor = Browser(make_run)
    form = visitor.get(f"/fr/trials/{NCT}/contact")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    fields = form_data(preferred_language="fr", csrf_token=token)
    where, page = visitor.post(f"/fr/trials/{NCT}/contact", fields)
    # The confirmation page is shown after the attempt to deliver: both files are there now.
    assert "/contact/sent/" in where
    reference = where.rstrip("/").rsplit("/", 1)[1]
    assert reference in page
    saved = "This copy of the site has no mail server: your request to the study team and "
    saved += "your copy were saved as files in its mailbox folder, not sent by email."
    assert space_text(french(saved)) in html.unescape(page)  # with French typography
    messages = [
        message_from_bytes(path.read_bytes(), policy=policy.default)
        for path in sorted(mailbox.glob("*.eml"))
    ]
    assert len(messages) == 2
    (copy,) = [m for m in messages if fields["email"] in m["To"]]
    (staff,) = [m for m in messages if fields["email"] not in m["To"]]
    assert copy["Subject"] == french("Your request %(reference)s to the study team") % {
        "reference": reference
    }
    assert "fr" in (copy["Content-Language"] or "")
    for name in (fields["first_name"], fields["last_name"], fields["email"]):
        assert name not in staff["Subject"] and name not in copy["Subject"]
    assert reference in staff["Subject"] and NCT in staff["Subject"]
    assert fields["last_name"] in staff.get_body(("plain",)).get_content()


# ---- every command the README shows -----------------------------------------------------------

# The README's placeholders, as a newcomer would fill them in the clone.
PLACEHOLDERS = {
    # The shipped record, and a test record with no content for `trials new` to start.
    "PATH...": f"content/trials/{NCT}/record.json tests/data/contact_multisite.json",
    "NCT...": "NCT99000001",
    "DAYS": "180",
    '"what changed"': '"nothing changed"',
}
EXPECTED = {"trials import", "outbox send", "outbox status", "leads purge", "db check"}


def readme_commands() -> list[str]:
    """Return each `flask --app trialfinder ...` line in the README's shell blocks.

    `trials new` comes last: the content it starts is full of TODOs, which `content check`
    reports until a sponsor fills them in.
    """
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            command = line.split("#", 1)[0].strip()
            if command.startswith("flask --app trialfinder "):
                for placeholder, value in PLACEHOLDERS.items():
                    command = command.replace(placeholder, value)
                lines.append(command)
    return sorted(lines, key=lambda line: " trials new " in line)


def test_the_readme_lists_the_commands_this_test_runs():
    named = {" ".join(shlex.split(line)[3:5]) for line in readme_commands()}
    assert EXPECTED <= named, named


@pytest.mark.slow  # each README command in its own process, in a fresh clone (about a minute)
def test_every_readme_command_runs_as_written_in_a_fresh_clone(clone):
    failures = []
    for line in readme_commands():
        result = subprocess.run(
            shlex.split(line),
            cwd=clone,
            env=clean_environment(),
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode != 0:
            failures.append(f"$ {line}\n{result.stdout}{result.stderr}")
    assert failures == [], "\n\n".join(failures)
