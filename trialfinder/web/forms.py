"""The country select every form shares (contact, alerts, the finder, the pre-screen result).

Some 250 countries, named in the page's language (lib.countries, from CLDR). WTForms builds each
<option> again for every page it renders, about 25 ms for the whole list; here the list is built
once per language and chosen country, and the fields use it through their widget.
"""

from functools import lru_cache

from markupsafe import Markup
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import Select, html_params

from trialfinder.lib.countries import countries
from trialfinder.lib.locales import DEFAULT_COUNTRY, DEFAULT_LOCALE


@lru_cache(maxsize=64)
def country_options(lang: str, selected: str | None) -> Markup:
    """Return the <option>s of every country, one selected: built once, not per request."""
    option = Markup('<option value="{}"{}>{}</option>')
    return Markup("").join(
        option.format(code, Markup(" selected") if code == selected else "", name)
        for code, name in countries(lang)
    )


@lru_cache(maxsize=16)
def country_choices(lang: str) -> tuple[SelectChoice, ...]:
    """Every country as a WTForms choice (code, name in the language); never changed."""
    return tuple(SelectChoice(code, name) for code, name in countries(lang))


class CountrySelect(Select):
    """WTForms' <select> (its attributes, validation flags included) with the cached options."""

    def __call__(self, field, **kwargs) -> Markup:
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for key in dir(flags):
            if key in self.validation_attrs and key not in kwargs:
                kwargs[key] = getattr(flags, key)
        select = Markup(f"<select {html_params(name=field.name, **kwargs)}>")
        return select + country_options(field.lang, field.data) + Markup("</select>")


class CountryField(SelectField):
    """A country, chosen from every country named in the language given to `in_language`."""

    widget = CountrySelect()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("default", DEFAULT_COUNTRY)
        super().__init__(label, validators, **kwargs)
        self.in_language(DEFAULT_LOCALE)

    def in_language(self, lang: str) -> None:
        self.lang = lang
        self.choices = country_choices(lang)
