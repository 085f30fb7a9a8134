"""The shared country select renders what WTForms' own <select> renders, from a cached list."""

from html.parser import HTMLParser

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form
from wtforms.validators import InputRequired
from wtforms.widgets import Select

from trialfinder.lib.countries import countries
from trialfinder.web.forms import CountryField


class Place(Form):
    country = CountryField("Country", [InputRequired()])


class Elements(HTMLParser):
    """The elements of a fragment in order: (tag, set of attributes, text inside)."""

    def __init__(self, text: str):
        super().__init__()
        self.found: list[list] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.found.append([tag, frozenset(attrs), ""])

    def handle_data(self, data):
        self.found[-1][2] += data


def place(lang: str, data: dict | None = None) -> Place:
    form = Place(data=data)
    form.country.in_language(lang)
    return form


@pytest.mark.parametrize(("lang", "chosen"), [("fr", "PT"), ("ar", "ES"), ("es", None)])
def test_the_country_select_is_wtforms_select_with_the_same_options(lang, chosen):
    field = place(lang, {"country": chosen} if chosen else None).country
    ours = field(autocomplete="country", **{"aria-describedby": "country-error"})
    stock = Select()(field, autocomplete="country", **{"aria-describedby": "country-error"})
    assert Elements(ours).found == Elements(stock).found
    options = [element for element in Elements(ours).found if element[0] == "option"]
    assert [element[2] for element in options] == [name for _code, name in countries(lang)]
    selected = [
        dict(element[1])["value"] for element in options if ("selected", None) in element[1]
    ]
    assert selected == [chosen or "ES"]  # Spain unless the visitor chose another country
    assert ("required", None) in Elements(ours).found[0][1]


def posted(country: str) -> Place:
    form = Place(formdata=MultiDict({"country": country}))
    form.country.in_language("en")
    return form


def test_a_country_that_is_not_on_the_list_is_refused_and_selects_nothing():
    form = posted("XX")
    assert not form.validate()
    assert form.country.errors and " selected" not in form.country()
    assert posted("XK").validate()  # Kosovo is a country
