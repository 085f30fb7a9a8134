"""URL rules share their compiled builders between apps and build exactly what Werkzeug builds."""

import pytest
from werkzeug.routing import Map
from werkzeug.routing import Rule as WerkzeugRule

from trialfinder.web.urls import Rule

RULES = [
    ("/<lang>/trials/<nct_id>/", {}),
    ("/<lang>/notes/<token>/revoke/<key>", {}),
    ("/<lang>/", {"lang": "es"}),
    ("/page/<int:number>", {"number": 1}),
    ("/static/<path:filename>", {}),
    ("/<lang>/alerts", {"kind": "weekly"}),  # a default that is not a part of the rule
]
VALUES = {
    "lang": "ar",
    "nct_id": "NCT06709469",
    "token": "a b/ç",
    "key": "k",
    "number": 7,
    "filename": "css/site.css",
    "q": "leucemia aguda",
}


def adapter(rule_class):
    url_map = Map([rule_class(path, endpoint=path, defaults=defaults) for path, defaults in RULES])
    return url_map.bind("example.org")


@pytest.mark.parametrize(("path", "defaults"), RULES)
def test_each_rule_builds_what_werkzeugs_rule_builds(path, defaults):
    values = {name: value for name, value in VALUES.items() if name not in defaults}
    for append_unknown in (True, False):
        ours = adapter(Rule).build(path, values, append_unknown=append_unknown)
        theirs = adapter(WerkzeugRule).build(path, values, append_unknown=append_unknown)
        assert ours == theirs


def test_equal_rules_of_two_maps_share_one_builder_and_different_defaults_do_not():
    first, second = adapter(Rule), adapter(Rule)
    for path, _defaults in RULES:
        rule, again = first.map._rules_by_endpoint[path][0], second.map._rules_by_endpoint[path][0]
        assert rule is not again
        assert rule._build.__func__ is again._build.__func__
    other = Map([Rule("/<lang>/", endpoint="home", defaults={"lang": "fr"})]).bind("example.org")
    assert other.build("home", {}) == "/fr/"
    assert first.build("/<lang>/", {}) == "/es/"
