"""Configuration from TRIALFINDER_ variables, and the refusal to start without a secret."""

import subprocess
import sys

import click
import pytest

from tests.conftest import PRIVACY_ENVIRONMENT
from trialfinder import create_app
from trialfinder.config import DEVELOPMENT_SECRET, ConfigError, from_environment, serving_mode


def test_environment_variables_are_typed():
    settings = from_environment(
        {
            "TRIALFINDER_MAIL_PORT": "2525",
            "TRIALFINDER_MAIL_USE_TLS": "true",
            "TRIALFINDER_BASE_URL": "https://x.org",
        }
    )
    assert settings["MAIL_PORT"] == 2525
    assert settings["MAIL_USE_TLS"] is True
    assert settings["MAIL_USE_SSL"] is False
    assert settings["BASE_URL"] == "https://x.org"


def test_database_url_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("TRIALFINDER_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    monkeypatch.setenv("TRIALFINDER_SECRET_KEY", "from-env")
    app = create_app({"TESTING": True})
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("env.db")
    assert app.config["SECRET_KEY"] == "from-env"
    assert (tmp_path / "env.db").exists()


def test_refuses_to_start_without_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("TRIALFINDER_SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    with pytest.raises(ConfigError, match="TRIALFINDER_SECRET_KEY"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})


def test_refusal_is_one_line_on_the_command_line(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "TRIALFINDER_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    result = subprocess.run(
        [sys.executable, "-c", "from trialfinder import create_app; create_app()"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 3  # gunicorn's "worker failed to boot": its arbiter halts
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.startswith("trialfinder cannot start: TRIALFINDER_SECRET_KEY")


def test_debug_alone_does_not_start_a_server_without_secret(monkeypatch, tmp_path):
    """FLASK_DEBUG=1 under gunicorn is still a server others reach: no development key."""
    monkeypatch.delenv("TRIALFINDER_SECRET_KEY", raising=False)
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with pytest.raises(ConfigError, match="TRIALFINDER_SECRET_KEY is not set"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}"})


def test_the_development_key_is_refused_when_serving_the_public(monkeypatch, tmp_path):
    monkeypatch.setenv("TRIALFINDER_SECRET_KEY", DEVELOPMENT_SECRET)
    monkeypatch.setenv("TRIALFINDER_LEAD_EMAIL_OVERRIDE", "coordinator@hospital.test")
    with pytest.raises(ConfigError, match="development key") as refused:
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}"})
    assert refused.value.code == 3


def in_command(name: str, *args: str) -> click.Context:
    """The click context of `flask <name> <args>`, as create_app sees it under the CLI."""
    command = click.Command(name, params=[click.Option(["--host"])])
    return command.make_context(f"flask {name}", list(args))


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"])
def test_flask_run_on_a_loopback_address_is_local(host):
    with in_command("run", "--host", host):
        assert serving_mode() == "local"
    with in_command("run"):  # flask run's own default is 127.0.0.1
        assert serving_mode() == "local"


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "10.0.0.5", "trials.example"])
def test_flask_run_on_another_address_serves_the_public(host):
    with in_command("run", "--host", host):
        assert serving_mode() == "public"


def test_a_wsgi_server_serves_the_public_and_a_command_does_not():
    assert serving_mode() == "public"  # no command line: gunicorn, uwsgi imported the app
    with in_command("outbox"):
        assert serving_mode() == "command"


def test_cookies_are_secure_outside_debug(monkeypatch, tmp_path):
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.setenv("TRIALFINDER_SECRET_KEY", "s")
    # The shipped La Paz address is an example: production needs a real one, or this override.
    monkeypatch.setenv("TRIALFINDER_LEAD_EMAIL_OVERRIDE", "coordinator@hospital.test")
    for name, value in PRIVACY_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    production = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'b.db'}"})
    assert production.config["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_postgresql_urls_use_psycopg_3(scheme):
    from trialfinder.config import derived

    settings = {"DATABASE_URL": f"{scheme}://u:p@db.example/trials", "MAILBOX_DIR": None}
    url = derived(settings, "/srv/instance")["SQLALCHEMY_DATABASE_URI"]
    assert url == "postgresql+psycopg://u:p@db.example/trials"
