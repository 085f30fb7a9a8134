"""The buttons on a lead's staff page: each form posts one action (and a site to forward to)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField
from wtforms.validators import AnyOf, InputRequired, ValidationError

from trialfinder.leads.services import ACTIONS, FORWARD

CHOOSE_SITE = _l("Please choose a hospital.")


class ActionForm(FlaskForm):
    action = HiddenField(validators=[InputRequired(), AnyOf(ACTIONS)])
    # Choices are the trial's other sites, set by the view; only `forward` reads it.
    site = SelectField(_l("Hospital"), coerce=int, validate_choice=False)

    def validate_site(self, field) -> None:
        if self.action.data != FORWARD:
            return
        if field.data not in {value for value, _label in field.choices or []}:
            raise ValidationError(str(CHOOSE_SITE))
