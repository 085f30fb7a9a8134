"""Extensions, unbound; create_app binds them with init_app."""

import flask_limiter
from flask import Flask, current_app, g, request
from flask_babel import Babel
from flask_compress import Compress
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import csrf as flask_wtf_csrf
from sqlalchemy.orm import DeclarativeBase

from .outbox.mailer import Mail
from .security import from_another_site


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


class CSRFProtect(flask_wtf_csrf.CSRFProtect):
    """Flask-WTF's token check; over https the request must also come from one of our pages.

    That second check is `security.from_another_site` (Origin first, then Referer) instead of
    Flask-WTF's, which refuses every POST without a Referer: a staff page that keeps its link
    out of Referers could then never post (see SECURITY.md, "Forms over https").
    """

    def init_app(self, app: Flask) -> None:
        super().init_app(app)
        app.config["WTF_CSRF_SSL_STRICT"] = False  # replaced by the check in protect

    def protect(self, apply_exemptions: bool = False) -> None:
        super().protect(apply_exemptions)
        if g.get("csrf_valid") and request.is_secure:  # a token was checked: not exempt
            if reason := from_another_site(current_app.config["BASE_URL"]):
                raise flask_wtf_csrf.CSRFError(reason)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()
compress = Compress()
mail = Mail()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
