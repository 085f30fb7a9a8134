"""Helpers shared by the lead tests: the link in a staff email, the multi-site app."""

import re

from sqlalchemy import select

from tests.contact_support import bodies, multisite_content
from trialfinder.extensions import db
from trialfinder.trials.models import Site

LINK = re.compile(r"http://127\.0\.0\.1:5000(/[a-z]{2}/leads/[A-Za-z0-9_.\-]+)")


def link_in(message) -> str:
    """Return the path of the staff link in an email, checking both bodies carry it."""
    text, html = bodies(message)
    (path,) = set(LINK.findall(text))
    assert f'href="http://127.0.0.1:5000{path}"' in html
    return path


def site_id(app, facility: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Site.id).where(Site.facility == facility))


def multisite_app(make_app, tmp_path, **settings):
    """Return an app serving only the multi-site test trial (central contact central@trial.test)."""
    return make_app(CONTENT_DIR=str(multisite_content(tmp_path)), **settings)
