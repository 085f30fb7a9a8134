"""URL rules whose builders compile once per process; full addresses for emails on BASE_URL."""

from collections.abc import Callable
from typing import Any, ClassVar
from urllib.parse import urlsplit

from flask import Flask, current_app
from werkzeug import routing


class Rule(routing.Rule):
    """Werkzeug's rule, with the code that builds its URLs compiled once per process.

    Werkzeug writes and compiles a small function for each rule of each app: 36 rules, two
    functions each, about 20 ms an app, most of the time it takes to build one (the tests
    build thousands). The function depends only on the rule's parts and defaults: it reads
    the converters of the rule it is bound to when it runs, so two apps' equal rules can
    share it.
    """

    builders: ClassVar[dict[tuple, Callable[..., Any]]] = {}

    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., Any]:
        defaults = self.defaults or {}
        # A default for a part of the rule is written into the code as its URL text.
        fixed = tuple(
            (name, self._converters[name].to_url(value) if name in self._converters else None)
            for name, value in sorted(defaults.items())
        )
        key = (self.rule, tuple(self._trace), fixed, append_unknown)
        if (builder := self.builders.get(key)) is None:
            builder = self.builders[key] = super()._compile_builder(append_unknown)
        return builder


def init_app(app: Flask) -> None:
    """Make the blueprints' rules share their compiled builders (`Rule`)."""
    app.url_rule_class = Rule


def absolute_url(endpoint: str, **values) -> str:
    """Build a full URL on BASE_URL, without a request (emails are built from the CLI too)."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)
