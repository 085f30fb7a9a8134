"""The contact form: field names are a contract with the pre-screen and the API."""

import re
import unicodedata

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from flask_babel import format_number, ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from trialfinder.leads.labels import RESPONDENTS
from trialfinder.lib.geo import Place, locate
from trialfinder.lib.locales import LOCALES, NATIVE_NAMES
from trialfinder.lib.plurals import Plural
from trialfinder.web.forms import CountryField

REQUIRED = _l("Please fill this in.")
TOO_LONG = Plural(
    lambda n: ngettext(
        "Please shorten this to %(max)s character or fewer.",
        "Please shorten this to %(max)s characters or fewer.",
        n,
        max=format_number(n),
    )
)
ONE_LINE = _l("Please write this on one line, without line breaks or special characters.")
BAD_CHARACTERS = _l("This text contains special characters that we cannot accept.")
BAD_EMAIL = _l("Please enter an email address such as name@example.com.")
BAD_PHONE = _l("Please enter a phone number we can call, with the country code if abroad.")
CHOOSE_ONE = _l("Please choose one of the options.")
NEED_LANGUAGE = _l("Please tell us which language you prefer.")
NEED_PLACE = _l("Please enter your postal code or your town or city.")
PLACE_NOT_FOUND = _l(
    "We could not find this place. Please check the postal code and the country, "
    "or type the name of your town or city."
)
NO_LINKS = _l("Please write only a name here, without web addresses or links.")
NEED_CONSENT = _l("Please tick this box so that we can pass on your request.")

OTHER_LANGUAGE = "other"
# What makes a name a link: a scheme, "www.", an address, or a domain-like token (evil.example).
LINK_LIKE = re.compile(
    r"https?|ftp:|://|www\.|@|[a-z0-9-]{2,}\.[a-z][a-z0-9-]+(?!\w)", re.IGNORECASE
)
# Control characters are never part of a name; a textarea may hold line breaks and tabs.
TEXTAREA_CONTROLS = frozenset("\r\n\t")


def one_line(_form, field) -> None:
    """Reject CR, LF and every other control character: these fields may end up near headers."""
    if field.data and any(unicodedata.category(char) == "Cc" for char in field.data):
        raise ValidationError(str(ONE_LINE))


def no_links(_form, field) -> None:
    """Refuse a name that holds a link: a stranger must not make our emails carry one."""
    if field.data and LINK_LIKE.search(unicodedata.normalize("NFKC", field.data)):
        raise ValidationError(str(NO_LINKS))


def plain_text(_form, field) -> None:
    """Reject control characters other than line breaks and tabs (NUL and the like)."""
    text = field.data or ""
    if any(unicodedata.category(c) == "Cc" and c not in TEXTAREA_CONTROLS for c in text):
        raise ValidationError(str(BAD_CHARACTERS))


def strip(value):
    return value.strip() if isinstance(value, str) else value


def ascii_digits(value):
    """Write digits typed on any keyboard (Arabic-Indic, full-width...) as 0-9."""
    if not isinstance(value, str):
        return value
    return "".join(str(d) if (d := unicodedata.decimal(c, None)) is not None else c for c in value)


def limit(maximum: int) -> Length:
    return Length(max=maximum, message=TOO_LONG)


def language_choices() -> list[SelectChoice]:
    """Return the site's languages, each named in itself, then 'another language'."""
    return [SelectChoice(code, NATIVE_NAMES[code]) for code in LOCALES] + [
        SelectChoice(OTHER_LANGUAGE, _l("Another language"))
    ]


class ContactForm(FlaskForm):
    first_name = StringField(
        _l("First name"), [DataRequired(REQUIRED), one_line, no_links, limit(100)], filters=[strip]
    )
    last_name = StringField(
        _l("Last name"), [DataRequired(REQUIRED), one_line, no_links, limit(100)], filters=[strip]
    )
    email = EmailField(_l("Email"), [DataRequired(REQUIRED), one_line, limit(254)], filters=[strip])
    phone = StringField(_l("Phone (optional)"), [one_line, limit(40)], filters=[strip])
    preferred_language = SelectField(
        _l("Language you prefer for the conversation"),
        [InputRequired(CHOOSE_ONE)],
        choices=language_choices,
        invalid_choice_message=CHOOSE_ONE,
    )
    other_language = StringField(_l("Which language?"), [one_line, limit(60)], filters=[strip])
    respondent = RadioField(
        _l("Who is asking?"),
        [InputRequired(CHOOSE_ONE)],
        choices=[SelectChoice(code, label) for code, label in RESPONDENTS.items()],
        invalid_choice_message=CHOOSE_ONE,
    )
    country = CountryField(
        _l("Country"), [InputRequired(CHOOSE_ONE)], invalid_choice_message=CHOOSE_ONE
    )
    postal_code = StringField(
        _l("Postal code"), [one_line, limit(12)], filters=[strip, ascii_digits]
    )
    city = StringField(_l("Town or city"), [one_line, limit(100)], filters=[strip])
    message = TextAreaField(
        _l("Your message"), [DataRequired(REQUIRED), plain_text, limit(4000)], filters=[strip]
    )
    share_prescreen = BooleanField(
        _l("Share my questionnaire answers with the study team"), [Optional()]
    )
    consent = BooleanField(_l("I agree"), [DataRequired(NEED_CONSENT)])
    website = StringField(_l("Website"), [limit(200)])
    lat = HiddenField(filters=[strip])
    lon = HiddenField(filters=[strip])
    # The language switcher's buttons post the typed values here: shown again, never sent.
    switch_language = SubmitField()

    def __init__(self, lang: str, *args, **kwargs):
        super().__init__(*args, preferred_language=lang, **kwargs)
        self.country.in_language(lang)
        self.e164 = ""
        self.place: Place | None = None  # where the visitor is, once the form is valid

    def validate_email(self, field) -> None:
        try:
            result = validate_email(field.data, check_deliverability=False, allow_smtputf8=False)
        except EmailNotValidError as error:
            raise ValidationError(str(BAD_EMAIL)) from error
        field.data = result.ascii_email or result.normalized

    def validate_phone(self, field) -> None:
        if not field.data or field.errors:
            return
        try:
            number = phonenumbers.parse(field.data, self.country.data or None)
        except phonenumbers.NumberParseException as error:
            raise ValidationError(str(BAD_PHONE)) from error
        if not phonenumbers.is_valid_number(number):
            raise ValidationError(str(BAD_PHONE))
        self.e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def wants_other_language(self) -> bool:
        """Whether the visitor chose a language the site is not written in."""
        return self.preferred_language.data == OTHER_LANGUAGE

    def validate_other_language(self, field) -> None:
        if self.wants_other_language() and not field.data:
            raise ValidationError(str(NEED_LANGUAGE))

    def validate_postal_code(self, field) -> None:
        if field.errors:
            return
        if not field.data and not self.city.data:
            raise ValidationError(str(NEED_PLACE))
        if field.data and not self.where():
            raise ValidationError(str(PLACE_NOT_FOUND))

    def validate_city(self, field) -> None:
        # A postal code that places nobody is told beside the postal code, not here.
        if field.errors or self.postal_code.data or not field.data:
            return
        if not self.where():
            raise ValidationError(str(PLACE_NOT_FOUND))

    def where(self) -> Place | None:
        """Place the visitor: the browser's point when sent, else the postal code or the town."""
        if point := self.point():
            self.place = Place(point[0], point[1], "", "browser")
        else:
            self.place = locate(self.country.data, self.postal_code.data, self.city.data)
        return self.place

    def point(self) -> tuple[float, float] | None:
        """Return the browser's coordinates when sent and sound, else None."""
        try:
            lat, lon = float(self.lat.data), float(self.lon.data)
        except (TypeError, ValueError):
            return None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return None
        return round(lat, 2), round(lon, 2)  # about a kilometre: enough to find a hospital
