"""Configuration from TRIALFINDER_ variables, and the refusal to start without a secret."""

import subprocess
import sys

import pytest

from trialfinder import create_app
from trialfinder.config import ConfigError, from_environment


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
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert "TRIALFINDER_SECRET_KEY" in result.stderr


def test_debug_starts_without_secret_and_cookies_are_secure_outside_debug(monkeypatch, tmp_path):
    monkeypatch.delenv("TRIALFINDER_SECRET_KEY", raising=False)
    monkeypatch.setenv("FLASK_DEBUG", "1")
    assert create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}"}).config["SECRET_KEY"]
    monkeypatch.delenv("FLASK_DEBUG")
    monkeypatch.setenv("TRIALFINDER_SECRET_KEY", "s")
    # The shipped La Paz address is an example: production needs a real one, or this override.
    monkeypatch.setenv("TRIALFINDER_LEAD_EMAIL_OVERRIDE", "coordinator@hospital.test")
    production = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'b.db'}"})
    assert production.config["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_postgresql_urls_use_psycopg_3(scheme):
    from trialfinder.config import derived

    settings = {"DATABASE_URL": f"{scheme}://u:p@db.example/trials", "MAILBOX_DIR": None}
    url = derived(settings, "/srv/instance")["SQLALCHEMY_DATABASE_URI"]
    assert url == "postgresql+psycopg://u:p@db.example/trials"
