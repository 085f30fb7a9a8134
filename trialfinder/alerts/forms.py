"""The alert sign-up form and the unsubscribe button."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from trialfinder.lib.geo import province_of
from trialfinder.lib.locales import LOCALES, NATIVE_NAMES
from trialfinder.web.forms import CountryField

EMAIL_REQUIRED = _l("Enter your email address.")
EMAIL_INVALID = _l("Enter an email address like name@example.com.")
EMAIL_TOO_LONG = _l("An email address has at most 254 characters.")
ONE_LINE = _l("Write this on one line.")
LANGUAGE_INVALID = _l("Choose a language from the list.")
INTERESTS_REQUIRED = _l("Choose at least one condition.")
INTERESTS_INVALID = _l("Choose conditions from the list.")
AGE_INVALID = _l("Enter the age in whole years, for example 12.")
AGE_RANGE = _l("Enter an age between 0 and 120.")
COUNTRY_INVALID = _l("Choose a country from the list.")
POSTAL_CODE_INVALID = _l("Enter a postal code with letters, numbers and spaces only.")
POSTAL_CODE_SPAIN = _l("Enter a Spanish postal code of 5 digits, for example 28046.")
CONSENT_REQUIRED = _l("Tick the box to agree, or we cannot send you alerts.")


def single_line(_form, field) -> None:
    """Refuse carriage returns and line feeds in a one-line field."""
    if field.data and ("\r" in field.data or "\n" in field.data):
        raise ValidationError(ONE_LINE)


def at_least_one(_form, field) -> None:
    """Require one ticked box or more, without marking every box as required."""
    if not field.data:
        raise ValidationError(INTERESTS_REQUIRED)


class WholeNumberField(IntegerField):
    """An integer field whose conversion error is our own translated message."""

    def process_formdata(self, valuelist: list) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(AGE_INVALID)) from error
        # A number with hundreds of digits would overflow NumberRange's float check (a 500).
        if self.data is not None and abs(self.data) > 10**6:
            self.data = None
            raise ValueError(str(AGE_RANGE))


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SignupForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        filters=[lambda value: value.strip() if value else value],
        validators=[
            DataRequired(message=EMAIL_REQUIRED),
            single_line,
            Length(max=254, message=EMAIL_TOO_LONG),
            # As on the contact form: an address that needs SMTPUTF8 may never be delivered.
            Email(message=EMAIL_INVALID, check_deliverability=False, allow_smtputf8=False),
        ],
    )
    language = SelectField(
        _l("Language of the emails"),
        choices=[SelectChoice(code, NATIVE_NAMES[code], {"lang": code}) for code in LOCALES],
        invalid_choice_message=LANGUAGE_INVALID,
    )
    interests = CheckboxesField(
        _l("Conditions you want to hear about"),
        validate_choice=False,
        validators=[at_least_one],
    )
    age_years = WholeNumberField(
        _l("Age of the patient, in years (optional)"),
        validators=[Optional(), NumberRange(min=0, max=120, message=AGE_RANGE)],
    )
    country = CountryField(_l("Country"), invalid_choice_message=COUNTRY_INVALID)
    postal_code = StringField(
        _l("Postal code (optional)"),
        validators=[
            Optional(),
            single_line,
            Length(max=12, message=POSTAL_CODE_INVALID),
            Regexp(r"^[A-Za-z0-9][A-Za-z0-9 -]*$", message=POSTAL_CODE_INVALID),
        ],
    )
    consent = BooleanField(
        _l("I agree that trialfinder keeps my email address to send me trial alerts."),
        validators=[DataRequired(message=CONSENT_REQUIRED)],
    )
    website = StringField(_l("Website"), validators=[Length(max=200), single_line])

    def __init__(self, *args, conditions: list[str], lang: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.interests.choices = [SelectChoice(condition) for condition in conditions]
        self.country.in_language(lang)
        if self.language.data is None:  # not sent: the page's language
            self.language.data = lang

    def validate_interests(self, field) -> None:
        """Accept only conditions offered on the form."""
        offered = {choice.value for choice in field.choices}
        if not set(field.data) <= offered:
            raise ValidationError(INTERESTS_INVALID)

    def validate_postal_code(self, field) -> None:
        """In Spain a postal code places the province: it must be a real one."""
        if field.data and self.country.data == "ES" and province_of(field.data) is None:
            raise ValidationError(POSTAL_CODE_SPAIN)

    def preferences(self) -> dict:
        """Return the subscriber's choices as plain values."""
        return {
            "language": self.language.data,
            "interests": list(self.interests.data),
            "age_years": self.age_years.data,
            "country": self.country.data,
            "postal_code": " ".join((self.postal_code.data or "").split()).upper(),
        }


class ConfirmForm(FlaskForm):
    """The confirmation button: a POST with its CSRF token, so that no mail scanner confirms."""


class UnsubscribeForm(FlaskForm):
    """A button, with the CSRF token that every form carries."""
