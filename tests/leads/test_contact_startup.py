"""Outside debug and testing, the app refuses to send leads to an example address."""

import shutil
import subprocess
import sys

import click
import pytest

from tests.conftest import CONTROLLER, DPO_EMAIL, NCT, PRIVACY_ENVIRONMENT, ROOT
from tests.contact_support import MULTI, multisite_content
from trialfinder import create_app
from trialfinder.config import ConfigError
from trialfinder.extensions import db
from trialfinder.leads.receiving import route_for
from trialfinder.trials.models import Trial


@pytest.fixture
def production(monkeypatch, tmp_path):
    """Build an app as a deployment would: no debug, no testing, a secret key."""
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.delenv("TRIALFINDER_LEAD_EMAIL_OVERRIDE", raising=False)
    built = []

    def build(**settings):
        config = {
            "SECRET_KEY": "s",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.db'}",
            "DATA_CONTROLLER": CONTROLLER,
            "DPO_EMAIL": DPO_EMAIL,
        }
        built.append(create_app(config | settings))
        return built[-1]

    yield build
    for app in built:
        with app.app_context():
            db.engine.dispose()


def shipped_content_with(tmp_path, operator_file: str):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content" / "trials" / NCT, content / "trials" / NCT)
    (content / "trials" / NCT / "sites.yaml").write_text(operator_file, encoding="utf-8")
    return str(content)


def test_the_shipped_example_address_stops_a_production_start(production):
    with pytest.raises(ConfigError) as refused:
        production()
    message = str(refused.value)
    assert "\n" not in message
    assert NCT in message and "lapaz-coordinator@example.org" in message
    assert "TRIALFINDER_LEAD_EMAIL_OVERRIDE" in message


def test_the_override_lets_it_start_and_takes_every_lead(production):
    app = production(LEAD_EMAIL_OVERRIDE="coordinator@hospital.test")
    assert not app.testing and not app.debug
    with app.app_context():
        trial = db.session.get(Trial, NCT)
        assert route_for(trial, None).email == "coordinator@hospital.test"


def test_an_example_override_is_refused_too(production):
    with pytest.raises(ConfigError, match="OVERRIDE"):
        production(LEAD_EMAIL_OVERRIDE="all-leads@example.com")


def test_a_real_operator_address_starts_without_override(production, tmp_path):
    real = (
        "sites:\n  - facility: Hospital Universitario La Paz\n"
        "    lead_email: ensayos@hospital.test\n"
    )
    assert production(CONTENT_DIR=shipped_content_with(tmp_path, real))


def test_a_recruiting_site_with_no_address_at_all_is_refused(production, tmp_path):
    content = shipped_content_with(tmp_path, "sites: []\n")
    with pytest.raises(ConfigError, match="no address"):
        production(CONTENT_DIR=content)


def test_the_default_lead_address_covers_sites_without_one(production, tmp_path):
    content = shipped_content_with(tmp_path, "sites: []\n")
    assert production(CONTENT_DIR=content, DEFAULT_LEAD_EMAIL="leads@hospital.test")


def test_every_site_of_every_trial_is_checked(production, tmp_path):
    content = multisite_content(tmp_path)  # every site there has a real-looking address
    assert production(CONTENT_DIR=str(content))
    record = content / "trials" / MULTI / "sites.yaml"
    record.write_text(record.read_text().replace("barcelona@hospital.test", "x@example.net"))
    with pytest.raises(ConfigError, match="Hospital del Mar"):
        production(CONTENT_DIR=str(content), DATABASE_URL=f"sqlite:///{tmp_path / 'b.db'}")


def test_testing_and_flask_run_on_this_machine_start_with_the_example(production, monkeypatch):
    assert production(TESTING=True)
    run = click.Command("run", params=[click.Option(["--host"])])
    with run.make_context("flask run", ["--host", "127.0.0.1"]):
        assert production()
    # FLASK_DEBUG=1 under gunicorn (no `flask run`) still serves the public: refused.
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with pytest.raises(ConfigError, match="example.org"):
        production()


def test_the_refusal_is_one_line_on_the_command_line(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "TRIALFINDER_SECRET_KEY": "s",
        **PRIVACY_ENVIRONMENT,
        "TRIALFINDER_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
    }
    command = [sys.executable, "-c", "from trialfinder import create_app; create_app()"]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 3
    assert result.stderr.strip().count("\n") == 0 and "example.org" in result.stderr
    env["TRIALFINDER_LEAD_EMAIL_OVERRIDE"] = "coordinator@hospital.test"
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
