"""The recipient's passcode form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, ValidationError

from trialfinder.notes.crypto import normalize_passcode

PASSCODE_LABEL = _l("Passcode")
PASSCODE_REQUIRED = _l("Enter the passcode you were sent.")
PASSCODE_SHAPE = _l("A passcode has 16 letters and numbers, in four groups of four.")


def passcode_shape(_form: FlaskForm, field: StringField) -> None:
    """Refuse what cannot be a passcode before it costs a try."""
    if normalize_passcode(field.data or "") is None:
        raise ValidationError(PASSCODE_SHAPE)


class PasscodeForm(FlaskForm):
    passcode = StringField(
        PASSCODE_LABEL,
        validators=[
            DataRequired(message=PASSCODE_REQUIRED),
            Length(max=64, message=PASSCODE_SHAPE),
            passcode_shape,
        ],
    )


class RevokeForm(FlaskForm):
    """The creator's button that deletes shared notes; its CSRF token is the only field."""
