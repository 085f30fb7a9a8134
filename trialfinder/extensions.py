"""Extensions, unbound; create_app binds them with init_app.

Two live with their owner: `web.security.csrf` (the CSRF check, with its https rule) and
`outbox.mailer.mail` (Flask-Mail, which only the outbox uses).
"""

import flask_limiter
from flask import request
from flask_babel import Babel
from flask_compress import Compress
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


class Limiter(flask_limiter.Limiter):
    """Flask-Limiter, left out of requests that change nothing: every limit here is on a POST.

    Flask-Limiter checks every request twice (before it, and in a limited view's decorator),
    and even a request its filters exempt walks the whole machinery: a fifth of a form page's
    time. Both checks go through `_check_request_limit`, so a read returns there at once.
    """

    def _check_request_limit(self, callable_name: str | None = None, in_middleware: bool = True):
        if request.method in READS:
            return None
        return super()._check_request_limit(callable_name, in_middleware)


READS = ("GET", "HEAD", "OPTIONS")


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
compress = Compress()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
